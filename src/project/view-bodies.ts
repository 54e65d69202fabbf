import type { Definition, Expr } from '../python/facts.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** Header names that carry a credential a browser never sends by itself. */
const TOKEN_HEADER = /api[-_]?key|token|authorization|secret/i;
/** Where Django, Flask and Starlette keep request headers (`META` holds them as `HTTP_X_API_KEY`). */
const HEADER_MAPPINGS = new Set(['headers', 'META', 'environ']);

/**
 * The header a view reads a credential from (`request.headers.get("X-Api-Key")`,
 * `request.META.get("HTTP_AUTHORIZATION")`), when it reads no cookie-based user
 * (`request.user`): such a view is authenticated by something a forged request lacks.
 */
export function headerTokenRead(module: SourceModule, view: Definition): string | undefined {
  const requestName = view.parameters.find((parameter) => parameter.name !== 'self' && parameter.name !== 'cls')?.name;
  if (requestName === undefined || module.facts.scopes[view.bodyScope]?.reads.includes(`${requestName}.user`)) return undefined;
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const header = headerLookup(call.callee, call.args[0]?.value);
    if (header !== undefined && TOKEN_HEADER.test(header)) return header;
  }
  return undefined;
}

/** `x.headers.get("Name")`: the header name. */
function headerLookup(callee: Expr, key: Expr | undefined): string | undefined {
  if (callee.kind !== 'attribute' || callee.attribute !== 'get' || key?.kind !== 'string') return undefined;
  const mapping = callee.object;
  return mapping.kind === 'attribute' && HEADER_MAPPINGS.has(mapping.attribute) ? key.value : undefined;
}

/** Response classes: built with no content, they answer a request and change nothing. */
const RESPONSE_CLASS = /(^|\.)(HttpResponse\w*|JsonResponse|Response|PlainTextResponse)$/;

/**
 * A function view whose whole body is one `return` of an empty response
 * (`return HttpResponse(status=204)`, `return JsonResponse({})`): a forged request to it can change nothing.
 */
export function onlyReturnsEmptyResponse(project: Project, module: SourceModule, view: Definition): boolean {
  if (view.kind !== 'function') return false;
  const inBody = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, view.bodyScope);
  const returns = inBody(module.facts.returns);
  const calls = inBody(module.facts.calls);
  if (returns.length !== 1 || calls.length !== 1 || inBody(module.facts.assignments).length > 0 || inBody(module.facts.raises).length > 0) return false;
  const [only] = returns;
  const [call] = calls;
  if (only?.value?.kind !== 'call' || only.value.id !== call?.call.id) return false;
  const response = only.value;
  const name = project.resolve(module, response.callee, view.bodyScope);
  if (name === undefined || !RESPONSE_CLASS.test(name)) return false;
  return response.args.every((argument) => (argument.name === undefined ? isEmpty(argument.value) : isConstant(argument.value)));
}

/** Response content that says nothing: `""`, `{}`, `[]`, `None`. */
function isEmpty(expr: Expr): boolean {
  if (expr.kind === 'string') return expr.value === '';
  if (expr.kind === 'constant') return expr.value === null;
  if (expr.kind === 'list' || expr.kind === 'tuple') return expr.items.length === 0;
  return expr.kind === 'dict' && expr.entries.length === 0;
}

function isConstant(expr: Expr): boolean {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'constant':
      return true;
    case 'list':
    case 'tuple':
      return expr.items.every(isConstant);
    case 'dict':
      return expr.entries.every((entry) => entry.key !== null && isConstant(entry.key) && isConstant(entry.value));
    default:
      return false;
  }
}
