import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { describeExpr } from '../python/describe.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { calledFunction, expressionsWithin, readsSessionUser } from './view-bodies.js';
import { walkExpr } from '../python/walk-expr.js';
import { publicIdentifierFields } from './public-identifiers.js';
import { middlewareEnforcedCheck } from './middleware-enforced-marks.js';

/**
 * A value named for a credential: `node_key`, `api_key`, `enroll_secret`, `token`, `signature`.
 * Matched on the last word of a snake_case name, so `keyword` or `monkey` do not count.
 */
const CREDENTIAL_WORDS = new Set(['key', 'secret', 'token', 'signature', 'apikey', 'passphrase']);

/** Words that say a function checks what it is given and raises or refuses on a mismatch. */
const CHECKING_WORDS = new Set(['verify', 'check', 'validate', 'authenticate']);

/** How many calls deep the project's methods and helper functions are followed from a handler. */
const HELPER_DEPTH = 3;

interface FunctionSite {
  module: SourceModule;
  definition: Definition;
}

interface RequestHandler extends FunctionSite {
  ownerClass?: string;
}

/**
 * The credential check every handler of a view runs (see `requestCredentialCheck`); a `dispatch`
 * that only hands the request to the inherited one (catching errors to answer them its own way)
 * leaves the judging to the handlers it reaches.
 */
export function handlersRequestCredentialCheck(project: Project, handlers: readonly RequestHandler[]): string | undefined {
  // `dispatch` runs before every handler: a check there turns a forged request away before any of them.
  const dispatch = handlers.find(({ definition }) => definition.name === 'dispatch');
  const dispatchCheck = dispatch && dispatchChainCheck(project, dispatch);
  if (dispatchCheck !== undefined) return dispatchCheck;
  let first: string | undefined;
  for (const handler of handlers) {
    const check = requestCredentialCheck(project, handler, handler.ownerClass);
    if (check === undefined && !passesToInheritedDispatch(handler)) return undefined;
    first ??= check;
  }
  return first;
}

/**
 * The check of the first `dispatch` along the view's bases that has one, past those that only hand
 * the request to the inherited one (`JwtRequiredMixin.dispatch` before `HasuraActionView.dispatch`).
 */
function dispatchChainCheck(project: Project, dispatch: RequestHandler): string | undefined {
  const { ownerClass } = dispatch;
  const chain = ownerClass === undefined ? [dispatch] : inheritedDispatches(project, ownerClass);
  for (const site of chain) {
    const check = requestCredentialCheck(project, site, ownerClass);
    if (check !== undefined) return check;
    if (!passesToInheritedDispatch(site)) return undefined;
  }
  return undefined;
}

/** Every `dispatch` a class defines or inherits from scanned bases, the overriding ones first. */
export function inheritedDispatches(project: Project, className: string): FunctionSite[] {
  const found: FunctionSite[] = [];
  project.inheritsFrom(className, (name) => {
    const site = project.findDefinition(`${name}.dispatch`);
    if (site?.definition.kind === 'function' && !found.some(({ definition }) => definition === site.definition)) found.push(site);
    return false;
  });
  return found;
}

/** `def dispatch(...): return super().dispatch(...)`, reading no session user. */
function passesToInheritedDispatch({ module, definition }: FunctionSite): boolean {
  if (definition.name !== 'dispatch' || readsSessionUser(module, definition)) return false;
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'dispatch' && call.callee.object.kind === 'call' && finalName(call.callee.object.callee) === 'super');
}

/**
 * Where a handler (or a method of its class it calls, or a project function it calls, a few calls
 * deep) looks a credential up or checks one: an ORM `.get(node_key=...)` or `get_object_or_404(...,
 * key=...)`, which raises when no row holds the value, or a call named for checking a credential
 * (`verify_enrollment_secret(...)`, `check_api_key(request)`). The credential travels in the body
 * or a header, which a cross-site page does not know. `undefined` when none is found.
 */
export function requestCredentialCheck(project: Project, handler: FunctionSite, ownerClass?: string, options: { userReadAllowed?: boolean } = {}): string | undefined {
  let check: string | undefined;
  for (const { site, call, scope, own } of reachedCalls(project, handler, ownerClass)) {
    // A browser caches a password only after a challenge, and then sends it cross-site too.
    if (call === undefined && sendsAuthenticateChallenge(site)) return undefined;
    // The view's own code acting for the cookie's user is what a forged request would reach.
    if (own && !options.userReadAllowed && readsSessionUser(site.module, site.definition)) return undefined;
    if (call === undefined && check === undefined) check = configuredSecretComparison(project, site);
    if (call === undefined || check !== undefined) continue;
    const found = credentialCheckCall(project, site.module, call, scope);
    if (found !== undefined) check = `\`${found}\`, ${site.module.path}:${call.range.line}`;
  }
  return check ?? (options.userReadAllowed ? undefined : middlewareEnforcedCheck(project, handler));
}

interface ReachedCall {
  site: FunctionSite;
  /** Absent once per function, before its calls: where the function itself is judged. */
  call?: CallExpr;
  scope: number;
  /** The handler itself or a method of its class it calls on `self`. */
  own: boolean;
}

/** The calls of a function and of the project functions and methods it reaches, a few calls deep, each function once. */
export function* reachedCalls(project: Project, start: FunctionSite, ownerClass?: string): Generator<ReachedCall> {
  const seen = new Set<Definition>([start.definition]);
  let level: Array<FunctionSite & { own: boolean }> = [{ ...start, own: true }];
  for (let depth = 0; depth <= HELPER_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { own, ...site } of level) {
      yield { site, scope: site.definition.bodyScope, own };
      for (const { call, scope } of site.module.symbols.itemsWithin(site.module.facts.calls, site.definition.bodyScope)) {
        yield { site, call, scope, own };
        const called = calledFunction(project, site.module, call, scope, ownerClass);
        if (!called || seen.has(called.definition)) continue;
        seen.add(called.definition);
        next.push({ ...called, own: own && isSelfCall(call) });
      }
    }
    level = next;
  }
}

function isSelfCall(call: CallExpr): boolean {
  return call.callee.kind === 'attribute' && call.callee.object.kind === 'name' && call.callee.object.id === 'self';
}

/** `Model.objects.get(node_key=...)`, `get_object_or_404(Key, key=...)`, `check_api_key(request)`: the call as written. */
function credentialCheckCall(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const written = finalName(call.callee);
  if (namesCredentialCheck(written)) return `${describeExpr(call.callee)}(...)`;
  const resolved = project.resolve(module, call.callee, scope);
  if (resolved !== undefined && CONSTANT_TIME_COMPARISONS.has(resolved)) return `${resolved}(...)`;
  const isLookup = (call.callee.kind === 'attribute' && written === 'get') || resolved === 'django.shortcuts.get_object_or_404';
  if (!isLookup) return undefined;
  // An object's public id (`friendly_token` in its `get_absolute_url`) is named like a secret but is in every link to it.
  const publicFields = publicIdentifierFields(project);
  const keyword = call.args.find((argument) => argument.name !== undefined && namesCredential(lastLookupPart(argument.name)) && !publicFields.has(lastLookupPart(argument.name)) && !isConstant(argument.value));
  return keyword === undefined ? undefined : `${lookupShown(call.callee)}(${keyword.name}=...)`;
}

/**
 * `verify_enrollment_secret`, `check_api_key`, `validate_token`: a checking word first, a credential
 * word last; or a lookup by a credential, `get_active_with_key`, `find_by_token`.
 */
function namesCredentialCheck(name: string): boolean {
  const words = name.toLowerCase().split('_').filter((word) => word.length > 0);
  const [first] = words;
  const last = words.at(-1);
  if (words.length < 2 || first === undefined || last === undefined || !CREDENTIAL_WORDS.has(last)) return false;
  return CHECKING_WORDS.has(first) || LOOKUP_WORDS.has(words.at(-2) ?? '');
}

/** Calls that compare a presented secret with the expected one in constant time. */
export const CONSTANT_TIME_COMPARISONS = new Set(['hmac.compare_digest', 'secrets.compare_digest']);

/**
 * An `if` that compares a value with a secret the project is configured with
 * (`if presented == settings.HASURA_ACTION_SECRET:`), the function handed the request's headers.
 */
function configuredSecretComparison(project: Project, { module, definition }: FunctionSite): string | undefined {
  for (const { test, scope } of module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope)) {
    for (const part of walkExpr(test)) {
      if (part.kind !== 'compare' || !part.operators.every((operator) => operator === '==' || operator === '!=')) continue;
      const secret = part.operands.find((operand) => isConfiguredSecret(project, module, operand, scope));
      const presented = part.operands.find((operand) => operand !== secret && !isConstant(operand));
      if (secret !== undefined && presented !== undefined) return `\`${describeExpr(presented)} == ${describeExpr(secret)}\`, ${module.path}:${definition.range.line}`;
    }
  }
  return undefined;
}

/** `settings.API_SECRET`, `app.config["API_KEY"]`, `current_app.config.get("API_KEY")`: a Django or Flask setting named for a credential. */
function isConfiguredSecret(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind === 'attribute') return namesCredential(expr.attribute) && project.resolve(module, expr.object, scope) === 'django.conf.settings';
  const lookup = appConfigLookup(expr);
  return lookup !== undefined && namesCredential(lookup.key) && isApp(project, module, lookup.app, scope);
}

/** `<app>.config["KEY"]` or `<app>.config.get("KEY", ...)`: the app and the key. */
function appConfigLookup(expr: Expr): { app: Expr; key: string } | undefined {
  if (expr.kind === 'subscript') return configKeyOf(expr.object, expr.index);
  if (expr.kind !== 'call' || expr.callee.kind !== 'attribute' || expr.callee.attribute !== 'get') return undefined;
  const [first] = expr.args;
  return first === undefined || first.name !== undefined ? undefined : configKeyOf(expr.callee.object, first.value);
}

function configKeyOf(mapping: Expr, key: Expr): { app: Expr; key: string } | undefined {
  if (mapping.kind !== 'attribute' || mapping.attribute !== 'config' || key.kind !== 'string') return undefined;
  return { app: mapping.object, key: key.value };
}

const APP_CLASSES = new Set(['flask.Flask', 'quart.Quart']);
const CURRENT_APPS = new Set(['flask.current_app', 'quart.current_app']);

function isApp(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  return CURRENT_APPS.has(project.resolve(module, expr, scope) ?? '') || project.isInstanceOf(module, expr, scope, APP_CLASSES);
}

/** `..._by_key`, `..._with_token`: a lookup by the credential that follows. */
const LOOKUP_WORDS = new Set(['by', 'with']);

/** Code that names the `WWW-Authenticate` header (`response["WWW-Authenticate"] = 'Basic realm="api"'`): it challenges the browser for a password. */
function sendsAuthenticateChallenge({ module, definition }: FunctionSite): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const targets = module.facts.assignments.filter(({ scope }) => scopes.has(scope)).map(({ target }) => target);
  return [...expressionsWithin(module, definition.bodyScope), ...targets].some((expression) => [...walkExpr(expression)].some((part) => part.kind === 'string' && part.value.toLowerCase() === 'www-authenticate'));
}

function namesCredential(name: string): boolean {
  const last = name.toLowerCase().split('_').at(-1);
  return last !== undefined && CREDENTIAL_WORDS.has(last);
}

/** The field a Django lookup keyword compares (`secret` of `enrollment__secret__exact`). */
function lastLookupPart(keyword: string): string {
  const parts = keyword.split('__').filter((part) => part !== 'exact' && part !== 'iexact');
  return parts.at(-1) ?? keyword;
}

/** `EnrolledMachine.objects…get`: the model a long queryset chain starts from, and the lookup. */
function lookupShown(callee: Expr): string {
  let root = callee;
  while (root.kind === 'attribute' || root.kind === 'call') root = root.kind === 'attribute' ? root.object : root.callee;
  const written = describeExpr(callee);
  return root.kind === 'name' && written.length > 40 ? `${root.id}…${finalName(callee)}` : written;
}

function isConstant(expr: Expr): boolean {
  return expr.kind === 'string' || expr.kind === 'number' || expr.kind === 'constant';
}

function finalName(callee: Expr): string {
  return callee.kind === 'attribute' ? callee.attribute : callee.kind === 'name' ? callee.id : '';
}
