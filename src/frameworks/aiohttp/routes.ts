import type { Argument, CallExpr, Definition, Expr } from '../../python/facts.js';
import type { Application, ApplicationKind } from '../../project/applications.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue } from '../../project/values.js';
import { UNSAFE_METHODS } from '../../project/views.js';

export const AIOHTTP_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['aiohttp.web.Application']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

/** `app.router.add_post(path, handler)` and friends: the method each one routes. */
const ROUTER_METHODS = new Map([
  ['router.add_get', 'GET'],
  ['router.add_head', 'HEAD'],
  ['router.add_post', 'POST'],
  ['router.add_put', 'PUT'],
  ['router.add_patch', 'PATCH'],
  ['router.add_delete', 'DELETE'],
]);
/** Router calls that add no state-changing route: GET pages, static files. */
const READ_ONLY_ROUTER_METHODS = new Set(['router.add_get', 'router.add_head', 'router.add_static']);
/** `web.post(path, handler)` and friends, given to `app.add_routes([...])`, and `@routes.post(path)` of a `RouteTableDef`. */
const ROUTE_DEFINITIONS = new Map([
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
  ['route', 'ANY'],
  ['view', 'ANY'],
]);
const READ_ONLY_DEFINITIONS = new Set(['get', 'head', 'static']);

/** A handler the scanned code routes a state-changing method to. */
interface RoutedHandler {
  site: DefinitionSite;
  /** `delete_account`, or `Account.post` for a method of a class-based view. */
  name: string;
}

/** What the scan shows of an app's routes. */
interface AppRoutes {
  /** The handlers of POST, PUT, PATCH or DELETE routes (and of routes for any method). */
  unsafe: RoutedHandler[];
  /** The app has routes, and every one could be read: its method, and the handler of every unsafe one. */
  complete: boolean;
}

/**
 * The routes of an app, as far as the scanned code shows: `app.router.add_post(...)`,
 * `app.router.add_route("POST", ...)`, `app.router.add_view(...)`, `app.add_routes([web.post(...)])`
 * and `app.add_routes(routes)` of a `RouteTableDef`. Routes added another way (through
 * `router = app.router`, a sub-application, or code outside the scan) make the list incomplete.
 */
export function appRoutes(project: Project, app: Application): AppRoutes {
  const routes: AppRoutes = { unsafe: [], complete: app.usage.unlistedViewsFrom.length === 0 };
  let seen = 0;
  for (const { module, scope, call, method } of app.usage.calls) {
    if (method === 'add_routes' || method === 'router.add_routes') {
      const [table] = call.args;
      if (table) addTable(project, module, table.value, scope, routes);
      else routes.complete = false;
      seen++;
    } else if (method.startsWith('router.add_')) {
      addRouterCall(project, module, call, method, scope, routes);
      seen++;
    } else if (method === 'add_subapp' || method === 'add_domain') {
      routes.complete = false;
    }
    if (holdsRouter(module)) routes.complete = false;
  }
  if (seen === 0 || holdsRouter(app.module)) routes.complete = false;
  return routes;
}

/** `router = app.router` or `add_route = app.router.add_route`: routes added through the name are not seen. */
function holdsRouter(module: SourceModule): boolean {
  return module.facts.assignments.some(({ value }) => value?.kind === 'attribute' && (value.attribute === 'router' || (value.object.kind === 'attribute' && value.object.attribute === 'router')));
}

function addRouterCall(project: Project, module: SourceModule, call: CallExpr, method: string, scope: number, routes: AppRoutes): void {
  if (READ_ONLY_ROUTER_METHODS.has(method)) return;
  const routed = routerMethod(project, module, call, method, scope);
  if (routed === undefined) {
    routes.complete = false;
    return;
  }
  const handler = handlerArgument(call.args, method === 'router.add_route' ? 2 : 1);
  if (handler) addHandler(project, module, handler.value, scope, routed, routes);
  else if (routed === 'ANY' || UNSAFE_METHODS.has(routed)) routes.complete = false;
}

/** The method a router call routes: from its name, or the first argument of `add_route`. */
function routerMethod(project: Project, module: SourceModule, call: CallExpr, method: string, scope: number): string | undefined {
  if (method === 'router.add_view') return 'ANY';
  if (method !== 'router.add_route') return ROUTER_METHODS.get(method);
  const [first] = call.args;
  const name = first && !first.name ? stringValue(project, { module, scope, expr: first.value })?.toUpperCase() : undefined;
  return name === '*' ? 'ANY' : name;
}

function handlerArgument(args: Argument[], position: number): Argument | undefined {
  return args.find((argument) => argument.name === 'handler') ?? args.filter((argument) => !argument.name && !argument.unpack)[position];
}

/** `[web.post("/x", handler), ...]`, or a `RouteTableDef` whose decorators route handlers. */
function addTable(project: Project, module: SourceModule, table: Expr, scope: number, routes: AppRoutes): void {
  if (table.kind !== 'list' && table.kind !== 'tuple') {
    const tableName = project.resolve(module, table, scope);
    if (tableName === undefined) routes.complete = false;
    else addDecoratedHandlers(project, tableName, routes);
    return;
  }
  for (const item of table.items) {
    const definition = item.kind === 'call' ? (project.resolve(module, item.callee, scope) ?? '') : '';
    const kind = /^aiohttp\.(web|web_routedef)\.(\w+)$/.exec(definition)?.[2] ?? '';
    if (item.kind !== 'call' || READ_ONLY_DEFINITIONS.has(kind)) {
      routes.complete &&= item.kind === 'call';
      continue;
    }
    const routed = kind === 'route' ? routeDefinitionMethod(project, module, item, scope) : ROUTE_DEFINITIONS.get(kind);
    const handler = routed && handlerArgument(item.args, kind === 'route' ? 2 : 1);
    if (routed && handler) addHandler(project, module, handler.value, scope, routed, routes);
    else routes.complete = false;
  }
}

/** The method of `route("POST", ...)`: the first argument, `ANY` for `*`. */
export function routeDefinitionMethod(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const [first] = call.args;
  const name = first && !first.name ? stringValue(project, { module, scope, expr: first.value })?.toUpperCase() : undefined;
  return name === '*' ? 'ANY' : name;
}

/** `@routes.post("/x")` on functions or classes, where `routes` is the table given to `add_routes`. */
function addDecoratedHandlers(project: Project, tableName: string, routes: AppRoutes): void {
  for (const { module, definition, decorator, kind } of routeTableDecorators(project, tableName)) {
    if (READ_ONLY_DEFINITIONS.has(kind)) continue;
    const routed = kind === 'route' ? routeDefinitionMethod(project, module, decorator, definition.scope) : ROUTE_DEFINITIONS.get(kind);
    if (routed) routes.unsafe.push(...routedDefinition(project, { module, definition }, routed));
    else routes.complete = false;
  }
}

/** A `@routes.<kind>(...)` decorator on a function or class, where `routes` resolves to `tableName`. */
interface RouteTableDecorator {
  module: SourceModule;
  definition: Definition;
  decorator: CallExpr;
  /** The decorator's method name: `post`, `route`, `view`, ... */
  kind: string;
}

export function* routeTableDecorators(project: Project, tableName: string): Generator<RouteTableDecorator> {
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      for (const { expression } of definition.decorators) {
        if (expression.kind !== 'call' || expression.callee.kind !== 'attribute') continue;
        if (project.resolve(module, expression.callee.object, definition.scope) !== tableName) continue;
        yield { module, definition, decorator: expression, kind: expression.callee.attribute };
      }
    }
  }
}

function addHandler(project: Project, module: SourceModule, expr: Expr, scope: number, method: string, routes: AppRoutes): void {
  if (method !== 'ANY' && !UNSAFE_METHODS.has(method)) return;
  const name = project.resolve(module, expr, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site) routes.unsafe.push(...routedDefinition(project, site, method));
  else routes.complete = false;
}

/** A function routed an unsafe method, or the unsafe methods of a class-based view. */
function routedDefinition(project: Project, site: DefinitionSite, method: string): RoutedHandler[] {
  const { module, definition } = site;
  if (definition.kind === 'function') return method === 'ANY' || UNSAFE_METHODS.has(method) ? [{ site, name: definition.name }] : [];
  const className = module.symbols.definitionName(definition);
  return [...UNSAFE_METHODS].flatMap((unsafe) => {
    const handler = project.findMethod(className, unsafe.toLowerCase());
    return handler ? [{ site: handler, name: `${definition.name}.${handler.definition.name}` }] : [];
  });
}

/** Where aiohttp-session is given its cookie storage: `setup(app, storage)`, `session_middleware(storage)`. */
const SESSION_STORAGE_TAKERS: ReadonlyMap<string, number> = new Map([
  ['aiohttp_session.setup', 1],
  ['aiohttp_session.session_middleware', 0],
]);

/**
 * Every session storage the project hands to aiohttp-session sets \`samesite="Strict"\`: browsers
 * then never send the session cookie with a request another site starts, so a forged request is
 * anonymous. A storage whose options cannot be read counts as not strict.
 */
export function everySessionCookieIsStrict(project: Project, projectRoot: string): boolean {
  const storages = project.modules.flatMap((module) =>
    module.projectRoot !== projectRoot
      ? []
      : module.facts.calls.flatMap(({ call, scope }) => {
          const position = SESSION_STORAGE_TAKERS.get(project.resolve(module, call.callee, scope) ?? '');
          const storage = position === undefined ? undefined : call.args.filter((argument) => argument.name === undefined && !argument.unpack)[position];
          return storage ? [dereference(project, { module, scope, expr: storage.value })] : [];
        }),
  );
  return storages.length > 0 && storages.every(({ module, scope, expr }) => expr.kind === 'call' && setsStrictSameSite(project, module, scope, expr));
}

function setsStrictSameSite(project: Project, module: SourceModule, scope: number, storage: CallExpr): boolean {
  const samesite = storage.args.find((argument) => argument.name === 'samesite');
  return samesite !== undefined && stringValue(project, { module, scope, expr: samesite.value })?.toLowerCase() === 'strict';
}
