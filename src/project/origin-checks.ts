/**
 * A function that turns a request away when its `Referer` or `Origin` header names another site:
 * `if request.referrer not in ("http://localhost:9666/flashgot", ...): abort(403)`, or
 * `if urlsplit(origin).netloc != request.host: abort(403)`. A browser sets both headers itself and a
 * page on another site cannot forge them, so such a comparison is a CSRF check without a token.
 */
import { describeExpr } from '../python/describe.js';
import type { CompareExpr, Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import { finalIdentifier, type Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { dereference, stringValue } from './values.js';

/** The comparison (as written) by which the function rejects a request from another site, if it has one. */
export function foreignOriginComparison(project: Project, module: SourceModule, definition: Definition): string | undefined {
  if (!rejectsRequests(project, module, definition)) return undefined;
  for (const { test, scope } of module.symbols.itemsWithin(module.facts.conditions, definition.bodyScope)) {
    const comparison = rejectingComparison(project, module, scope, test, false);
    if (comparison) return comparison.operands.map(describeExpr).join(` ${comparison.operators[0]} `);
  }
  return undefined;
}

/**
 * The comparison in an `if` test that is true when the request comes from elsewhere. A `Referer`
 * comparison `and`-ed with a read of the `Referer` itself (`if referrer and referrer not in ...`) does
 * not count: a page can ask the browser to send no `Referer` (`Referrer-Policy: no-referrer`), and a
 * missing one passes. Browsers send `Origin` on every cross-site post, so the same shape with it counts.
 */
function rejectingComparison(project: Project, module: SourceModule, scope: number, test: Expr, refererGuarded: boolean): CompareExpr | undefined {
  if (test.kind === 'boolean') {
    const guards = (sibling: Expr) => refererGuarded || (test.operator === 'and' && originHeaderRead(project, module, scope, sibling) === 'referer');
    return rejectingComparison(project, module, scope, test.left, guards(test.right)) ?? rejectingComparison(project, module, scope, test.right, guards(test.left));
  }
  if (test.kind !== 'compare' || test.operators.length !== 1 || !DIFFERS.has(test.operators[0]!)) return undefined;
  const [left, right] = test.operands;
  if (left === undefined || right === undefined) return undefined;
  for (const [request, site] of [[left, right], [right, left]] as const) {
    const header = originHeaderRead(project, module, scope, request);
    if (header === undefined || (refererGuarded && header === 'referer')) continue;
    if (namesOwnSite(project, module, scope, site)) return test;
  }
  return undefined;
}

/** Operators true when the request's origin is not the expected one. */
const DIFFERS = new Set(['!=', 'not in']);

/** `referer` or `origin` when the expression reads that header of the request, directly or through a local name. */
function originHeaderRead(project: Project, module: SourceModule, scope: number, expr: Expr): 'referer' | 'origin' | undefined {
  for (const part of walkExpr(expr)) {
    const direct = originHeaderOf(project, module, scope, part);
    if (direct) return direct;
    if (part.kind !== 'name') continue;
    const bound = dereference(project, { module, scope, expr: part });
    if (bound.expr === part) continue;
    for (const inner of walkExpr(bound.expr)) {
      const found = originHeaderOf(project, bound.module, bound.scope, inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** `request.referrer`, `request.origin`, `request.headers.get("Origin")`, `request.environ["HTTP_REFERER"]`, `request.META.get("HTTP_ORIGIN")`. */
function originHeaderOf(project: Project, module: SourceModule, scope: number, part: Expr): 'referer' | 'origin' | undefined {
  if (part.kind === 'attribute' && finalIdentifier(part.object) === 'request') return REQUEST_ATTRIBUTES.get(part.attribute);
  const key = mappingKey(part);
  if (key === undefined || !HEADER_MAPPINGS.has(finalIdentifier(key.mapping) ?? '')) return undefined;
  const name = stringValue(project, { module, scope, expr: key.key })?.toLowerCase();
  return name === undefined ? undefined : HEADER_NAMES.get(name);
}

const REQUEST_ATTRIBUTES = new Map<string, 'referer' | 'origin'>([
  ['referrer', 'referer'],
  ['origin', 'origin'],
]);
const HEADER_MAPPINGS = new Set(['headers', 'environ', 'META']);
const HEADER_NAMES = new Map<string, 'referer' | 'origin'>([
  ['referer', 'referer'],
  ['http_referer', 'referer'],
  ['origin', 'origin'],
  ['http_origin', 'origin'],
]);

/** `mapping.get(key)` or `mapping[key]`. */
function mappingKey(part: Expr): { mapping: Expr; key: Expr } | undefined {
  if (part.kind === 'subscript') return { mapping: part.object, key: part.index };
  if (part.kind !== 'call' || part.callee.kind !== 'attribute' || part.callee.attribute !== 'get') return undefined;
  const [first] = part.args;
  return first === undefined ? undefined : { mapping: part.callee.object, key: first.value };
}

/**
 * The site's own address: the host the request was sent to (`request.host`, `request.host_url`,
 * `request.get_host()`, the `Host` header), or addresses written in the code (a string, or a tuple,
 * list or set of strings, directly or through a name bound once).
 */
function namesOwnSite(project: Project, module: SourceModule, scope: number, expr: Expr): boolean {
  if ([...walkExpr(expr)].some((part) => readsHost(project, module, scope, part))) return true;
  const bound = dereference(project, { module, scope, expr });
  const items = bound.expr.kind === 'tuple' || bound.expr.kind === 'list' || bound.expr.kind === 'set' ? bound.expr.items : [bound.expr];
  return items.length > 0 && items.every((item) => stringValue(project, { module: bound.module, scope: bound.scope, expr: item }) !== undefined);
}

function readsHost(project: Project, module: SourceModule, scope: number, part: Expr): boolean {
  if (part.kind === 'attribute' && finalIdentifier(part.object) === 'request' && HOST_ATTRIBUTES.has(part.attribute)) return true;
  if (part.kind === 'call' && part.callee.kind === 'attribute' && part.callee.attribute === 'get_host') return true;
  const key = mappingKey(part);
  if (key === undefined || !HEADER_MAPPINGS.has(finalIdentifier(key.mapping) ?? '')) return false;
  const name = stringValue(project, { module, scope, expr: key.key })?.toLowerCase();
  return name === 'host' || name === 'http_host';
}

/** Werkzeug's views of the host a request was sent to. */
const HOST_ATTRIBUTES = new Set(['host', 'host_url', 'url_root', 'root_url']);

/** The function calls `abort(...)` or raises somewhere in its body: it turns some requests away. */
function rejectsRequests(project: Project, module: SourceModule, definition: Definition): boolean {
  if (module.symbols.itemsWithin(module.facts.raises, definition.bodyScope).length > 0) return true;
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call, scope }) => ABORTS.has(project.resolve(module, call.callee, scope) ?? ''));
}

const ABORTS = new Set(['flask.abort', 'quart.abort', 'werkzeug.exceptions.abort']);
