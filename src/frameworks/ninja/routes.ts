import type { CallExpr, Definition, Expr } from '../../python/facts.js';
import { MODULE_SCOPE } from '../../python/facts.js';
import { authenticatesBySession, checksCsrfItself, COOKIE_AUTH_CLASSES, csrfArgument, flagValue, SHARED_INSTANCES } from './authentication.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, truthiness, type ValueSite } from '../../project/values.js';
import { type Credentials, type Place, type Protection, sortedMethods } from '../../endpoints/endpoint.js';

const NINJA_APIS: ReadonlySet<string> = new Set(['ninja.NinjaAPI', 'ninja.main.NinjaAPI']);
const NINJA_ROUTERS: ReadonlySet<string> = new Set(['ninja.Router', 'ninja.router.Router']);
const NINJA_OWNERS: ReadonlySet<string> = new Set([...NINJA_APIS, ...NINJA_ROUTERS]);
const OPERATION_METHODS = new Map([
  ['get', ['GET']],
  ['post', ['POST']],
  ['put', ['PUT']],
  ['patch', ['PATCH']],
  ['delete', ['DELETE']],
]);
const API_OPERATION = 'api_operation';
const SESSION_AUTH_CLASSES: ReadonlySet<string> = new Set(['ninja.security.SessionAuth', 'ninja.security.SessionAuthSuperUser', 'ninja.security.SessionAuthIsStaff']);
const HTTP_BASIC_AUTH: ReadonlySet<string> = new Set(['ninja.security.HttpBasicAuth', 'ninja.security.http.HttpBasicAuth']);
const NINJA_SECURITY = 'ninja.security';
const MAX_ROUTER_DEPTH = 8;
const NO_TOKEN_CHECK = 'Django Ninja exempts its operations from CsrfViewMiddleware';

/** What an operation's authentication makes of it: the check, or why nothing needs one. */
export interface NinjaVerdict {
  protection: Protection;
  credentials: Credentials;
  /** Where the check is turned off (`SessionKey(csrf=False)`): the finding there is about this operation. */
  exemptedAt: Place[];
  /** `NinjaAPI(csrf=False)`: the finding there is about each operation of the API, whose state its authentication decides. */
  relatedAt?: Place[];
}

export interface NinjaOperation extends NinjaVerdict {
  module: SourceModule;
  definition: Definition;
  /** The operation's path below the API, joined through `add_router` prefixes. */
  route: string;
  methods: string[];
}

/** An `auth=` argument and the call that gives it (the place a verdict points to). */
interface AuthSource {
  site: ValueSite;
  line: number;
}

interface DeclaredOperation {
  module: SourceModule;
  definition: Definition;
  path: string;
  methods: string[];
  auth?: AuthSource;
}

interface Mount {
  prefix: string;
  router: string;
  auth?: AuthSource;
}

/**
 * Django Ninja's route model: operations declared with `@api.post(...)` and `@router.get(...)`,
 * routers mounted with `add_router(prefix, router)`, and the authentication each operation runs.
 * Ninja exempts its views from `CsrfViewMiddleware` and checks CSRF in cookie authentication only.
 */
export class NinjaRoutes {
  private readonly operations = new Map<string, DeclaredOperation[]>();
  private readonly mounts = new Map<string, Mount[]>();
  /** `def register(api): api.add_router(...)`: mounts on a parameter, by function and parameter, until the calls name the API. */
  private readonly parameterMounts = new Map<string, Array<{ parameter: string; position: number; mount: Mount }>>();
  private readonly cookieAuth: ReadonlySet<string>;

  constructor(private readonly project: Project) {
    this.cookieAuth = project.usesPackage('ninja') ? project.classFamily(COOKIE_AUTH_CLASSES) : new Set();
    if (project.usesPackage('ninja')) this.index();
  }

  /** The API's qualified name, when `object` (of `object.urls`) is a `NinjaAPI`. */
  apiNamed(module: SourceModule, object: Expr, scope: number): string | undefined {
    if (this.cookieAuth.size === 0 || !this.isInstanceOf(module, object, scope, NINJA_APIS)) return undefined;
    return this.project.resolve(module, object, scope);
  }

  /** The `NinjaAPI` instances made at module level: `api = NinjaAPI(...)`. */
  apis(): Array<{ name: string; module: SourceModule; line: number }> {
    if (this.cookieAuth.size === 0) return [];
    const made = this.project.modules.flatMap((module) =>
      module.facts.assignments.flatMap(({ scope, target, value }) => {
        if (scope !== MODULE_SCOPE || target.kind !== 'name' || value?.kind !== 'call' || !this.isInstanceOf(module, value, scope, NINJA_APIS)) return [];
        const name = this.project.resolve(module, target, scope);
        return name === undefined ? [] : [{ name, module, line: value.range.line }];
      }),
    );
    return made.filter((api, index) => made.findIndex((other) => other.name === api.name) === index);
  }

  /** `api` itself, when that qualified name is assigned a `NinjaAPI`. */
  apiByName(api: string): string | undefined {
    const call = this.creationCall(api);
    return call && this.isInstanceOf(call.module, call.expr, call.scope, NINJA_APIS) ? api : undefined;
  }

  operationsOf(api: string): NinjaOperation[] {
    const csrfSwitch = this.apiCsrfSwitch(api);
    const csrfOff = this.apiCsrfSwitch(api, 'falsy');
    return this.collect(api, '', this.creationAuth(api), 0).map((operation) => ({ ...operation, ...withApiSwitch(operation, csrfSwitch), ...(csrfOff ? { relatedAt: [csrfOff] } : {}) }));
  }

  private collect(owner: string, prefix: string, inherited: AuthSource | undefined, depth: number): NinjaOperation[] {
    if (depth > MAX_ROUTER_DEPTH) return [];
    const own = (this.operations.get(owner) ?? []).map(({ module, definition, path, methods, auth }) => ({ module, definition, methods, route: joinRoute(prefix, path), ...this.verdictOf(auth ?? inherited) }));
    const mounted = (this.mounts.get(owner) ?? []).flatMap((mount) => this.collect(mount.router, joinRoute(prefix, mount.prefix), mount.auth ?? this.creationAuth(mount.router) ?? inherited, depth + 1));
    return [...own, ...mounted];
  }

  private index(): void {
    for (const module of this.project.modules) {
      for (const definition of module.facts.definitions) {
        if (definition.kind === 'function') this.indexOperation(module, definition);
      }
      for (const { call, scope } of module.facts.calls) this.indexMount(module, call, scope);
    }
    if (this.parameterMounts.size > 0) this.bindParameterMounts();
  }

  /** `api = register_urls(api)`: the mounts the function makes on its parameter are the API's. */
  private bindParameterMounts(): void {
    for (const module of this.project.modules) {
      for (const { call, scope } of module.facts.calls) {
        const pending = this.parameterMounts.get(this.project.resolve(module, call.callee, scope) ?? '');
        for (const { parameter, position, mount } of pending ?? []) {
          const argument = argumentOf(call, parameter, position);
          const owner = argument && this.project.resolve(module, argument, scope);
          if (owner !== undefined) this.addMount(owner, mount);
        }
      }
    }
  }

  private addMount(owner: string, mount: Mount): void {
    const mounts = this.mounts.get(owner) ?? [];
    mounts.push(mount);
    this.mounts.set(owner, mounts);
  }

  private indexOperation(module: SourceModule, definition: Definition): void {
    for (const { expression } of definition.decorators) {
      if (expression.kind !== 'call' || expression.callee.kind !== 'attribute') continue;
      const { attribute, object } = expression.callee;
      if (!OPERATION_METHODS.has(attribute) && attribute !== API_OPERATION) continue;
      if (!this.isInstanceOf(module, object, definition.scope, NINJA_OWNERS)) continue;
      const owner = this.project.resolve(module, object, definition.scope);
      if (owner === undefined) continue;
      const site = (expr: Expr): ValueSite => ({ module, scope: definition.scope, expr });
      const isGeneric = attribute === API_OPERATION;
      const pathArgument = argumentOf(expression, 'path', isGeneric ? 1 : 0);
      const methodsArgument = argumentOf(expression, 'methods', 0);
      const methods = isGeneric ? (methodsArgument && this.stringList(site(methodsArgument))) : OPERATION_METHODS.get(attribute);
      const auth = argumentOf(expression, 'auth', -1);
      const operation: DeclaredOperation = {
        module,
        definition,
        path: (pathArgument && stringValue(this.project, site(pathArgument))) ?? '…',
        methods: sortedMethods(methods ?? ['ANY']),
        ...(auth ? { auth: { site: site(auth), line: expression.range.line } } : {}),
      };
      const declared = this.operations.get(owner) ?? [];
      declared.push(operation);
      this.operations.set(owner, declared);
    }
  }

  /** `api.add_router("/prefix", router)`; the router may be named by its import path (`"shop.api.router"`). */
  private indexMount(module: SourceModule, call: CallExpr, scope: number): void {
    if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'add_router') return;
    const prefix = argumentOf(call, 'prefix', 0);
    const router = argumentOf(call, 'router', 1);
    if (!prefix || !router) return;
    const routerText = router.kind === 'string' ? router.value : undefined;
    const routerName = routerText === undefined ? this.project.resolve(module, router, scope) : this.project.canonical(routerText, module);
    if (routerName === undefined) return;
    const auth = argumentOf(call, 'auth', -1);
    const mount: Mount = { prefix: stringValue(this.project, { module, scope, expr: prefix }) ?? '…', router: routerName, ...(auth ? { auth: { site: { module, scope, expr: auth }, line: call.range.line } } : {}) };
    const { object } = call.callee;
    const binding = object.kind === 'name' ? module.symbols.lookup(object.id, scope) : undefined;
    const holder = binding?.kind === 'parameter' ? module.symbols.definitionOfScope(binding.scope) : undefined;
    if (object.kind === 'name' && holder) {
      const functionName = module.symbols.definitionName(holder);
      const pending = this.parameterMounts.get(functionName) ?? [];
      pending.push({ parameter: object.id, position: holder.parameters.findIndex((parameter) => parameter.name === object.id), mount });
      this.parameterMounts.set(functionName, pending);
      return;
    }
    const owner = this.project.resolve(module, object, scope);
    if (owner !== undefined) this.addMount(owner, mount);
  }

  /** The `auth=` given where the API or router is made: `NinjaAPI(auth=django_auth)`, `Router(auth=...)`. */
  private creationAuth(owner: string): AuthSource | undefined {
    const call = this.creationCall(owner);
    const auth = call && argumentOf(call.expr as CallExpr, 'auth', -1);
    return call && auth ? { site: { ...call, expr: auth }, line: (call.expr as CallExpr).range.line } : undefined;
  }

  private creationCall(owner: string): ValueSite | undefined {
    const [assigned] = this.project.assignmentsTo(owner);
    const value = assigned?.assignment.value;
    if (!assigned || !value) return undefined;
    const site = dereference(this.project, { module: assigned.module, scope: assigned.assignment.scope, expr: value });
    return site.expr.kind === 'call' ? site : undefined;
  }

  /** `NinjaAPI(csrf=True)`: before Ninja 1.0, every operation of the API checks the token; `csrf=False` (asked with `falsy`): none does. */
  private apiCsrfSwitch(api: string, position: 'truthy' | 'falsy' = 'truthy'): Place | undefined {
    const call = this.creationCall(api);
    if (!call || call.expr.kind !== 'call') return undefined;
    const argument = call.expr.args.find((candidate) => candidate.name === 'csrf');
    return argument && truthiness(this.project, { ...call, expr: argument.value }) === position ? { file: call.module, line: argument.range.line } : undefined;
  }

  /** The verdict of an operation's authentication; with several, the one a forged request gets through first. */
  private verdictOf(auth: AuthSource | undefined): NinjaVerdict {
    if (!auth) return noAuthentication();
    const value = dereference(this.project, auth.site);
    if (value.expr.kind === 'constant' && value.expr.value === null) return noAuthentication();
    if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple') return this.itemVerdict(auth.site, auth.line);
    const verdicts = value.expr.items.map((item) => this.itemVerdict({ ...value, expr: item }, auth.line));
    return verdicts.sort((a, b) => verdictRank(a) - verdictRank(b))[0] ?? noAuthentication();
  }

  private itemVerdict(site: ValueSite, line: number): NinjaVerdict {
    const { module, scope, expr } = site;
    const at = { file: module, line };
    const name = this.project.resolve(module, expr, scope);
    if (name !== undefined && SHARED_INSTANCES.has(name)) return sessionChecked(`\`${name.slice(name.lastIndexOf('.') + 1)}\` (SessionAuth checks CSRF)`, at);
    const defined = name === undefined ? undefined : this.project.findDefinition(name);
    if (defined?.definition.kind === 'function') return this.functionVerdict(defined.module, defined.definition);
    const className = this.project.instanceClasses(module, expr, scope).find((candidate) => this.project.inheritsFrom(candidate, (base) => base.startsWith(NINJA_SECURITY)));
    if (className === undefined) return unreadAuthentication(at);
    if (this.cookieAuth.has(className)) return this.cookieVerdict(site, className, at);
    const own = this.project.findDefinition(className);
    const call = own && own.definition.kind === 'class' ? own.module.facts.definitions.find((method) => method.scope === own.definition.bodyScope && method.name === '__call__') : undefined;
    if (own && call && authenticatesBySession(this.project, own.module, call)) return sessionUnchecked({ file: own.module, line: own.definition.nameRange.line });
    if (this.project.isSubclassOf(className, HTTP_BASIC_AUTH)) return { protection: { state: 'exempt', check: NO_TOKEN_CHECK, reason: 'HTTP Basic authentication: Django Ninja checks CSRF in cookie authentication only' }, credentials: 'HTTP Basic', exemptedAt: [] };
    return { protection: { state: 'exempt', check: NO_TOKEN_CHECK, reason: 'header-token authentication: a forged request carries no credential' }, credentials: 'header token only', exemptedAt: [] };
  }

  /** Cookie authentication checks CSRF unless built with `csrf=False` (and checks nothing itself). */
  private cookieVerdict(site: ValueSite, className: string, at: Place): NinjaVerdict {
    const credentials: Credentials = this.project.isSubclassOf(className, SESSION_AUTH_CLASSES) ? 'session cookie' : 'other cookie';
    const shortName = className.slice(className.lastIndexOf('.') + 1);
    const built = dereference(this.project, site);
    const argument = built.expr.kind === 'call' ? csrfArgument(built.expr, false, 0) : undefined;
    const turnedOff = argument !== undefined && flagValue(this.project, built.module, built.scope, argument.value) !== undefined;
    if (!turnedOff || checksCsrfItself(this.project, className)) return { protection: { state: 'protected', check: `\`${shortName}\` (cookie authentication checks CSRF)`, evidence: at }, credentials, exemptedAt: [] };
    const place = { file: built.module, line: argument.range.line };
    return { protection: { state: 'exempt', check: `\`${shortName}(csrf=False)\``, evidence: place }, credentials, exemptedAt: [place] };
  }

  private functionVerdict(module: SourceModule, definition: Definition): NinjaVerdict {
    const at = { file: module, line: definition.nameRange.line };
    if (authenticatesBySession(this.project, module, definition)) return sessionUnchecked(at);
    return unreadAuthentication(at);
  }

  private isInstanceOf(module: SourceModule, expr: Expr, scope: number, classes: ReadonlySet<string>): boolean {
    return this.project.instanceClasses(module, expr, scope).some((className) => this.project.isSubclassOf(className, classes));
  }

  private stringList(site: ValueSite): string[] | undefined {
    const value = dereference(this.project, site);
    if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple') return undefined;
    const items = value.expr.items.map((item) => stringValue(this.project, { ...value, expr: item }));
    return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
  }
}

/** A named argument, else the positional one at `position` (-1: named only). */
function argumentOf(call: CallExpr, name: string, position: number): Expr | undefined {
  const named = call.args.find((argument) => argument.name === name);
  if (named) return named.value;
  return position < 0 ? undefined : call.args.filter((argument) => !argument.name && !argument.unpack)[position]?.value;
}

/** Ninja joins a router's prefix and an operation's path with one slash; Django's `path()` prefix has no leading one. */
function joinRoute(prefix: string, path: string): string {
  if (prefix === '') return trimLeadingSlashes(path);
  const head = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return `${head}/${trimLeadingSlashes(path)}`;
}

function trimLeadingSlashes(text: string): string {
  let start = 0;
  while (text[start] === '/') start += 1;
  return text.slice(start);
}

function withApiSwitch(operation: NinjaVerdict, csrfSwitch: Place | undefined): Partial<NinjaVerdict> {
  if (!csrfSwitch || operation.protection.state === 'unprotected' || operation.exemptedAt.length > 0) return {};
  return { protection: { state: 'protected', check: '`NinjaAPI(csrf=True)`', evidence: csrfSwitch } };
}

/** The order a forged request tries authentications in: unchecked session first, then a switched-off check. */
function verdictRank({ protection, exemptedAt }: NinjaVerdict): number {
  if (protection.state === 'unprotected') return 0;
  if (exemptedAt.length > 0) return 1;
  if (protection.state === 'unknown') return 2;
  return protection.state === 'protected' ? 3 : 4;
}

function sessionChecked(check: string, at: Place): NinjaVerdict {
  return { protection: { state: 'protected', check, evidence: at }, credentials: 'session cookie', exemptedAt: [] };
}

function sessionUnchecked(at: Place): NinjaVerdict {
  return { protection: { state: 'unprotected', check: 'session-user authentication without check_csrf', evidence: at }, credentials: 'session cookie', exemptedAt: [] };
}

function noAuthentication(): NinjaVerdict {
  return { protection: { state: 'exempt', check: NO_TOKEN_CHECK, reason: 'no authentication declared: Django Ninja checks CSRF in cookie authentication only' }, credentials: 'none', exemptedAt: [] };
}

/** Django Ninja checks CSRF only in cookie authentication: whether this one reads a cookie cannot be told. */
function unreadAuthentication(at: Place): NinjaVerdict {
  return { protection: { state: 'unknown', check: `authentication the scan cannot read (${NO_TOKEN_CHECK}; cookie authentication checks CSRF)`, evidence: at }, credentials: 'unknown', exemptedAt: [] };
}
