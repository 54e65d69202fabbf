import type { Argument, CallExpr, Expr } from '../python/facts.js';
import type { Application, ApplicationKind } from './applications.js';
import type { DefinitionSite, Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { stringValue } from './values.js';
import { UNSAFE_METHODS } from './views.js';

export const AIOHTTP_APPLICATIONS: ApplicationKind = {
  appClasses: new Set(['aiohttp.web.Application']),
  protectorClasses: new Set(),
  formClasses: new Set(),
};

/** `app.router.add_post(path, handler)` and friends: the method each one routes. */
const ROUTER_METHODS = new Map([
  ['router.add_post', 'POST'],
  ['router.add_put', 'PUT'],
  ['router.add_patch', 'PATCH'],
  ['router.add_delete', 'DELETE'],
]);
/** `web.post(path, handler)` and friends, given to `app.add_routes([...])`, and `@routes.post(path)` of a `RouteTableDef`. */
const ROUTE_DEFINITIONS = new Map([
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
  ['route', 'ANY'],
  ['view', 'ANY'],
]);

/** A handler the scanned code routes a state-changing method to. */
export interface RoutedHandler {
  site: DefinitionSite;
  /** `delete_account`, or `Account.post` for a method of a class-based view. */
  name: string;
}

/**
 * The handlers an app routes POST, PUT, PATCH or DELETE to, as far as the scanned code shows:
 * `app.router.add_post(...)`, `app.router.add_route("POST", ...)`, `app.router.add_view(...)`,
 * `app.add_routes([web.post(...)])` and `app.add_routes(routes)` of a `RouteTableDef`. Routes
 * added another way are not listed.
 */
export function unsafeHandlers(project: Project, app: Application): RoutedHandler[] {
  const handlers: RoutedHandler[] = [];
  for (const { module, scope, call, method } of app.usage.calls) {
    if (method === 'add_routes' || method === 'router.add_routes') {
      const [table] = call.args;
      if (table) handlers.push(...tableHandlers(project, module, table.value, scope));
      continue;
    }
    const routed = routerMethod(project, module, call, method, scope);
    const handler = routed && handlerArgument(call.args, method === 'router.add_route' ? 2 : 1);
    if (handler) handlers.push(...handlersOf(project, module, handler.value, scope, routed));
  }
  return handlers;
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
function tableHandlers(project: Project, module: SourceModule, table: Expr, scope: number): RoutedHandler[] {
  if (table.kind === 'list' || table.kind === 'tuple') {
    return table.items.flatMap((item) => {
      if (item.kind !== 'call' || item.callee.kind !== 'attribute' && item.callee.kind !== 'name') return [];
      const definition = project.resolve(module, item.callee, scope) ?? '';
      const method = /^aiohttp\.(web|web_routedef)\.(\w+)$/.exec(definition)?.[2];
      const routed = method === 'route' ? routeDefinitionMethod(project, module, item, scope) : ROUTE_DEFINITIONS.get(method ?? '');
      const handler = routed && handlerArgument(item.args, method === 'route' ? 2 : 1);
      return handler ? handlersOf(project, module, handler.value, scope, routed) : [];
    });
  }
  const tableName = project.resolve(module, table, scope);
  return tableName === undefined ? [] : decoratedHandlers(project, tableName);
}

function routeDefinitionMethod(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const [first] = call.args;
  const name = first && !first.name ? stringValue(project, { module, scope, expr: first.value })?.toUpperCase() : undefined;
  return name === '*' ? 'ANY' : name;
}

/** `@routes.post("/x")` on functions or classes, where `routes` is the table given to `add_routes`. */
function decoratedHandlers(project: Project, tableName: string): RoutedHandler[] {
  const handlers: RoutedHandler[] = [];
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      for (const { expression } of definition.decorators) {
        if (expression.kind !== 'call' || expression.callee.kind !== 'attribute') continue;
        const method = ROUTE_DEFINITIONS.get(expression.callee.attribute);
        if (!method || project.resolve(module, expression.callee.object, definition.scope) !== tableName) continue;
        const routed = method === 'ANY' && expression.callee.attribute === 'route' ? routeDefinitionMethod(project, module, expression, definition.scope) : method;
        if (routed) handlers.push(...routedDefinition(project, { module, definition }, routed));
      }
    }
  }
  return handlers;
}

function handlersOf(project: Project, module: SourceModule, expr: Expr, scope: number, method: string): RoutedHandler[] {
  const name = project.resolve(module, expr, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  return site ? routedDefinition(project, site, method) : [];
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
