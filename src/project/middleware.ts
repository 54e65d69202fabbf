import type { Argument, Expr, SourceRange } from '../python/facts.js';
import type { Application } from './applications.js';
import type { Project } from './project.js';
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

function listed(project: Project, module: SourceModule, expr: Expr, scope: number): AppMiddleware[] {
  const value = expr.kind === 'name' ? (project.assignmentsOf(module, expr, scope).find(({ assignment }) => assignment.operator === '=')?.assignment.value ?? expr) : expr;
  if (value.kind !== 'list' && value.kind !== 'tuple') return [];
  return value.items.flatMap((item) => middlewareOf(project, module, item.kind === 'starred' ? item.value : item, scope));
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
