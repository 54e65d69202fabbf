import type { Definition, Expr } from '../python/facts.js';
import { type Application, findApplications } from '../project/applications.js';
import { LITESTAR, LITESTAR_APPLICATIONS } from '../project/litestar.js';
import { appMiddlewares } from '../project/middleware.js';
import type { DefinitionSite, Project } from '../project/project.js';
import { dereference, stringValue, type ValueSite } from '../project/values.js';
import { appAuthentication, appSite, withTargetReason } from './apps.js';
import { ANY_METHOD, type AppContext, type Protection, type RoutedEndpoint, sortedMethods } from './endpoint.js';

const MAX_LAYERS = 8;

/**
 * The route handlers of every Litestar app: `Litestar(route_handlers=[...])` through routers and
 * controllers, each handler a function decorated with `@post("/x")`, `@route(..., http_method=[...])`.
 * The app's `csrf_config` protects them all.
 */
export function litestarEndpoints(project: Project): RoutedEndpoint[] {
  return findApplications(project, LITESTAR_APPLICATIONS).flatMap((app) => {
    const context = appContext(project, app);
    const endpoints: RoutedEndpoint[] = [];
    addLayer(project, { module: app.module, scope: app.scope, expr: app.call }, '', context, endpoints, 0);
    return endpoints;
  });
}

function appContext(project: Project, app: Application): AppContext {
  const site = appSite(app, 'litestar');
  const session = appMiddlewares(project, app).find((entry) => /session/i.test(entry.name));
  const authentication = appAuthentication(project, app, session ? [{ kind: 'session-cookie', what: `\`${session.name}\``, path: session.module.path, line: session.range.line || app.call.range.line }] : []);
  const config = app.call.args.find((argument) => argument.name === 'csrf_config');
  const isSet = config !== undefined && !(config.value.kind === 'constant' && config.value.value === null);
  const protection: Protection = isSet ? { state: 'protected', check: 'csrf_config', evidence: { file: app.module, line: config.range.line } } : { state: 'unprotected', check: 'no csrf_config', evidence: site.anchor };
  return { site, credentials: authentication.credentials, protection: withTargetReason(protection, authentication) };
}

/** The `route_handlers` of a `Litestar(...)` or `Router(path=..., route_handlers=...)` call. */
function addLayer(project: Project, layer: ValueSite, prefix: string, context: AppContext, endpoints: RoutedEndpoint[], depth: number): void {
  const { module, scope, expr } = layer;
  if (expr.kind !== 'call' || depth > MAX_LAYERS) return;
  const argument = expr.args.find((candidate) => candidate.name === 'route_handlers') ?? (depth === 0 ? expr.args.find((candidate) => !candidate.name && !candidate.unpack) : undefined);
  if (!argument) return;
  const handlers = dereference(project, { module, scope, expr: argument.value });
  if (handlers.expr.kind !== 'list' && handlers.expr.kind !== 'tuple') return;
  for (const item of handlers.expr.items) addHandler(project, { ...handlers, expr: item }, prefix, context, endpoints, depth);
}

function addHandler(project: Project, item: ValueSite, prefix: string, context: AppContext, endpoints: RoutedEndpoint[], depth: number): void {
  const { module, scope, expr } = item;
  if (expr.kind === 'call') {
    if (project.isSubclassOf(project.resolve(module, expr.callee, scope) ?? '', LITESTAR.routers)) addLayer(project, item, joinPath(prefix, pathKeyword(project, item)), context, endpoints, depth + 1);
    return;
  }
  const name = expr.kind === 'name' || expr.kind === 'attribute' ? project.resolve(module, expr, scope) : undefined;
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind === 'function') {
    endpoints.push(...decoratedHandler(project, site, prefix, context));
    return;
  }
  if (site?.definition.kind === 'class' && project.isSubclassOf(name!, LITESTAR.controllers)) {
    const controllerPath = classPath(project, name!);
    for (const method of site.module.facts.definitions) {
      if (method.kind === 'function' && method.scope === site.definition.bodyScope) endpoints.push(...decoratedHandler(project, { module: site.module, definition: method }, joinPath(prefix, controllerPath), context, site.definition));
    }
    return;
  }
  const value = dereference(project, item);
  if (value.expr !== expr) addHandler(project, value, prefix, context, endpoints, depth + 1);
}

function decoratedHandler(project: Project, { module, definition }: DefinitionSite, prefix: string, context: AppContext, controller?: Definition): RoutedEndpoint[] {
  return definition.decorators.flatMap(({ expression }) => {
    const decorator = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, decorator, definition.scope) ?? '';
    if (!LITESTAR.handlerDecorators.test(name)) return [];
    const kind = name.slice(name.lastIndexOf('.') + 1);
    if (kind === 'websocket') return [];
    const site = { module, scope: definition.scope, expr: expression };
    const methods = kind === 'route' ? routeMethods(project, site) : [kind.toUpperCase()];
    const own = expression.kind === 'call' ? handlerPath(project, site) : undefined;
    const view = controller ? `${controller.name}.${definition.name}` : definition.name;
    return [{ app: context.site, module, definition, view, route: own === null ? null : joinPath(prefix, own ?? ''), methods, protection: context.protection, credentials: context.credentials }];
  });
}

/** `@post("/x")`, `@get(path="/x")`; `undefined` when no path is given (the handler answers at its layer's path), `null` when it cannot be read. */
function handlerPath(project: Project, decorator: ValueSite): string | null | undefined {
  if (decorator.expr.kind !== 'call') return undefined;
  const argument = decorator.expr.args.find((candidate) => candidate.name === 'path') ?? decorator.expr.args.find((candidate) => !candidate.name && !candidate.unpack);
  if (!argument) return undefined;
  return stringValue(project, { ...decorator, expr: argument.value }) ?? null;
}

function routeMethods(project: Project, decorator: ValueSite): string[] {
  if (decorator.expr.kind !== 'call') return [ANY_METHOD];
  const argument = decorator.expr.args.find((candidate) => candidate.name === 'http_method');
  if (!argument) return [ANY_METHOD];
  const value = dereference(project, { ...decorator, expr: argument.value });
  const items: Expr[] = value.expr.kind === 'list' || value.expr.kind === 'tuple' ? value.expr.items : [value.expr];
  const methods = items.map((item) => stringValue(project, { ...value, expr: item }) ?? (item.kind === 'attribute' ? item.attribute : undefined));
  return methods.every((method) => method !== undefined) ? sortedMethods(methods as string[]) : [ANY_METHOD];
}

function pathKeyword(project: Project, call: ValueSite): string {
  if (call.expr.kind !== 'call') return '';
  const argument = call.expr.args.find((candidate) => candidate.name === 'path');
  return (argument && stringValue(project, { ...call, expr: argument.value })) ?? '';
}

/** A controller's `path = "/x"` class attribute. */
function classPath(project: Project, className: string): string {
  const [assigned] = project.assignmentsTo(`${className}.path`);
  const value = assigned?.assignment.value;
  return (value && stringValue(project, { module: assigned.module, scope: assigned.assignment.scope, expr: value })) ?? '';
}

function joinPath(prefix: string, path: string): string {
  if (prefix === '' || prefix === '/') return path === '' ? prefix : path;
  if (path === '' || path === '/') return prefix;
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
