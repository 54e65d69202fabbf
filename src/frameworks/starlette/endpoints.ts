import type { Argument, CallExpr, Definition, Expr } from '../../python/facts.js';
import { type Application, findApplications } from '../../project/applications.js';
import { appMiddlewares } from '../../project/middleware.js';
import { headerCheckingMiddleware } from './header-middleware.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, type ValueSite } from '../../project/values.js';
import { ForwardingBudget, forwardedCalls, type SitedArgument, sitedArguments } from '../../project/forwarding.js';
import { CSRF_MIDDLEWARE, SESSION_MIDDLEWARE, STARLETTE_APPLICATIONS } from './names.js';
import { joinUrlPath } from '../../project/url-paths.js';
import { UNKNOWN_PREFIX } from '../../project/views.js';
import { appAuthentication, appSite, withTargetReason } from '../../endpoints/apps.js';
import { classMethods } from '../../endpoints/class-views.js';
import { type AppContext, type Credentials, type RoutedEndpoint, sortedMethods } from '../../endpoints/endpoint.js';
import { basicChallenge } from './basic-challenge.js';
import { tokenCheckInView } from '../../endpoints/view-checks.js';

const ROUTING_OBJECT = /^(fastapi|starlette)(\.|$)/;
const VERB_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
const ROUTE_CLASSES = new Set(['starlette.routing.Route', 'fastapi.routing.APIRoute']);
const INCLUDE_ROUTER = 'include_router';


/** A route found in the code, before it is given to an app. */
interface FoundRoute {
  /** The qualified name of the app or router it is registered on, when known. */
  owner: string | undefined;
  /** `Route(...)`: the call, to find the app whose `routes=` list holds it. */
  routeCall?: string;
  module: SourceModule;
  definition: Definition;
  route: string | null;
  methods: string[];
}

/**
 * The endpoints of Starlette and FastAPI apps: `@app.post(...)`, `@router.get(...)` (routers
 * followed through `include_router`), `add_api_route`, `add_route`, `Route(...)` and `APIRoute(...)`.
 * The app's CSRF middleware protects them; a view that validates a token itself is protected by it.
 */
export function starletteEndpoints(project: Project): RoutedEndpoint[] {
  const apps = findApplications(project, STARLETTE_APPLICATIONS);
  if (apps.length === 0) return [];
  const verdicts = new Map(apps.map((app) => [app, appVerdict(project, app)]));
  const includedIn = routerInclusions(project);
  const routeLists = appRouteLists(project, apps);
  return foundRoutes(project).flatMap((found) => {
    const listed = found.routeCall ? routeLists.get(found.routeCall) : undefined;
    const owned = listed ? undefined : ownerApp(project, apps, found, includedIn);
    const app = listed?.app ?? owned?.app;
    const verdict = app && verdicts.get(app);
    if (!verdict) return [];
    const prefix = listed?.prefix ?? owned?.prefix ?? '';
    const route = found.route === null ? null : joinUrlPath(prefix ?? UNKNOWN_PREFIX, found.route);
    const protection = verdict.protection.state === 'protected' ? verdict.protection : (tokenCheckInView(project, found.module, found.definition) ?? verdict.protection);
    return [{ app: verdict.site, module: found.module, definition: found.definition, view: viewName(found), route, methods: found.methods, protection, credentials: verdict.credentials }];
  });
}

function appVerdict(project: Project, app: Application): AppContext {
  const site = appSite(app, app.className === 'fastapi.FastAPI' ? 'fastapi' : 'starlette');
  const middleware = appMiddlewares(project, app);
  const csrf = middleware.find((entry) => CSRF_MIDDLEWARE.has(entry.name)) ?? (app.usage.handedTo.some((name) => CSRF_MIDDLEWARE.has(name)) ? { module: app.module, range: app.call.range, name: 'CSRFMiddleware' } : undefined);
  const session = middleware.find((entry) => SESSION_MIDDLEWARE.has(entry.name));
  const sessions = session !== undefined;
  const authentication = appAuthentication(project, app, session ? [{ kind: 'session-cookie', what: '`SessionMiddleware`', path: session.module.path, line: session.range.line || app.call.range.line }] : []);
  const { credentials } = authentication;
  if (csrf) return { site, credentials, protection: { state: 'protected', check: csrf.name.slice(csrf.name.lastIndexOf('.') + 1), evidence: { file: csrf.module, line: csrf.range.line || app.call.range.line } } };
  const header = headerCheckingMiddleware(project, middleware);
  if (header) {
    const check = `${header.middleware.name.slice(header.middleware.name.lastIndexOf('.') + 1)} (requires \`${header.header}\`)`;
    return { site, credentials, protection: { state: 'protected', check, evidence: { file: header.middleware.module, line: header.middleware.range.line || app.call.range.line } } };
  }
  const reason = sessions ? undefined : noSessionReason(project, app, credentials);
  return { site, credentials, protection: withTargetReason({ state: 'unprotected', check: 'no CSRF middleware', evidence: site.anchor, ...(reason ? { reason } : {}) }, authentication) };
}

/** Why an app without cookie sessions has no finding, unless it asks browsers for a Basic password (then it has one). */
function noSessionReason(project: Project, app: Application, credentials: Credentials): string | undefined {
  if (basicChallenge(project, app)) return undefined;
  if (credentials === 'HTTP Basic') return 'HTTP Basic is accepted, but nothing answers 401 with `WWW-Authenticate: Basic` outside a token login: the browser caches no password to send cross-site';
  return 'no SessionMiddleware: no cookie session is seen, so csrflint reports nothing';
}

function foundRoutes(project: Project): FoundRoute[] {
  const found: FoundRoute[] = [];
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      for (const { expression } of definition.decorators) {
        const route = decoratorRoute(project, module, definition, expression);
        if (route) found.push(route);
      }
    }
    for (const { call, scope } of module.facts.calls) found.push(...callRoutes(project, module, call, scope));
  }
  return found;
}

/** `@app.post("/x")`, `@router.api_route("/x", methods=["GET", "POST"])` on an object of fastapi or starlette. */
function decoratorRoute(project: Project, module: SourceModule, definition: Definition, decorator: Expr): FoundRoute | undefined {
  if (decorator.kind !== 'call' || decorator.callee.kind !== 'attribute') return undefined;
  const verb = decorator.callee.attribute;
  if (!VERB_DECORATORS.has(verb) && verb !== 'api_route' && verb !== 'route') return undefined;
  const owner = decorator.callee.object;
  if (!isRoutingObject(project, module, owner, definition.scope)) return undefined;
  const methods = VERB_DECORATORS.has(verb) ? [verb.toUpperCase()] : listedMethods(project, module, definition.scope, decorator.args);
  return { owner: project.resolve(module, owner, definition.scope), module, definition, route: pathOf(project, module, definition.scope, decorator.args), methods };
}

/** `app.add_api_route("/x", endpoint, methods=[...])`, `Route("/x", endpoint, methods=[...])`. */
function callRoutes(project: Project, module: SourceModule, call: CallExpr, scope: number): FoundRoute[] {
  const { callee } = call;
  const isAddRoute = callee.kind === 'attribute' && (callee.attribute === 'add_api_route' || callee.attribute === 'add_route') && isRoutingObject(project, module, callee.object, scope);
  const isRouteObject = !isAddRoute && ROUTE_CLASSES.has(project.resolve(module, callee, scope) ?? '');
  if (!isAddRoute && !isRouteObject) return [];
  const endpoint = call.args.find((argument) => argument.name === 'endpoint') ?? call.args.filter((argument) => !argument.name && !argument.unpack)[1];
  const name = endpoint && project.resolve(module, endpoint.value, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (!site) return [];
  const owner = isAddRoute && callee.kind === 'attribute' ? project.resolve(module, callee.object, scope) : undefined;
  const methods = site.definition.kind === 'class' ? classMethods(project, name!) : listedMethods(project, module, scope, call.args);
  return [{ owner, ...(isRouteObject ? { routeCall: callKey(module, call) } : {}), module: site.module, definition: site.definition, route: pathOf(project, module, scope, call.args), methods }];
}

function isRoutingObject(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  return project.instanceClasses(module, expr, scope).some((name) => ROUTING_OBJECT.test(name) || project.inheritsFrom(name, (base) => ROUTING_OBJECT.test(base)));
}

function pathOf(project: Project, module: SourceModule, scope: number, args: Argument[]): string | null {
  const argument = args.find((candidate) => candidate.name === 'path') ?? args.find((candidate) => !candidate.name && !candidate.unpack);
  return (argument && stringValue(project, { module, scope, expr: argument.value })) ?? null;
}

/** `methods=["GET", "POST"]`; GET when absent, as both frameworks default. */
function listedMethods(project: Project, module: SourceModule, scope: number, args: Argument[]): string[] {
  const argument = args.find((candidate) => candidate.name === 'methods');
  if (!argument) return ['GET'];
  const value = dereference(project, { module, scope, expr: argument.value });
  const items = value.expr.kind === 'list' || value.expr.kind === 'tuple' || value.expr.kind === 'set' ? value.expr.items : [];
  const methods = items.map((item) => stringValue(project, { ...value, expr: item }));
  return methods.length > 0 && methods.every((method) => method !== undefined) ? sortedMethods(methods as string[]) : ['ANY'];
}

function callKey(module: SourceModule, call: CallExpr): string {
  return `${module.path}#${call.id}`;
}

/** A URL prefix: `''` for none, `null` when it is given and cannot be read. */
type Prefix = string | null;

/** The `Route(...)` calls in each app's `routes=[...]`, through names and `Mount("/x", routes=[...])`, with the mounts' prefixes. */
function appRouteLists(project: Project, apps: Application[]): Map<string, { app: Application; prefix: Prefix }> {
  const owners = new Map<string, { app: Application; prefix: Prefix }>();
  const visit = (app: Application, site: { module: SourceModule; scope: number; expr: Expr }, prefix: Prefix, depth: number): void => {
    const value = dereference(project, site);
    if (depth > 8 || (value.expr.kind !== 'list' && value.expr.kind !== 'tuple')) return;
    for (const item of value.expr.items) {
      if (item.kind !== 'call') continue;
      owners.set(callKey(value.module, item), { app, prefix });
      const nested = item.args.find((argument) => argument.name === 'routes');
      if (nested) visit(app, { ...value, expr: nested.value }, joinPrefix(prefix, pathOf(project, value.module, value.scope, item.args)), depth + 1);
    }
  };
  for (const app of apps) {
    const routes = app.call.args.find((argument) => argument.name === 'routes');
    if (routes) visit(app, { module: app.module, scope: app.scope, expr: routes.value }, '', 0);
  }
  return owners;
}

/**
 * `app.include_router(router, prefix="/x")`, `parent.include_router(child)`: child router → what
 * includes it, and with which prefix; also in a helper the app is handed to (`configure_routes(app)`).
 */
function routerInclusions(project: Project): Map<string, { parent: string; prefix: Prefix }> {
  const included = new Map<string, { parent: string; prefix: Prefix }>();
  const include = (receiver: ValueSite, args: SitedArgument[]) => {
    const [router] = args.filter((argument) => argument.name === undefined);
    const child = router && project.resolve(router.value.module, router.value.expr, router.value.scope);
    const parent = project.resolve(receiver.module, receiver.expr, receiver.scope);
    const prefix = args.find((argument) => argument.name === 'prefix');
    if (child === undefined || parent === undefined) return;
    const weight = inclusionWeight(receiver);
    if ((weights.get(child) ?? -1) >= weight) return;
    weights.set(child, weight);
    included.set(child, { parent, prefix: prefix ? (stringValue(project, prefix.value) ?? null) : '' });
  };
  const weights = new Map<string, number>();
  const budget = new ForwardingBudget();
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      if (call.callee.kind === 'attribute' && call.callee.attribute === INCLUDE_ROUTER) include({ module, scope, expr: call.callee.object }, sitedArguments(module, scope, call.args));
      for (const forwarded of forwardedCalls(project, module, call, scope, [INCLUDE_ROUTER], budget)) include(forwarded.receiver, forwarded.args);
    }
  }
  return included;
}

/**
 * Which inclusion of a router names its app: one in production code on a name that holds an app
 * (the helper's call, `configure_routes(app)`, made for it) over one on the helper's parameter,
 * over one in a test (`configure_routes(test_app)`).
 */
function inclusionWeight(receiver: ValueSite): number {
  if (receiver.module.context !== 'production') return 0;
  const { expr } = receiver;
  return expr.kind === 'name' && receiver.module.symbols.lookup(expr.id, receiver.scope)?.kind === 'parameter' ? 1 : 2;
}

/** `router = APIRouter(prefix="/x")`: the prefix a router gives its own routes. */
function ownPrefix(project: Project, owner: string): Prefix {
  const [assigned, ...others] = project.assignmentsTo(owner);
  const value = assigned?.assignment.value;
  if (!assigned || others.length > 0 || value?.kind !== 'call') return '';
  const prefix = value.args.find((argument) => argument.name === 'prefix');
  return prefix ? (stringValue(project, { module: assigned.module, scope: assigned.assignment.scope, expr: prefix.value }) ?? null) : '';
}

/** The app a route reaches through its routers, with the prefixes on the way; else the only app of its project, with no prefix. */
function ownerApp(project: Project, apps: Application[], found: FoundRoute, includedIn: Map<string, { parent: string; prefix: Prefix }>): { app: Application; prefix: Prefix } | undefined {
  let owner = found.owner;
  let prefix: Prefix = '';
  for (let hops = 0; owner !== undefined && hops < 16; hops++) {
    const app = apps.find((candidate) => candidate.slot === owner);
    if (app) return { app, prefix };
    prefix = joinPrefix(ownPrefix(project, owner), prefix);
    const inclusion = includedIn.get(owner);
    prefix = joinPrefix(inclusion?.prefix ?? '', prefix);
    owner = inclusion?.parent;
  }
  const sameProject = apps.filter((app) => app.module.projectRoot === found.module.projectRoot);
  return sameProject.length === 1 ? { app: sameProject[0]!, prefix: found.owner === undefined ? '' : null } : undefined;
}

function joinPrefix(outer: Prefix, inner: Prefix): Prefix {
  return outer === null || inner === null ? null : joinUrlPath(outer, inner);
}

function viewName(found: FoundRoute): string {
  const owner = found.module.symbols.definitionOfScope(found.definition.scope);
  return owner?.kind === 'class' ? `${owner.name}.${found.definition.name}` : found.definition.name;
}
