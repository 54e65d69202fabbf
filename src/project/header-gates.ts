import type { Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { SourceModule } from './source-module.js';
import { headersReadIn, isCredentialHeader } from './view-bodies.js';

/** A scheme a token in `Authorization` is named by; without one the header may hold HTTP Basic credentials, which the browser repeats by itself. */
const TOKEN_SCHEME = /\b(bearer|token)\b/i;

/**
 * The credential header a function leaves early without, before the line given: it reads the
 * header (`token = request.headers.get("Authorization")`), tests for it missing (`if not token:`,
 * `if token is None:`) and returns or raises on some path before that line. What the function does
 * after that line is done only for requests that carry the header, which a cross-site form cannot
 * send. `Authorization` counts only beside a token scheme (`"Bearer "`): HTTP Basic credentials
 * in it are sent by the browser itself. `undefined` when no such gate is seen.
 */
export function credentialHeaderGateBefore(module: SourceModule, scope: number, line: number): string | undefined {
  const assignments = module.facts.assignments.filter((assignment) => assignment.scope === scope);
  const headerNames = new Map<string, string>();
  for (const { target, value } of assignments) {
    const header = value ? [...headersReadIn(value)].find(isCredentialHeader) : undefined;
    const derivedFrom = value ? [...walkExpr(value)].find((part) => part.kind === 'name' && headerNames.has(part.id)) : undefined;
    const named = header ?? (derivedFrom?.kind === 'name' ? headerNames.get(derivedFrom.id) : undefined);
    if (named !== undefined && target.kind === 'name') headerNames.set(target.id, named);
  }
  const headerOf = (expr: Expr) => (expr.kind === 'name' ? headerNames.get(expr.id) : [...headersReadIn(expr)].find(isCredentialHeader));
  const tested = module.facts.conditions.filter((condition) => condition.scope === scope).map(({ test }) => missingHeaderTested(test, headerOf)).find((header) => header !== undefined);
  if (tested === undefined || !exitsBefore(module, scope, line)) return undefined;
  if (/authorization/i.test(tested) && !namesTokenScheme(module, scope)) return undefined;
  return tested;
}

/** `not token`, `token is None`, `token == ""`, either side of an `or`: the test of a request without the header. */
function missingHeaderTested(test: Expr, headerOf: (expr: Expr) => string | undefined): string | undefined {
  if (test.kind === 'boolean') return test.operator === 'or' ? missingHeaderTested(test.left, headerOf) ?? missingHeaderTested(test.right, headerOf) : undefined;
  if (test.kind === 'unary') return test.operator === 'not' ? headerOf(test.operand) : undefined;
  if (test.kind !== 'compare' || test.operands.length !== 2 || (test.operators[0] !== 'is' && test.operators[0] !== '==')) return undefined;
  const [left, right] = test.operands as [Expr, Expr];
  const empty = (expr: Expr) => (expr.kind === 'constant' && expr.value === null) || (expr.kind === 'string' && expr.value === '');
  return empty(right) ? headerOf(left) : empty(left) ? headerOf(right) : undefined;
}

function exitsBefore(module: SourceModule, scope: number, line: number): boolean {
  const before = (statement: { scope: number; conditional: boolean; range: { line: number } }) => statement.scope === scope && statement.conditional && statement.range.line < line;
  return module.facts.returns.some(before) || module.facts.raises.some(before);
}

/** A string naming a token scheme in the function or, for a method, its class (`header_pattern = re.compile("^Bearer (.+)$")`). */
function namesTokenScheme(module: SourceModule, scope: number): boolean {
  const method = module.symbols.definitionOfScope(scope);
  const owner = method && module.symbols.definitionOfScope(method.scope);
  const scopes = module.symbols.scopesWithin(owner?.kind === 'class' ? owner.bodyScope : scope);
  const expressions = [...module.facts.calls.filter((call) => scopes.has(call.scope)).map(({ call }): Expr => call), ...module.facts.assignments.filter((assignment) => scopes.has(assignment.scope) && assignment.value).map(({ value }) => value!)];
  return expressions.some((expression) => [...walkExpr(expression)].some((part) => part.kind === 'string' && TOKEN_SCHEME.test(part.value)));
}
