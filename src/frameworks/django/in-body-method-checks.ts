import type { Definition, Expr } from '../../python/facts.js';
import { contains } from '../../project/enclosing.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Django's 405 answer. */
const NOT_ALLOWED = /(^|\.)HttpResponseNotAllowed$/;

/**
 * A function view that answers any unsafe method with 405 in its own body before anything else:
 * `if request.method != "GET": return HttpResponseNotAllowed(["GET"])` (or `not in ("GET", "HEAD")`).
 * A POST gets the 405 and nothing more, as under `@require_GET`.
 */
export function rejectsUnsafeMethodsInBody(project: Project, module: SourceModule, view: Definition, requestName: string | undefined): boolean {
  if (requestName === undefined) return false;
  if (worksOnlyForSafeMethods(module, view, requestName)) return true;
  const allowed = methodsAllowedInBody(project, module, view, requestName);
  return allowed !== undefined && allowed.every((method) => SAFE_METHODS.has(method));
}

/**
 * The methods a function view lets through a 405 written in its own body
 * (`if request.method != "DELETE": return HttpResponseNotAllowed(["delete"])`, or `not in (...)`),
 * upper-cased; `undefined` when its body has no such test.
 */
export function methodsAllowedInBody(project: Project, module: SourceModule, view: Definition, requestName: string | undefined): string[] | undefined {
  if (requestName === undefined) return undefined;
  const allowed = module.facts.conditions.filter(({ scope }) => scope === view.bodyScope).map(({ test }) => methodsLetThrough(test, requestName)).find((methods) => methods !== undefined);
  if (allowed === undefined) return undefined;
  const answers405 = module.facts.returns.some(({ scope, conditional, value }) => scope === view.bodyScope && conditional && value?.kind === 'call' && NOT_ALLOWED.test(project.resolve(module, value.callee, scope) ?? ''));
  return answers405 ? allowed : undefined;
}

/** `request.method != "GET"`, `request.method not in ("GET", "HEAD")`: the methods for which the test is false. */
function methodsLetThrough(test: Expr, requestName: string): string[] | undefined {
  if (test.kind !== 'compare' || test.operators.length !== 1) return undefined;
  const [left, right] = test.operands;
  const readsMethod = left?.kind === 'attribute' && left.attribute === 'method' && left.object.kind === 'name' && left.object.id === requestName;
  if (!readsMethod || right === undefined) return undefined;
  if (test.operators[0] === '!=') return right.kind === 'string' ? [right.value.toUpperCase()] : undefined;
  if (test.operators[0] !== 'not in' || (right.kind !== 'list' && right.kind !== 'tuple' && right.kind !== 'set')) return undefined;
  const methods = right.items.flatMap((item) => (item.kind === 'string' ? [item.value.toUpperCase()] : []));
  return methods.length > 0 && methods.length === right.items.length ? methods : undefined;
}

/**
 * `if request.method == "GET": ...work...` and, outside that block, only a fixed answer
 * (`return jsonResponse({"error": "Unsupported HTTP method."})`): every call there is a function
 * given literals alone, never the request. A POST gets the fixed answer and nothing more.
 */
function worksOnlyForSafeMethods(module: SourceModule, view: Definition, requestName: string): boolean {
  const safeBlocks = module.facts.conditions.filter(({ scope, test, body }) => scope === view.bodyScope && body !== undefined && testsForSafeMethod(test, requestName));
  if (safeBlocks.length === 0) return false;
  const outside = module.symbols.itemsWithin(module.facts.calls, view.bodyScope).filter(({ call }) => !safeBlocks.some(({ body }) => body !== undefined && contains(body, call.range)));
  // A fixed answer is built by a function given literals (`JsonResponse({"error": ...})`); a method call
  // (`request.user.save()`) or a call without arguments may act on anything.
  return outside.every(({ call }) => call.callee.kind === 'name' && call.args.length > 0 && call.args.every(({ value }) => isLiteral(value)));
}

/** `request.method == "GET"`, `request.method in ("GET", "HEAD")`: true for safe methods only. */
function testsForSafeMethod(test: Expr, requestName: string): boolean {
  if (test.kind !== 'compare' || test.operators.length !== 1) return false;
  const [left, right] = test.operands;
  const readsMethod = left?.kind === 'attribute' && left.attribute === 'method' && left.object.kind === 'name' && left.object.id === requestName;
  if (!readsMethod || right === undefined) return false;
  if (test.operators[0] === '==') return right.kind === 'string' && SAFE_METHODS.has(right.value.toUpperCase());
  if (test.operators[0] !== 'in' || (right.kind !== 'list' && right.kind !== 'tuple' && right.kind !== 'set')) return false;
  return right.items.length > 0 && right.items.every((item) => item.kind === 'string' && SAFE_METHODS.has(item.value.toUpperCase()));
}

function isLiteral(expr: Expr): boolean {
  return [...walkExpr(expr)].every((part) => LITERAL_KINDS.has(part.kind));
}

const LITERAL_KINDS = new Set<Expr['kind']>(['string', 'number', 'constant', 'dict', 'list', 'tuple', 'set']);
