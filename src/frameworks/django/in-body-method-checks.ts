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
  if (requestName === undefined) return false;
  const testsUnsafe = module.facts.conditions.some(({ scope, test }) => scope === view.bodyScope && testsForUnsafeMethod(test, requestName));
  if (!testsUnsafe) return false;
  return module.facts.returns.some(({ scope, conditional, value }) => scope === view.bodyScope && conditional && value?.kind === 'call' && NOT_ALLOWED.test(project.resolve(module, value.callee, scope) ?? ''));
}

/** `request.method != "GET"`, `request.method not in ("GET", "HEAD")`: true for every unsafe method. */
function testsForUnsafeMethod(test: Expr, requestName: string): boolean {
  if (test.kind !== 'compare' || test.operators.length !== 1) return false;
  const [left, right] = test.operands;
  const readsMethod = left?.kind === 'attribute' && left.attribute === 'method' && left.object.kind === 'name' && left.object.id === requestName;
  if (!readsMethod || right === undefined) return false;
  if (test.operators[0] === '!=') return right.kind === 'string' && SAFE_METHODS.has(right.value.toUpperCase());
  if (test.operators[0] !== 'not in' || (right.kind !== 'list' && right.kind !== 'tuple' && right.kind !== 'set')) return false;
  return right.items.length > 0 && right.items.every((item) => item.kind === 'string' && SAFE_METHODS.has(item.value.toUpperCase()));
}
