import type { Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** `X-Requested-With` as the request's header mappings spell it: `headers` by name, `META` as a CGI variable. */
const REQUESTED_WITH = new Set(['x-requested-with', 'http_x_requested_with']);
const HEADER_MAPPINGS = new Set(['headers', 'META', 'environ']);
/** Django's `request.is_ajax()` (removed in 4.0), and the projects' own helpers of the same name, test that header. */
const AJAX_TESTS = new Set(['is_ajax']);
/** Answers that turn the request away: 400, 403, 404, 405. */
const REJECTING_RESPONSE = /(^|\.)(HttpResponse(BadRequest|Forbidden|NotFound|NotAllowed)|abort)$/;
const REJECTING_STATUS = new Set([400, 403, 404, 405]);

/**
 * What makes an exempt view turn away a request without the `X-Requested-With` header: the view
 * itself (`if not request.headers.get("x-requested-with"): return HttpResponseBadRequest()`) or a
 * decorator of the project's (`@require_AJAX`, whose wrapper does the same before calling the
 * view). A cross-site HTML form cannot set a header, and a cross-site script can set this one only
 * after a CORS preflight. `undefined` when neither is seen.
 */
export function requestedWithGuard(project: Project, module: SourceModule, view: Definition): string | undefined {
  if (rejectsWithoutHeader(project, module, view.bodyScope, false)) return 'the view';
  for (const { expression } of view.decorators) {
    const target = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, target, view.scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') continue;
    if (rejectsWithoutHeader(project, site.module, site.definition.bodyScope, true)) return `@${site.definition.name}`;
  }
  return undefined;
}

/**
 * A scope (with its nested functions, for a decorator's wrapper) that tests the header in an
 * `if` and, in the same function, returns a rejecting answer or raises on some path only.
 */
function rejectsWithoutHeader(project: Project, module: SourceModule, bodyScope: number, nested: boolean): boolean {
  const scopes = nested ? module.symbols.scopesWithin(bodyScope) : new Set([bodyScope]);
  return module.facts.conditions.some(({ scope, test }) => {
    if (!scopes.has(scope) || !testsMissingRequestedWith(project, module, scope, test)) return false;
    const raises = module.facts.raises.some((statement) => statement.scope === scope && statement.conditional);
    return raises || module.facts.returns.some((statement) => statement.scope === scope && statement.conditional && statement.value !== null && isRejection(project, module, scope, statement.value));
  });
}

/**
 * An `if` test for a request WITHOUT the header: `not is_ajax(request)`, `headers.get(...) !=
 * "XMLHttpRequest"`, `... is None`, either side of an `or`. A test for a request with it
 * (`if is_ajax(request): return JsonResponse(...)`) picks an answer, and turns nothing away.
 */
function testsMissingRequestedWith(project: Project, module: SourceModule, scope: number, test: Expr): boolean {
  if (test.kind === 'boolean') return test.operator === 'or' && (testsMissingRequestedWith(project, module, scope, test.left) || testsMissingRequestedWith(project, module, scope, test.right));
  if (test.kind === 'unary') return test.operator === 'not' && testsRequestedWith(project, module, scope, test.operand);
  if (test.kind !== 'compare') return false;
  const negative = test.operators.length === 1 && NEGATIVE_COMPARISONS.has(test.operators[0]!);
  return negative && test.operands.some((operand) => testsRequestedWith(project, module, scope, operand));
}

const NEGATIVE_COMPARISONS = new Set(['!=', 'is', 'not in']);

/** An expression that reads the header, calls `is_ajax()`, or calls a project function whose answer reads it. */
function testsRequestedWith(project: Project, module: SourceModule, scope: number, test: Expr): boolean {
  for (const part of walkExpr(test)) {
    if (readsRequestedWith(part)) return true;
    if (part.kind !== 'call') continue;
    const callee = part.callee;
    const calledName = callee.kind === 'attribute' ? callee.attribute : callee.kind === 'name' ? callee.id : undefined;
    if (callee.kind === 'attribute' && calledName !== undefined && AJAX_TESTS.has(calledName)) return true;
    if (helperReturnsHeaderTest(project, module, scope, callee)) return true;
  }
  return false;
}

/** `def is_ajax(request): return request.headers.get("x-requested-with") == "XMLHttpRequest"`, one call deep. */
function helperReturnsHeaderTest(project: Project, module: SourceModule, scope: number, callee: Expr): boolean {
  const name = project.resolve(module, callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  if (site?.definition.kind !== 'function') return false;
  const { module: helperModule, definition } = site;
  return helperModule.facts.returns.some((statement) => statement.scope === definition.bodyScope && statement.value !== null && [...walkExpr(statement.value)].some(readsRequestedWith));
}

/** `x.headers.get("X-Requested-With")`, `x.headers["x-requested-with"]`, `x.META.get("HTTP_X_REQUESTED_WITH")`. */
function readsRequestedWith(part: Expr): boolean {
  if (part.kind === 'subscript') return isHeaderMapping(part.object) && isRequestedWithKey(part.index);
  if (part.kind !== 'call' || part.callee.kind !== 'attribute' || part.callee.attribute !== 'get') return false;
  const key = part.args[0]?.value;
  return isHeaderMapping(part.callee.object) && key !== undefined && isRequestedWithKey(key);
}

function isHeaderMapping(expr: Expr): boolean {
  return expr.kind === 'attribute' && HEADER_MAPPINGS.has(expr.attribute);
}

function isRequestedWithKey(expr: Expr): boolean {
  return expr.kind === 'string' && REQUESTED_WITH.has(expr.value.toLowerCase());
}

/** `HttpResponseBadRequest(...)`, `abort(403)`, `HttpResponse(..., status=400)`, `JsonResponse(..., status=403)`. */
function isRejection(project: Project, module: SourceModule, scope: number, value: Expr): boolean {
  const answer = value.kind === 'tuple' ? value.items[0] : value;
  if (value.kind === 'tuple' && value.items[1]?.kind === 'number' && REJECTING_STATUS.has(value.items[1].value)) return true;
  if (answer?.kind !== 'call') return false;
  if (REJECTING_RESPONSE.test(project.resolve(module, answer.callee, scope) ?? '')) return true;
  const status = answer.args.find((argument) => argument.name === 'status')?.value;
  return status?.kind === 'number' && REJECTING_STATUS.has(status.value);
}
