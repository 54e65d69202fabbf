import { describeExpr } from '../../python/describe.js';
import type { CallExpr, Definition, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { dereference, stringValue, type ValueSite } from '../../project/values.js';
import { methodsCalledFrom } from '../../project/view-bodies.js';

const CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';
const CSRF_PROTECT = 'django.views.decorators.csrf.csrf_protect';
const DECORATOR_FROM_MIDDLEWARE = 'django.utils.decorators.decorator_from_middleware';
const IMPORT_STRING = 'django.utils.module_loading.import_string';
const GET_TOKEN = 'django.middleware.csrf.get_token';

interface Handler {
  module: SourceModule;
  definition: Definition;
  ownerClass?: string;
}

/**
 * How an exempted view runs Django's CSRF check itself, after taking the request from the
 * middleware (to answer a failure its own way): `CsrfViewMiddleware().process_view(request, ...)`,
 * `csrf_protect(view)(request)` or a local function under `@csrf_protect` that it calls, or
 * `get_token(request)` compared with a value of the request. Every handler must re-check.
 */
export function csrfRecheck(project: Project, handlers: readonly Handler[]): string | undefined {
  let found: string | undefined;
  for (const handler of handlers) {
    const sites = handler.ownerClass === undefined ? [handler] : methodsCalledFrom(project, handler, handler.ownerClass);
    const recheck = sites.map((site) => recheckIn(project, site.module, site.definition)).find((check) => check !== undefined);
    if (recheck === undefined) return undefined;
    found ??= recheck;
  }
  return found;
}

/** How far the project's functions are followed: `_enforce_csrf(request)`, and what it calls. */
const HELPER_DEPTH = 2;

function recheckIn(project: Project, module: SourceModule, definition: Definition, depth = 0): string | undefined {
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  for (const { call, scope } of calls) {
    const check =
      middlewareProcessView(project, module, call, scope) ??
      protectedCall(project, module, call, scope) ??
      protectedNameCall(project, module, definition, call, scope) ??
      protectedFunctionCall(project, module, call, scope) ??
      helperRecheck(project, module, call, scope, depth);
    if (check !== undefined) return check;
  }
  return tokenComparison(project, module, definition);
}

/** A function of the project's that runs the check (`_enforce_csrf(self.request)` calling the middleware's `process_view`). */
function helperRecheck(project: Project, module: SourceModule, call: CallExpr, scope: number, depth: number): string | undefined {
  if (depth >= HELPER_DEPTH || call.callee.kind !== 'name') return undefined;
  const name = project.resolve(module, call.callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return undefined;
  const check = recheckIn(project, site.module, site.definition, depth + 1);
  return check === undefined ? undefined : `${describeExpr(call.callee)}(...), which calls ${check}`;
}

/** `CsrfViewMiddleware(get_response).process_view(request, ...)`, or on a name bound to one. */
function middlewareProcessView(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  if (callee.kind !== 'attribute' || callee.attribute !== 'process_view') return undefined;
  const isMiddleware = project.instanceClasses(module, callee.object, scope).some((name) => name === CSRF_MIDDLEWARE || project.isSubclassOf(name, new Set([CSRF_MIDDLEWARE])));
  return isMiddleware ? `${describeExpr(callee)}(...)` : undefined;
}

/** `csrf_protect(view)(request)`, or `fake_view(request)` where `fake_view` is a local function under `@csrf_protect`. */
function protectedCall(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  if (callee.kind === 'call' && isCsrfProtect(project, { module, scope, expr: callee.callee })) return `${describeExpr(callee.callee)}(...)(...)`;
  if (callee.kind !== 'name') return undefined;
  const local = module.facts.definitions.find((definition) => definition.kind === 'function' && definition.name === callee.id && definition.scope === scope);
  const decorator = local?.decorators.find(({ expression }) => isCsrfProtect(project, { module, scope, expr: expression }));
  return decorator ? `@${describeExpr(decorator.expression)}` : undefined;
}

/**
 * `protected = csrf_protect(work)` then `protected(request, ...)` in the same block, the wrapper
 * possibly inside another (`staff_member_required(csrf_protect(work))`). Not
 * `csrf_protect(work())`: that runs the work before anything is checked.
 */
function protectedNameCall(project: Project, module: SourceModule, definition: Definition, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  if (callee.kind !== 'name') return undefined;
  const assignments = module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope);
  const wrapping = assignments.find(({ target, value, operator, scope: assignedIn }) => assignedIn === scope && operator === '=' && target.kind === 'name' && target.id === callee.id && value !== null && wrapsWithCsrfProtect(project, module, value, scope));
  return wrapping ? `${callee.id} = csrf_protect(...)` : undefined;
}

function wrapsWithCsrfProtect(project: Project, module: SourceModule, value: Expr, scope: number): boolean {
  return [...walkExpr(value)].some((part) => {
    if (part.kind !== 'call' || !isCsrfProtect(project, { module, scope, expr: part.callee })) return false;
    const [wrapped] = part.args;
    return wrapped !== undefined && wrapped.value.kind !== 'call';
  });
}

/** A function of the project's under `@csrf_protect`, called with the request (`return protected_post_api(request, ...)`). */
function protectedFunctionCall(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  if (call.callee.kind !== 'name') return undefined;
  const name = project.resolve(module, call.callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return undefined;
  const decorator = site.definition.decorators.find(({ expression }) => isCsrfProtect(project, { module: site.module, scope: site.definition.scope, expr: expression }));
  return decorator ? `${describeExpr(call.callee)}(...) under @${describeExpr(decorator.expression)}` : undefined;
}

/**
 * Django's `csrf_protect`, or a decorator made from its middleware the same way
 * (`decorator_from_middleware(CsrfViewMiddleware)`, the class possibly named by a setting whose
 * default is Django's: `import_string(getattr(settings, "CSRF_MIDDLEWARE", "django.middleware.csrf.CsrfViewMiddleware"))`).
 */
function isCsrfProtect(project: Project, site: ValueSite): boolean {
  if (project.resolve(site.module, site.expr, site.scope) === CSRF_PROTECT) return true;
  const value = dereference(project, site);
  if (value.expr.kind !== 'call' || project.resolve(value.module, value.expr.callee, value.scope) !== DECORATOR_FROM_MIDDLEWARE) return false;
  const [middleware] = value.expr.args;
  return middleware !== undefined && isCsrfMiddlewareClass(project, { ...value, expr: middleware.value });
}

function isCsrfMiddlewareClass(project: Project, site: ValueSite): boolean {
  const name = project.resolve(site.module, site.expr, site.scope);
  if (name !== undefined && (name === CSRF_MIDDLEWARE || project.isSubclassOf(name, new Set([CSRF_MIDDLEWARE])))) return true;
  const value = dereference(project, site);
  if (value.expr.kind !== 'call' || project.resolve(value.module, value.expr.callee, value.scope) !== IMPORT_STRING) return false;
  const [path] = value.expr.args;
  return path !== undefined && importedPath(project, { ...value, expr: path.value }) === CSRF_MIDDLEWARE;
}

/** `"pkg.Class"`, or the default of `getattr(settings, "NAME", "pkg.Class")`. */
function importedPath(project: Project, site: ValueSite): string | undefined {
  const direct = stringValue(project, site);
  if (direct !== undefined) return direct;
  const value = dereference(project, site);
  if (value.expr.kind !== 'call' || project.resolve(value.module, value.expr.callee, value.scope) !== 'builtins.getattr') return undefined;
  const fallback = value.expr.args[2];
  return fallback && stringValue(project, { ...value, expr: fallback.value });
}

/** `get_token(request)` compared (`==`, `!=`) with something in the body: the view checks the token itself. */
function tokenComparison(project: Project, module: SourceModule, definition: Definition): string | undefined {
  const tokenNames = new Set<string>();
  let tokenRead = false;
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
    if (project.resolve(module, call.callee, scope) === GET_TOKEN) tokenRead = true;
  }
  if (!tokenRead) return undefined;
  for (const { target, value, scope } of module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope)) {
    if (target.kind === 'name' && value && mentionsGetToken(project, module, value, scope)) tokenNames.add(target.id);
  }
  const compared = (expr: Expr, scope: number) =>
    [...walkExpr(expr)].some((part) => part.kind === 'compare' && part.operators.every((operator) => operator === '==' || operator === '!=') && part.operands.some((operand) => mentionsGetToken(project, module, operand, scope) || (operand.kind === 'name' && tokenNames.has(operand.id))));
  const tests = module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope).map(({ test, scope }) => ({ expr: test, scope }));
  const returns = module.symbols.itemsWithin(module.facts.returns, definition.bodyScope).flatMap(({ value, scope }) => (value ? [{ expr: value, scope }] : []));
  const assigned = module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope).flatMap(({ value, scope }) => (value ? [{ expr: value, scope }] : []));
  return [...tests, ...returns, ...assigned].some(({ expr, scope }) => compared(expr, scope)) ? 'get_token(...) compared' : undefined;
}

function mentionsGetToken(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  return [...walkExpr(expr)].some((part) => part.kind === 'call' && project.resolve(module, part.callee, scope) === GET_TOKEN);
}
