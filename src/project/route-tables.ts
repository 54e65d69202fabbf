/**
 * Routes a project lists in a table of its own, which no framework reader follows: Weasyl's
 * `Route("/control/apikeys", "control_apikeys", {"GET": apikeys_get_, "POST": apikeys_post_})`,
 * added to the configurator in a loop. A call that holds one URL path as a string and project
 * functions as arguments (or as the values of a dict keyed by HTTP method) binds that path to them.
 */
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import { ProjectWideMemo } from './project-wide-memo.js';
import type { SourceModule } from './source-module.js';

export interface TabledView {
  module: SourceModule;
  definition: Definition;
  /** Bound under an unsafe method (`"POST"`), or with no method named (`Route("/x", "x", view)`). */
  unsafe: boolean;
}

export interface TabledRoute {
  path: string;
  /** The other plain words of the call: the route's name (`control_apikeys`). */
  names: string[];
  views: TabledView[];
}

/** The project's tabled routes (see the module's doc), by path, by name and by view. */
export interface RouteTable {
  byPath: Map<string, TabledRoute[]>;
  byName: Map<string, TabledRoute[]>;
  byView: Map<Definition, TabledRoute[]>;
}

export function routeTable(project: Project, projectRoot: string): RouteTable {
  return tablesByRoot.get(project, projectRoot);
}

const tablesByRoot = new ProjectWideMemo(findRouteTable);

function findRouteTable(project: Project, projectRoot: string): RouteTable {
  const table: RouteTable = { byPath: new Map(), byName: new Map(), byView: new Map() };
  for (const module of project.modules) {
    if (!holdsOrIsHeld(module.projectRoot, projectRoot)) continue;
    for (const { call, scope } of module.facts.calls) {
      const path = tabledPath(call);
      if (path === undefined) continue;
      const views = call.args.flatMap(({ value }) => boundValues(value)).flatMap(({ expr, unsafe }) => projectFunction(project, module, expr, scope).map((site) => ({ ...site, unsafe })));
      if (views.length === 0) continue;
      const strings = call.args.flatMap(({ value }) => (value.kind === 'string' ? [value.value] : []));
      const route: TabledRoute = { path, names: strings.filter((text) => ROUTE_NAME.test(text)), views };
      add(table.byPath, route.path, route);
      for (const name of route.names) add(table.byName, name, route);
      for (const view of views) add(table.byView, view.definition, route);
    }
  }
  return table;
}

/** The one URL path a call holds as a string, when it holds exactly one: the call may bind it to views. */
function tabledPath(call: CallExpr): string | undefined {
  const paths = call.args.flatMap(({ value }) => (value.kind === 'string' && value.value.startsWith('/') ? [value.value] : []));
  return paths.length === 1 ? paths[0] : undefined;
}

/**
 * The expressions a call of a route table may bind as views (\`content.submit_shout_\` of
 * \`Route("/submit/shout", "submit_shout", {"POST": content.submit_shout_})\`): the loader reads the
 * modules they name, whose views the table's judges look at.
 */
export function tabledViewExpressions(call: CallExpr): Expr[] {
  return tabledPath(call) === undefined ? [] : call.args.flatMap(({ value }) => boundValues(value)).map(({ expr }) => expr);
}

function holdsOrIsHeld(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

const ROUTE_NAME = /^[\w.:-]+$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function add<K>(map: Map<K, TabledRoute[]>, key: K, route: TabledRoute): void {
  const routes = map.get(key);
  if (routes) routes.push(route);
  else map.set(key, [route]);
}

/** An argument that may be a view: a name or attribute, or the values of a dict keyed by HTTP method. */
function boundValues(value: Expr): Array<{ expr: Expr; unsafe: boolean }> {
  if (value.kind === 'name' || value.kind === 'attribute') return [{ expr: value, unsafe: true }];
  if (value.kind !== 'dict') return [];
  return value.entries.flatMap(({ key, value: entry }) => (key?.kind === 'string' ? [{ expr: entry, unsafe: !SAFE_METHODS.has(key.value.toUpperCase()) }] : []));
}

function projectFunction(project: Project, module: SourceModule, expr: Expr, scope: number): Array<{ module: SourceModule; definition: Definition }> {
  const name = project.resolve(module, expr, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  return site?.definition.kind === 'function' ? [site] : [];
}

/** A route's path segment that takes any value: `{submitid}`, `{name:[a-z]+}`, `<int:id>`. */
const VARIABLE_SEGMENT = /^(?:\{[^/]*\}|<[^/]*>)$/;

/**
 * The routes a path written with template expressions may be (`/reupload/${feature}`): each segment
 * that is one expression matches any segment of a route, and every other segment must be the route's
 * own, or a variable of it. `segments` holds `undefined` for the expression segments.
 */
export function routesMatchingSegments(table: RouteTable, segments: ReadonlyArray<string | undefined>): TabledRoute[] {
  const matching: TabledRoute[] = [];
  for (const [path, routes] of table.byPath) {
    const own = path.split('/');
    if (own.length !== segments.length) continue;
    if (segments.every((segment, index) => segment === undefined || segment === own[index] || VARIABLE_SEGMENT.test(own[index]!))) matching.push(...routes);
  }
  return matching;
}
