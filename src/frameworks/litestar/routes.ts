import type { Argument, Definition, Expr } from '../../python/facts.js';
import type { Application, ApplicationKind } from '../../project/applications.js';
import { appMiddlewares } from '../../project/middleware.js';
import type { DefinitionSite, Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { joinUrlPath } from '../../project/url-paths.js';
import { dereference, stringValue, type ValueSite } from '../../project/values.js';
import { type HandlerList, UNSAFE_METHODS } from '../../project/views.js';

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

/** A route handler: a function decorated with `@post("/x")`, `@route(..., http_method=[...])`, maybe a method of a controller. */
export interface RouteHandler {
  module: SourceModule;
  definition: Definition;
  controller?: Definition;
  /** The decorator's last name: `post`, `get`, `route`, `websocket`. */
  kind: string;
  /** Upper-case methods; `undefined` when `@route`'s cannot be read. */
  methods: string[] | undefined;
  /** The path under the app, with its routers' and controller's; `null` when a part cannot be read. */
  path: string | null;
}

/**
 * The route handlers of `Litestar(route_handlers=[...])`, through controllers and routers, with
 * their paths. Handlers the scan cannot read, plugins from outside Litestar and `on_app_init` hooks
 * other than its security configs' make the list incomplete.
 */
export function appRoutes(project: Project, app: Application): { handlers: RouteHandler[]; complete: boolean } {
  const walk: RouteWalk = { handlers: [], complete: true };
  addLayer(project, { module: app.module, scope: app.scope, expr: app.call }, '', walk, 0);
  for (const argument of app.call.args) {
    if (argument.name === 'plugins') walk.complete &&= itemsAre(project, app, argument.value, (item) => project.instanceClasses(app.module, item, app.scope).every((name) => name.startsWith('litestar.')));
    if (argument.name === 'on_app_init') walk.complete &&= itemsAre(project, app, argument.value, (item) => isSecurityHook(project, app, item));
  }
  return walk;
}

/** Which route handlers of an app accept POST, PUT, PATCH or DELETE. */
export function appRouteHandlers(project: Project, app: Application): HandlerList {
  const { handlers, complete } = appRoutes(project, app);
  const unsafe = handlers.filter(({ kind, methods }) => !READ_ONLY_DECORATORS.has(kind) && (methods === undefined || methods.some((method) => UNSAFE_METHODS.has(method))));
  return { unsafe: unsafe.map(({ definition, controller }) => (controller ? `${controller.name}.${definition.name}` : definition.name)), complete };
}

/**
 * The route handlers of a project root outside its tests, when an app's own list cannot be read
 * (controllers handed to it by a plugin's `on_app_init`): functions and controller methods with a
 * handler decorator, each under its controller's path only.
 */
export function routeHandlersOfProject(project: Project, projectRoot: string): RouteHandler[] {
  const walk: RouteWalk = { handlers: [], complete: true };
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot || module.context === 'test') continue;
    for (const definition of module.facts.definitions) {
      if (definition.kind === 'class' && project.isSubclassOf(module.symbols.definitionName(definition), LITESTAR.controllers)) addController(project, { module, definition }, '', walk);
      else if (definition.kind === 'function' && module.facts.scopes[definition.scope]?.kind !== 'class') addDecoratedHandler(project, { module, definition }, '', walk);
    }
  }
  return walk.handlers;
}

interface RouteWalk {
  handlers: RouteHandler[];
  complete: boolean;
}

const MAX_LAYERS = 8;

/** The `route_handlers` of a `Litestar(...)` or `Router(path=..., route_handlers=...)` call. */
function addLayer(project: Project, layer: ValueSite, prefix: string | null, walk: RouteWalk, depth: number): void {
  const { module, scope, expr } = layer;
  if (expr.kind !== 'call' || depth > MAX_LAYERS) {
    walk.complete = false;
    return;
  }
  const isApplication = project.isSubclassOf(project.resolve(module, expr.callee, scope) ?? '', LITESTAR_APPLICATIONS.appClasses);
  const argument = expr.args.find((candidate) => candidate.name === 'route_handlers') ?? (isApplication ? expr.args.find((candidate) => !candidate.name && !candidate.unpack) : undefined);
  if (!argument) return;
  const handlers = dereference(project, { module, scope, expr: argument.value });
  if (handlers.expr.kind !== 'list' && handlers.expr.kind !== 'tuple') {
    walk.complete = false;
    return;
  }
  const layerPath = isApplication ? prefix : joinPath(prefix, pathKeyword(project, layer));
  for (const item of handlers.expr.items) addHandler(project, { ...handlers, expr: item }, layerPath, walk, depth);
}

/** A handler function, a `Controller` subclass, or a `Router`. */
function addHandler(project: Project, item: ValueSite, prefix: string | null, walk: RouteWalk, depth: number): void {
  const { module, scope, expr } = item;
  if (expr.kind === 'call') {
    const callee = project.resolve(module, expr.callee, scope) ?? '';
    if (project.isSubclassOf(callee, LITESTAR.routers)) addLayer(project, item, prefix, walk, depth + 1);
    else if (!STATIC_FILES_ROUTERS.has(callee)) walk.complete = false;
    return;
  }
  const name = expr.kind === 'name' || expr.kind === 'attribute' ? project.resolve(module, expr, scope) : undefined;
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind === 'function') return addDecoratedHandler(project, site, prefix, walk);
  if (site?.definition.kind === 'class' && project.isSubclassOf(name!, LITESTAR.controllers)) return addController(project, site, prefix, walk);
  const value = dereference(project, item);
  if (value.expr.kind === 'call') return addHandler(project, value, prefix, walk, depth + 1);
  walk.complete = false;
}

function addController(project: Project, controller: DefinitionSite, prefix: string | null, walk: RouteWalk): void {
  const { module, definition } = controller;
  const path = joinPath(prefix, classPath(project, module.symbols.definitionName(definition)));
  for (const method of module.facts.definitions) {
    if (method.kind === 'function' && method.scope === definition.bodyScope) addDecoratedHandler(project, { module, definition: method }, path, walk, definition);
  }
}

/** A function decorated with `@post(...)`, `@get(...)`, `@route(..., http_method=[...])`. */
function addDecoratedHandler(project: Project, { module, definition }: DefinitionSite, prefix: string | null, walk: RouteWalk, controller?: Definition): void {
  for (const { expression } of definition.decorators) {
    const decorator = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, decorator, definition.scope) ?? '';
    if (!LITESTAR.handlerDecorators.test(name)) continue;
    const kind = name.slice(name.lastIndexOf('.') + 1);
    const site = { module, scope: definition.scope, expr: expression };
    const methods = kind === 'route' ? routeMethods(project, site) : [kind.toUpperCase()];
    const own = handlerPath(project, site);
    walk.handlers.push({ module, definition, ...(controller ? { controller } : {}), kind, methods, path: own === null ? null : joinPath(prefix, own ?? '') });
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

/** `@post("/x")`, `@get(path="/x")`; `undefined` when no path is given (the handler answers at its layer's path), `null` when it cannot be read. */
function handlerPath(project: Project, decorator: ValueSite): string | null | undefined {
  if (decorator.expr.kind !== 'call') return undefined;
  const argument = decorator.expr.args.find((candidate) => candidate.name === 'path') ?? decorator.expr.args.find((candidate) => !candidate.name && !candidate.unpack);
  if (!argument) return undefined;
  return stringValue(project, { ...decorator, expr: argument.value }) ?? null;
}

/** A router's `path=`; `null` when it is given and cannot be read. */
function pathKeyword(project: Project, call: ValueSite): string | null {
  if (call.expr.kind !== 'call') return '';
  const argument = call.expr.args.find((candidate) => candidate.name === 'path');
  if (!argument) return '';
  return stringValue(project, { ...call, expr: argument.value }) ?? null;
}

/** A controller's `path = "/x"` class attribute. */
function classPath(project: Project, className: string): string | null {
  const [assigned] = project.assignmentsTo(`${className}.path`);
  const value = assigned?.assignment.value;
  if (!value) return '';
  return stringValue(project, { module: assigned.module, scope: assigned.assignment.scope, expr: value }) ?? null;
}

function joinPath(prefix: string | null, path: string | null): string | null {
  return prefix === null || path === null ? null : joinUrlPath(prefix, path);
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

/** A session middleware among the app's, or `SessionAuth` added by `on_app_init`: what the rule asks before it reports a missing `csrf_config`. */
export function appKeepsSessions(project: Project, app: Application): boolean {
  return appMiddlewares(project, app).some((entry) => /session/i.test(entry.name)) || addsSessionAuth(project, app);
}

/** `on_app_init=[session_auth.on_app_init]` with a `SessionAuth`: the usual way to add sessions with a login. */
function addsSessionAuth(project: Project, app: Application): boolean {
  const hooks = app.call.args.find((argument) => argument.name === 'on_app_init');
  if (!hooks || (hooks.value.kind !== 'list' && hooks.value.kind !== 'tuple')) return false;
  return hooks.value.items.some((hook) => hook.kind === 'attribute' && hook.attribute === 'on_app_init' && project.isInstanceOf(app.module, hook.object, app.scope, LITESTAR.sessionAuth));
}

/** The app's `csrf_config=` argument, unless it is `None`: Litestar checks tokens only when one is given. */
export function csrfConfigArgument(app: Application): Argument | undefined {
  const config = app.call.args.find((argument) => argument.name === 'csrf_config');
  return config !== undefined && !(config.value.kind === 'constant' && config.value.value === null) ? config : undefined;
}
