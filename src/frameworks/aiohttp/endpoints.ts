import type { Argument, CallExpr, Definition, Expr } from '../../python/facts.js';
import { type Application, findApplications } from '../../project/applications.js';
import { checksCsrf } from '../../project/csrf-checks.js';
import { AIOHTTP_APPLICATIONS, everySessionCookieIsStrict, routeDefinitionMethod as methodArgument, routeTableDecorators } from './routes.js';
import { appMiddlewares } from '../../project/middleware.js';
import { type DefinitionSite, finalIdentifier, type Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { passedForParameter } from '../../project/forwarding.js';
import { stringValue, type ValueSite } from '../../project/values.js';
import { appAuthentication, appSite, withTargetReason } from '../../endpoints/apps.js';
import { classMethods } from '../../endpoints/class-views.js';
import { ANY_METHOD, type AppContext, type Protection, type RoutedEndpoint } from '../../endpoints/endpoint.js';

const SESSION_SETUP = 'aiohttp_session.setup';
const SESSION_MIDDLEWARE = 'aiohttp_session.session_middleware';
const CSRF_MIDDLEWARE = 'aiohttp_csrf.csrf_middleware';
const CSRF_DECORATOR = 'aiohttp_csrf.csrf_protect';
/** `router.add_post(path, handler)` and friends, `web.post(path, handler)` and `@routes.post(path)`: the method is the name. */
const VERBS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete']);

/**
 * The handlers of every aiohttp app: `app.router.add_post(...)`, `add_route(method, ...)`,
 * `add_view(...)`, `app.add_routes([web.post(...)])` and `app.add_routes(routes)` of a
 * `RouteTableDef`. aiohttp-csrf's middleware protects them all; `@csrf_protect` protects one.
 */
export function aiohttpEndpoints(project: Project): RoutedEndpoint[] {
  const apps = findApplications(project, AIOHTTP_APPLICATIONS);
  const mounts = subAppMounts(project, apps);
  return apps.flatMap((app) => {
    const context = mountedContext(project, app, mounts, 0);
    const prefix = mountPrefix(app, mounts, 0);
    const endpoints: RoutedEndpoint[] = [];
    for (const { module, scope, call, method } of app.usage.calls) {
      if (method === 'add_routes' || method === 'router.add_routes') endpoints.push(...tableEndpoints(project, module, call, scope, context));
      else if (method.startsWith('router.add_')) endpoints.push(...routerCallEndpoints(project, module, call, scope, method.slice('router.add_'.length), context));
    }
    return prefix === '' ? endpoints : endpoints.map((endpoint) => ({ ...endpoint, route: endpoint.route === null ? null : prefix + endpoint.route }));
  });
}

/** Where an app is mounted: `parent.add_subapp("/prefix", app)`. */
interface SubAppMount {
  parent: Application;
  prefix: string;
}

const MAX_SUBAPP_DEPTH = 8;

/** The sub-apps of every app: `app.add_subapp("/admin", admin)`, `app.add_subapp("/admin", create_admin())`. */
function subAppMounts(project: Project, apps: readonly Application[]): Map<Application, SubAppMount> {
  const mounts = new Map<Application, SubAppMount>();
  for (const parent of apps) {
    for (const { module, scope, call, method } of parent.usage.calls) {
      if (method !== 'add_subapp') continue;
      const positional = call.args.filter((argument) => !argument.name && !argument.unpack);
      const prefix = call.args.find((argument) => argument.name === 'prefix') ?? positional[0];
      const subapp = call.args.find((argument) => argument.name === 'subapp') ?? positional[1];
      if (!subapp) continue;
      const written = { prefix: prefix && { module, scope, expr: prefix.value }, subapp: { module, scope, expr: subapp.value } };
      for (const given of [written, ...passedByCallers(project, written, scope)]) {
        const mounted = apps.find((app) => app !== parent && isApp(project, app, given.subapp.module, given.subapp.expr, given.subapp.scope));
        const text = given.prefix && stringValue(project, given.prefix);
        if (mounted && !mounts.has(mounted)) mounts.set(mounted, { parent, prefix: trimTrailingSlash(text ?? '…') });
      }
    }
  }
  return mounts;
}

/** The prefix and sub-app an \`add_subapp\` call is given, as sites. */
interface MountArguments {
  prefix: ValueSite | undefined;
  subapp: ValueSite;
}

/**
 * \`def register_subapp(self, path, app): self.application.add_subapp(path, app)\`: a helper that mounts
 * the sub-app it is given. Each call of it (\`app_svc.register_subapp("/api/v2", make_app())\`, on an
 * instance of the helper's class) gives the prefix and the sub-app its parameters stand for.
 */
function passedByCallers(project: Project, written: MountArguments, scope: number): MountArguments[] {
  const { module } = written.subapp;
  const helper = module.symbols.definitionOfScope(scope);
  if (helper?.kind !== 'function' || module.symbols.lookup(finalIdentifier(written.subapp.expr) ?? '', helper.bodyScope)?.kind !== 'parameter') return [];
  const site = { module, definition: helper };
  return callsOfHelper(project, site).flatMap(({ caller, call, skipsFirst }) => {
    const subapp = passedForParameter(site, written.subapp.expr, call, caller, skipsFirst);
    const prefix = written.prefix && (passedForParameter(site, written.prefix.expr, call, caller, skipsFirst) ?? written.prefix);
    return subapp ? [{ prefix, subapp }] : [];
  });
}

/** The calls of a function or method the scan can tie to it: by its name, or on an instance of its class. */
function callsOfHelper(project: Project, helper: DefinitionSite): Array<{ caller: { module: SourceModule; scope: number }; call: CallExpr; skipsFirst: boolean }> {
  const isMethod = helper.module.facts.scopes[helper.definition.scope]?.kind === 'class';
  const found: Array<{ caller: { module: SourceModule; scope: number }; call: CallExpr; skipsFirst: boolean }> = [];
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      if (finalIdentifier(callee) !== helper.definition.name) continue;
      const target = callee.kind === 'attribute' && isMethod ? instanceMethod(project, module, callee.object, callee.attribute, scope) : resolvedDefinition(project, module, callee, scope);
      if (target?.definition === helper.definition) found.push({ caller: { module, scope }, call, skipsFirst: isMethod && callee.kind === 'attribute' });
    }
  }
  return found;
}

function instanceMethod(project: Project, module: SourceModule, instance: Expr, method: string, scope: number): DefinitionSite | undefined {
  const classes = project.instanceClasses(module, instance, scope);
  const [only] = classes;
  return classes.length === 1 && only !== undefined ? project.findMethod(only, method) : undefined;
}

function resolvedDefinition(project: Project, module: SourceModule, expr: Expr, scope: number): DefinitionSite | undefined {
  const name = project.resolve(module, expr, scope);
  return name === undefined ? undefined : project.findDefinition(name);
}

/** The app a name holds, or the app the called function makes and returns. */
function isApp(project: Project, app: Application, module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind !== 'call') return app.slot !== undefined && project.resolve(module, expr, scope) === app.slot;
  const name = project.resolve(module, expr.callee, scope);
  const maker = name === undefined ? undefined : project.findDefinition(name);
  return maker?.definition.kind === 'function' && maker.module === app.module && maker.definition.bodyScope === app.scope;
}

/** aiohttp drops the trailing slash of a sub-app's prefix. */
function trimTrailingSlash(prefix: string): string {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === '/') end -= 1;
  return prefix.slice(0, end);
}

function mountPrefix(app: Application, mounts: ReadonlyMap<Application, SubAppMount>, depth: number): string {
  const mount = mounts.get(app);
  return mount && depth < MAX_SUBAPP_DEPTH ? mountPrefix(mount.parent, mounts, depth + 1) + mount.prefix : '';
}

/**
 * A sub-app's requests go through its parent's middleware and session first: the parent's CSRF
 * middleware protects the sub-app's handlers, and the parent's session cookie reaches them.
 */
function mountedContext(project: Project, app: Application, mounts: ReadonlyMap<Application, SubAppMount>, depth: number): AppContext {
  const own = appContext(project, app);
  const mount = mounts.get(app);
  if (!mount || depth >= MAX_SUBAPP_DEPTH) return own;
  const parent = mountedContext(project, mount.parent, mounts, depth + 1);
  const borrowsCredentials = own.credentials === 'none' || own.credentials === 'unknown';
  const credentials = borrowsCredentials ? parent.credentials : own.credentials;
  // A sub-app with no session of its own is reached with its parent's: the parent's protection, and its finding, stand for it.
  const protection = own.protection.state !== 'protected' && (parent.protection.state === 'protected' || borrowsCredentials) ? parent.protection : own.protection;
  return { ...own, credentials, protection };
}

function appContext(project: Project, app: Application): AppContext {
  const site = appSite(app, 'aiohttp');
  const middleware = appMiddlewares(project, app);
  const names = middleware.map((entry) => entry.name);
  const sessions = app.usage.handedTo.includes(SESSION_SETUP) || names.includes(SESSION_MIDDLEWARE);
  const authentication = appAuthentication(project, app, sessions ? [{ kind: 'session-cookie', what: 'aiohttp-session', path: app.module.path, line: app.call.range.line }] : []);
  const { credentials } = authentication;
  const csrf = middleware.find((entry) => entry.name === CSRF_MIDDLEWARE || isHandWrittenCheck(project, entry.name));
  if (csrf) return { site, credentials, protection: { state: 'protected', check: csrf.name.slice(csrf.name.lastIndexOf('.') + 1), evidence: { file: csrf.module, line: csrf.range.line || app.call.range.line } } };
  const strict = sessions && everySessionCookieIsStrict(project, app.module.projectRoot);
  const reason = !sessions ? 'no aiohttp-session: no cookie session is seen, so csrflint reports nothing' : strict ? 'its session cookie is SameSite=Strict: browsers do not send it with a request another site starts' : undefined;
  return { site, credentials, protection: withTargetReason({ state: 'unprotected', check: 'no aiohttp-csrf middleware', evidence: site.anchor, ...(reason ? { reason } : {}) }, authentication) };
}

function isHandWrittenCheck(project: Project, middleware: string): boolean {
  const site = project.findDefinition(middleware);
  return site?.definition.kind === 'function' && checksCsrf(project, site.module, site.definition);
}

/** `router.add_post("/x", handler)`, `router.add_route("POST", "/x", handler)`, `router.add_view("/x", View)`. */
function routerCallEndpoints(project: Project, module: SourceModule, call: CallExpr, scope: number, verb: string, context: AppContext): RoutedEndpoint[] {
  const isRoute = verb === 'route';
  const method = isRoute ? methodArgument(project, module, call, scope) : verb === 'view' ? ANY_METHOD : (VERBS.has(verb) ? verb.toUpperCase() : undefined);
  if (method === undefined) return [];
  const positional = call.args.filter((argument) => !argument.name && !argument.unpack);
  const path = call.args.find((argument) => argument.name === 'path') ?? positional[isRoute ? 1 : 0];
  const handler = call.args.find((argument) => argument.name === 'handler') ?? positional[isRoute ? 2 : 1];
  return handler ? handlerEndpoints(project, module, scope, handler.value, routeOf(project, module, scope, path), method, context) : [];
}

/** `app.add_routes([web.post("/x", handler), ...])`, or the `RouteTableDef` whose decorators route handlers. */
function tableEndpoints(project: Project, module: SourceModule, call: CallExpr, scope: number, context: AppContext): RoutedEndpoint[] {
  const [table] = call.args;
  if (!table) return [];
  if (table.value.kind !== 'list' && table.value.kind !== 'tuple') {
    const tableName = project.resolve(module, table.value, scope);
    return tableName === undefined ? [] : decoratedEndpoints(project, tableName, context);
  }
  return table.value.items.flatMap((item) => {
    if (item.kind !== 'call') return [];
    const kind = /^aiohttp\.(web|web_routedef)\.(\w+)$/.exec(project.resolve(module, item.callee, scope) ?? '')?.[2] ?? '';
    const isRoute = kind === 'route';
    const method = isRoute ? methodArgument(project, module, item, scope) : kind === 'view' ? ANY_METHOD : (VERBS.has(kind) ? kind.toUpperCase() : undefined);
    const positional = item.args.filter((argument) => !argument.name && !argument.unpack);
    const handler = item.args.find((argument) => argument.name === 'handler') ?? positional[isRoute ? 2 : 1];
    if (method === undefined || !handler) return [];
    return handlerEndpoints(project, module, scope, handler.value, routeOf(project, module, scope, positional[isRoute ? 1 : 0]), method, context);
  });
}

/** `@routes.post("/x")` on functions or views, where `routes` is the table the app adds. */
function decoratedEndpoints(project: Project, tableName: string, context: AppContext): RoutedEndpoint[] {
  const endpoints: RoutedEndpoint[] = [];
  for (const { module, definition, decorator, kind } of routeTableDecorators(project, tableName)) {
    const isRoute = kind === 'route';
    const method = isRoute ? methodArgument(project, module, decorator, definition.scope) : kind === 'view' ? ANY_METHOD : (VERBS.has(kind) ? kind.toUpperCase() : undefined);
    const positional = decorator.args.filter((argument) => !argument.name && !argument.unpack);
    if (method !== undefined) endpoints.push(endpoint(project, { module, definition }, routeOf(project, module, definition.scope, positional[isRoute ? 1 : 0]), method, context));
  }
  return endpoints;
}

function handlerEndpoints(project: Project, module: SourceModule, scope: number, handler: Expr, route: string | null, method: string, context: AppContext): RoutedEndpoint[] {
  const name = project.resolve(module, handler, scope);
  const site = (name === undefined ? undefined : project.findDefinition(name)) ?? selfMethod(project, module, handler, scope);
  return site ? [endpoint(project, site, route, method, context)] : [];
}

/** \`self.get_all\` in a method of a class that inherits \`get_all\`: the method its instances run. */
function selfMethod(project: Project, module: SourceModule, handler: Expr, scope: number): DefinitionSite | undefined {
  if (handler.kind !== 'attribute' || handler.object.kind !== 'name' || handler.object.id !== 'self') return undefined;
  const method = module.symbols.definitionOfScope(scope);
  const owner = method && module.symbols.definitionOfScope(method.scope);
  return owner?.kind === 'class' ? project.findMethod(module.symbols.definitionName(owner), handler.attribute) : undefined;
}

function endpoint(project: Project, site: DefinitionSite, route: string | null, method: string, context: AppContext): RoutedEndpoint {
  const { module, definition } = site;
  const methods = definition.kind === 'class' ? classMethods(project, module.symbols.definitionName(definition)) : [method];
  return { app: context.site, module, definition, view: definition.name, route, methods, protection: handlerProtection(project, module, definition, context), credentials: context.credentials };
}

/** `@aiohttp_csrf.csrf_protect` checks the handler it decorates, whatever the app does. */
function handlerProtection(project: Project, module: SourceModule, definition: Definition, context: AppContext): Protection {
  if (context.protection.state === 'protected') return context.protection;
  const decorator = definition.decorators.find(({ expression }) => project.resolve(module, expression.kind === 'call' ? expression.callee : expression, definition.scope) === CSRF_DECORATOR);
  return decorator ? { state: 'protected', inView: true, check: '@csrf_protect', evidence: { file: module, line: decorator.range.line } } : context.protection;
}


function routeOf(project: Project, module: SourceModule, scope: number, argument: Argument | undefined): string | null {
  return (argument && stringValue(project, { module, scope, expr: argument.value })) ?? null;
}
