import type { Expr } from '../python/facts.js';
import type { Application, ApplicationKind } from './applications.js';
import type { DefinitionSite, Project } from './project.js';
import { dereference, stringValue, type ValueSite } from './values.js';
import { type HandlerList, UNSAFE_METHODS } from './views.js';

export const LITESTAR_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['litestar.Litestar', 'starlite.Starlite']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

export const LITESTAR = {
  csrfConfig: new Set(['litestar.config.csrf.CSRFConfig', 'starlite.CSRFConfig', 'starlite.config.CSRFConfig']),
  /** Route handler decorators: their extra keywords become the handler's `opt`. */
  handlerDecorators: /^(litestar|starlite)(\.handlers(\.http_handlers(\.decorators)?)?)?\.(get|post|put|patch|delete|route|head|websocket)$/,
  /** Layers whose `opt` every handler below them inherits. */
  routers: new Set(['litestar.Router', 'litestar.router.Router', 'starlite.Router', 'starlite.router.Router', 'litestar.Litestar', 'starlite.Starlite']),
  controllers: new Set(['litestar.Controller', 'litestar.controller.Controller', 'starlite.Controller', 'starlite.controller.Controller']),
  /** Authentication that keeps the user in a session: its `on_app_init` adds the session middleware. */
  sessionAuth: new Set(['litestar.security.session_auth.SessionAuth', 'litestar.security.session_auth.auth.SessionAuth', 'starlite.security.session_auth.SessionAuth', 'starlite.security.session_auth.auth.SessionAuth']),
  excludeKey: 'exclude_from_csrf',
} as const;

/** Route handler decorators that accept no state-changing method. */
const READ_ONLY_DECORATORS = new Set(['get', 'head', 'websocket']);

/**
 * The route handlers of `Litestar(route_handlers=[...])`, through controllers and routers: which
 * accept POST, PUT, PATCH or DELETE. Handlers the scan cannot read, plugins from outside Litestar
 * and `on_app_init` hooks other than its security configs' make the list incomplete.
 */
export function appRouteHandlers(project: Project, app: Application): HandlerList {
  const list: HandlerList = { unsafe: [], complete: true };
  addLayer(project, { module: app.module, scope: app.scope, expr: app.call }, list, 0);
  for (const argument of app.call.args) {
    if (argument.name === 'plugins') list.complete &&= itemsAre(project, app, argument.value, (item) => project.instanceClasses(app.module, item, app.scope).every((name) => name.startsWith('litestar.')));
    if (argument.name === 'on_app_init') list.complete &&= itemsAre(project, app, argument.value, (item) => isSecurityHook(project, app, item));
  }
  return list;
}

const MAX_LAYERS = 8;

/** The `route_handlers` of a `Litestar(...)` or `Router(...)` call. */
function addLayer(project: Project, layer: ValueSite, list: HandlerList, depth: number): void {
  const { module, scope, expr } = layer;
  if (expr.kind !== 'call' || depth > MAX_LAYERS) {
    list.complete = false;
    return;
  }
  const isApplication = project.isSubclassOf(project.resolve(module, expr.callee, scope) ?? '', LITESTAR_APPLICATIONS.appClasses);
  const argument = expr.args.find((candidate) => candidate.name === 'route_handlers') ?? (isApplication ? expr.args.find((candidate) => !candidate.name && !candidate.unpack) : undefined);
  if (!argument) return;
  const handlers = dereference(project, { module, scope, expr: argument.value });
  if (handlers.expr.kind !== 'list' && handlers.expr.kind !== 'tuple') {
    list.complete = false;
    return;
  }
  for (const item of handlers.expr.items) addHandler(project, { ...handlers, expr: item }, list, depth);
}

/** A handler function, a `Controller` subclass, or a `Router`. */
function addHandler(project: Project, item: ValueSite, list: HandlerList, depth: number): void {
  const { module, scope, expr } = item;
  if (expr.kind === 'call') {
    const callee = project.resolve(module, expr.callee, scope) ?? '';
    if (project.isSubclassOf(callee, LITESTAR.routers)) addLayer(project, item, list, depth + 1);
    else if (!STATIC_FILES_ROUTERS.has(callee)) list.complete = false;
    return;
  }
  const name = expr.kind === 'name' || expr.kind === 'attribute' ? project.resolve(module, expr, scope) : undefined;
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind === 'function') return addDecoratedHandler(project, site, list);
  if (site?.definition.kind === 'class' && project.isSubclassOf(name!, LITESTAR.controllers)) return addController(project, site, list);
  const value = dereference(project, item);
  if (value.expr.kind === 'call') return addHandler(project, value, list, depth + 1);
  list.complete = false;
}

function addController(project: Project, { module, definition }: DefinitionSite, list: HandlerList): void {
  for (const method of module.facts.definitions) {
    if (method.kind === 'function' && method.scope === definition.bodyScope) addDecoratedHandler(project, { module, definition: method }, list, `${definition.name}.`);
  }
}

/** A function decorated with `@post(...)`, `@get(...)`, `@route(..., http_method=[...])`. */
function addDecoratedHandler(project: Project, { module, definition }: DefinitionSite, list: HandlerList, prefix = ''): void {
  for (const { expression } of definition.decorators) {
    const decorator = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, decorator, definition.scope) ?? '';
    if (!LITESTAR.handlerDecorators.test(name)) continue;
    const kind = name.slice(name.lastIndexOf('.') + 1);
    const methods = kind === 'route' && expression.kind === 'call' ? routeMethods(project, { module, scope: definition.scope, expr: expression }) : [kind.toUpperCase()];
    if (!READ_ONLY_DECORATORS.has(kind) && (methods === undefined || methods.some((method) => UNSAFE_METHODS.has(method)))) list.unsafe.push(`${prefix}${definition.name}`);
  }
}

/** `@route("/x", http_method=["GET", "POST"])`: its methods, or `undefined` if they cannot be read. */
function routeMethods(project: Project, decorator: ValueSite): string[] | undefined {
  if (decorator.expr.kind !== 'call') return undefined;
  const argument = decorator.expr.args.find((candidate) => candidate.name === 'http_method');
  if (!argument) return undefined;
  const value = dereference(project, { ...decorator, expr: argument.value });
  const items = value.expr.kind === 'list' || value.expr.kind === 'tuple' ? value.expr.items : [value.expr];
  const methods = items.map((item) => stringValue(project, { ...value, expr: item }) ?? (item.kind === 'attribute' ? item.attribute : undefined));
  return methods.every((method) => method !== undefined) ? methods.map((method) => method!.toUpperCase()) : undefined;
}

function itemsAre(project: Project, app: Application, expr: Expr, test: (item: Expr) => boolean): boolean {
  const value = dereference(project, { module: app.module, scope: app.scope, expr });
  return (value.expr.kind === 'list' || value.expr.kind === 'tuple') && value.expr.items.every(test);
}

/** `session_auth.on_app_init` of a Litestar security config built without `route_handlers=` of its own. */
function isSecurityHook(project: Project, app: Application, hook: Expr): boolean {
  if (hook.kind !== 'attribute' || hook.attribute !== 'on_app_init') return false;
  const configs = project.instanceClasses(app.module, hook.object, app.scope);
  if (configs.length === 0 || !configs.every((name) => name.startsWith('litestar.security.') || name.startsWith('starlite.security.'))) return false;
  const built = dereference(project, { module: app.module, scope: app.scope, expr: hook.object });
  return built.expr.kind === 'call' && !built.expr.args.some((argument) => argument.name === 'route_handlers');
}

const STATIC_FILES_ROUTERS = new Set(['litestar.static_files.create_static_files_router', 'litestar.static_files.router.create_static_files_router']);
