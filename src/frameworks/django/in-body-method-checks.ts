import type { Definition, Expr } from '../../python/facts.js';
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
