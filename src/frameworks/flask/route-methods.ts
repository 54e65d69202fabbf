import type { CallExpr, Definition, Expr } from '../../python/facts.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';

/** `@bp.route("/x")`, `@app.post("/x")`: the view's own route decorators. */
export function routeDecorators(definition: Definition): CallExpr[] {
  return definition.decorators.flatMap(({ expression }) =>
    expression.kind === 'call' && expression.callee.kind === 'attribute' && ROUTE_DECORATORS.has(expression.callee.attribute) ? [expression] : [],
  );
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The view's own route decorators (`@bp.route("/x")`, `@app.get("/x")`) all accept only GET, HEAD
 * or OPTIONS, and no call of the project is handed the view (`add_url_rule(..., view_func=view,
 * methods=["POST"])` routes it again). A view without a route decorator may be routed elsewhere
 * with any method: not known.
 */
export function routedOnlyForSafeMethods(project: Project, module: SourceModule, definition: Definition): boolean {
  const routes = routeDecorators(definition);
  const safe = routes.length > 0 && routes.every((route) => routeMethods(project, module, definition.scope, route).every((method) => method !== undefined && SAFE_METHODS.has(method)));
  return safe && !handedToCalls(project, module, definition);
}

/** A call of the project takes the function as an argument (`view_func=view`, `register(view)`). */
export function handedToCalls(project: Project, module: SourceModule, definition: Definition): boolean {
  const qualifiedName = module.symbols.definitionName(definition);
  return (callArgumentsByName(project).get(definition.name) ?? []).some(({ module: site, expr, scope }) => project.resolve(site, expr, scope) === qualifiedName);
}

interface ArgumentSite {
  module: SourceModule;
  expr: Expr;
  scope: number;
}

const argumentsByProject = new WeakMap<Project, Map<string, ArgumentSite[]>>();

/** Every call argument of the project that is a name or attribute, by its last identifier: gathered once. */
function callArgumentsByName(project: Project): Map<string, ArgumentSite[]> {
  project.noteEveryModuleRead();
  const known = argumentsByProject.get(project);
  if (known) return known;
  const byName = new Map<string, ArgumentSite[]>();
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      for (const { value } of call.args) {
        const name = value.kind === 'name' ? value.id : value.kind === 'attribute' ? value.attribute : undefined;
        if (name === undefined) continue;
        const sites = byName.get(name);
        if (sites) sites.push({ module, expr: value, scope });
        else byName.set(name, [{ module, expr: value, scope }]);
      }
    }
  }
  argumentsByProject.set(project, byName);
  return byName;
}

const ROUTE_DECORATORS = new Set(['route', 'get', 'post', 'put', 'patch', 'delete']);

/** The methods of a route decorator as written; `undefined` for one that cannot be read. */
function routeMethods(project: Project, module: SourceModule, scope: number, route: CallExpr): Array<string | undefined> {
  if (route.callee.kind !== 'attribute') return [undefined];
  const { attribute } = route.callee;
  if (attribute !== 'route') return [attribute.toUpperCase()];
  const methods = route.args.find((argument) => argument.name === 'methods');
  if (!methods) return ['GET'];
  const { value } = methods;
  if (value.kind !== 'list' && value.kind !== 'tuple' && value.kind !== 'set') return [undefined];
  return value.items.map((item) => stringValue(project, { module, scope, expr: item })?.toUpperCase());}

/**
 * The unsafe methods of a view whose own route decorators accept no POST, only methods an HTML
 * form cannot send (`methods=["PUT"]`, `@bp.delete("/x")`) besides safe ones, when no call of the
 * project routes the view again. `undefined` when a route accepts POST or cannot be read.
 */
export function routedOnlyForMethodsNoFormSends(project: Project, module: SourceModule, definition: Definition): string[] | undefined {
  const routes = routeDecorators(definition);
  const methods = routes.flatMap((route) => routeMethods(project, module, definition.scope, route));
  if (routes.length === 0 || methods.includes(undefined)) return undefined;
  const unsafe = [...new Set(methods)].filter((method): method is string => method !== undefined && !SAFE_METHODS.has(method));
  if (unsafe.length === 0 || unsafe.includes('POST')) return undefined;
  return handedToCalls(project, module, definition) ? undefined : unsafe;
}
