import type { Argument, Expr, SourceRange } from '../python/facts.js';
import type { Application } from './applications.js';
import type { AssignmentSite, Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { singleAssignedValue } from './values.js';

/** A middleware an app is built with, by the canonical name of its class or factory. */
export interface AppMiddleware {
  name: string;
  module: SourceModule;
  range: SourceRange;
  /** The options it is configured with (`Middleware(Cls, enabled=False)`, `add_middleware(Cls, secret=...)`), in `module`. */
  options: Argument[];
  /** The scope the options are written in. */
  scope: number;
}

/** The constructor keyword that lists an app's middleware: `middleware=` (Starlette, Litestar), `middlewares=` (aiohttp). */
const MIDDLEWARE_KEYWORDS = new Set(['middleware', 'middlewares']);

/** Wrappers whose first argument is the middleware class: `Middleware(SessionMiddleware, ...)`. */
const MIDDLEWARE_WRAPPERS = /(^|\.)(Middleware|DefineMiddleware)$/;

/**
 * The middleware of an app: the list given to its constructor, and what `add_middleware(...)`,
 * `middlewares.append(...)` or `middlewares.extend(...)` add later, wherever the app is.
 */
export function appMiddlewares(project: Project, app: Application): AppMiddleware[] {
  const found: AppMiddleware[] = [];
  for (const argument of app.call.args) {
    if (argument.name === undefined || !MIDDLEWARE_KEYWORDS.has(argument.name)) continue;
    found.push(...listed(project, app.module, argument.value, app.scope));
  }
  for (const { module, scope, call, method } of app.usage.calls) {
    const [first] = call.args;
    if (!first) continue;
    if (method === 'add_middleware') {
      found.push(...middlewareOf(project, module, first.value, scope).map((entry) => ({ ...entry, options: call.args.slice(1), range: call.range })));
    } else if (method === 'middlewares.append' || method === 'middlewares.insert') {
      const item = method === 'middlewares.insert' ? call.args[1] : first;
      if (item) found.push(...middlewareOf(project, module, item.value, scope));
    } else if (method === 'middlewares.extend') {
      found.push(...listed(project, module, first.value, scope));
    }
  }
  return found;
}

/** Lists are built in a few steps at most; the bound stops cycles (`a = b; b = a`). */
const MAX_LIST_DEPTH = 6;

/**
 * The middleware of a list: written out, concatenated (`BASE + [...]`), or held in a name or a class
 * attribute (inherited ones too) and grown with `+=`, `.append(...)`, `.insert(...)` and
 * `.extend(...)` in the scope that builds it.
 */
function listed(project: Project, module: SourceModule, expr: Expr, scope: number, depth = 0, read = new Set<object>()): AppMiddleware[] {
  if (depth > MAX_LIST_DEPTH) return [];
  if (expr.kind === 'list' || expr.kind === 'tuple') return expr.items.flatMap((item) => (item.kind === 'starred' ? listed(project, module, item.value, scope, depth + 1, read) : middlewareOf(project, module, item, scope)));
  if (expr.kind === 'binary' && expr.operator === '+') return [...listed(project, module, expr.left, scope, depth + 1, read), ...listed(project, module, expr.right, scope, depth + 1, read)];
  if (expr.kind === 'call' && expr.callee.kind === 'name' && expr.callee.id === 'list' && expr.args[0]) return listed(project, module, expr.args[0].value, scope, depth + 1, read);
  if (expr.kind !== 'name' && expr.kind !== 'attribute') return [];
  // Each assignment is read once per list: `m = m + [...]` would otherwise read every binding of `m` again at each level.
  const unread = listAssignments(project, module, expr, scope).filter(({ assignment }) => !read.has(assignment));
  for (const { assignment } of unread) read.add(assignment);
  const built = unread.flatMap(({ module: owner, assignment }) =>
    assignment.value && (assignment.operator === '=' || assignment.operator === '+=') ? listed(project, owner, assignment.value, assignment.scope, depth + 1, read) : [],
  );
  return [...built, ...grownBy(project, module, expr, scope, depth, read)];
}

/** The assignments of a name, or of a class attribute as the class or its bases define it (`self.middleware`). */
function listAssignments(project: Project, module: SourceModule, expr: Expr, scope: number): AssignmentSite[] {
  const own = project.assignmentsOf(module, expr, scope);
  if (own.length > 0 || expr.kind !== 'attribute') return own;
  const owner = project.resolve(module, expr.object, scope);
  if (owner === undefined) return [];
  let inherited: AssignmentSite[] = [];
  project.inheritsFrom(owner, (className) => {
    inherited = project.assignmentsTo(`${className}.${expr.attribute}`);
    return inherited.length > 0;
  });
  return inherited;
}

/** `middlewares.append(item)`, `middlewares.insert(0, item)`, `middlewares.extend(items)` in the scope that uses the list. */
function grownBy(project: Project, module: SourceModule, list: Expr, scope: number, depth: number, read: Set<object>): AppMiddleware[] {
  if (list.kind !== 'name') return [];
  const found: AppMiddleware[] = [];
  for (const site of module.facts.calls) {
    const { callee, args } = site.call;
    if (site.scope !== scope || callee.kind !== 'attribute' || callee.object.kind !== 'name' || callee.object.id !== list.id) continue;
    const item = callee.attribute === 'insert' ? args[1] : args[0];
    if (!item || item.unpack) continue;
    if (callee.attribute === 'extend') found.push(...listed(project, module, item.value, scope, depth + 1, read));
    else if (callee.attribute === 'append' || callee.attribute === 'insert') found.push(...middlewareOf(project, module, item.value, scope));
  }
  return found;
}

/**
 * `Middleware(Cls, ...)` is `Cls`; `session_middleware(storage)` is its factory, also through a
 * name bound once to it (`sessions = session_middleware(storage)`); `config.middleware` is
 * `ConfigClass.middleware`.
 */
function middlewareOf(project: Project, module: SourceModule, expr: Expr, scope: number): AppMiddleware[] {
  if (expr.kind === 'name') {
    const value = singleAssignedValue(project, { module, scope, expr });
    if (value?.expr.kind === 'call') return middlewareOf(project, value.module, value.expr, value.scope);
  }
  const range = expr.kind === 'call' ? expr.range : undefined;
  const at = (name: string | undefined, options: Argument[] = []) => (name === undefined ? [] : [{ name, module, range: range ?? { line: 0, column: 0, endLine: 0, endColumn: 0 }, options, scope }]);
  if (expr.kind === 'call') {
    const callee = project.resolve(module, expr.callee, scope);
    const [wrapped] = expr.args;
    if (callee !== undefined && MIDDLEWARE_WRAPPERS.test(callee) && wrapped) return at(project.resolve(module, wrapped.value, scope), expr.args.slice(1));
    return at(callee, expr.args);
  }
  if (expr.kind === 'attribute') {
    const owners = project.instanceClasses(module, expr.object, scope);
    if (owners.length > 0) return owners.flatMap((owner) => at(`${owner}.${expr.attribute}`));
  }
  return at(project.resolve(module, expr, scope));
}
