import { attributeRoot } from '../python/describe.js';
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { namesCsrf, type Project } from './project.js';
import type { SourceModule } from './source-module.js';

/** A name or value about CSRF: `csrf_token`, `_xsrf`, `X-CSRFToken`, `check_csrf`. */
export const CSRF_WORDS = /csrf|xsrf/i;

/** `csrf.protect()`, `validate_csrf(...)`, `check_csrf_token(...)`: a call that checks a token, not one that makes one. */
export function checksCsrfToken(canonicalName: string): boolean {
  return namesCsrf(canonicalName) && /protect|validate|check|verify|enforce/i.test(canonicalName.slice(canonicalName.lastIndexOf('.') + 1));
}

/** `request.form.get("csrf_token")`, `self.get_argument("_xsrf")`, `headers.get("X-CSRFToken")`: a read of a value named for CSRF. */
export function readsCsrfValue(call: CallExpr): boolean {
  const [first] = call.args;
  return call.callee.kind === 'attribute' && first !== undefined && first.value.kind === 'string' && CSRF_WORDS.test(first.value.value);
}

/**
 * A `before_request` hook, a middleware or a base handler's `prepare` that checks a token: it calls a
 * check (`csrf.protect()`, `validate_csrf(...)`, `self.check_xsrf_cookie()`), or rejects requests
 * (`abort(...)`, `raise`, `send_error`) and is named for CSRF or reads a value named for it
 * (`self.get_argument("_xsrf")`), in its body or in a function nested in it (a middleware factory's
 * inner middleware). A hook that only hands out tokens protects nothing.
 */
export function checksCsrf(project: Project, module: SourceModule, hook: Definition, reads: (call: CallExpr) => boolean = readsCsrfValue): boolean {
  const scopes = module.symbols.scopesWithin(hook.bodyScope);
  const calls = module.facts.calls.filter(({ scope }) => scopes.has(scope));
  const names = calls.map(({ call, scope }) => project.resolve(module, call.callee, scope) ?? '');
  if (names.some(checksCsrfToken)) return true;
  const rejects = names.some((name) => name === 'flask.abort' || name === 'quart.abort' || name.endsWith('.send_error')) || module.facts.raises.some((statement) => scopes.has(statement.scope));
  return rejects && (CSRF_WORDS.test(hook.name) || calls.some(({ call }) => reads(call)));
}

/**
 * A view that checks the token a request carries: as `checksCsrf`, but the value named for CSRF must
 * be read from the request (`request.form.get("csrf_token")`, `self.get_argument("_xsrf")`). A view
 * that reads the session's token only hands one out, and may reject for another reason entirely.
 */
export function viewChecksCsrf(project: Project, module: SourceModule, view: Definition): boolean {
  return checksCsrf(project, module, view, (call) => readsCsrfValue(call) && readsFromRequest(call.callee));
}

const REQUEST_ROOTS = new Set(['request', 'self', 'req']);

function readsFromRequest(callee: Expr): boolean {
  const root = attributeRoot(callee);
  return root.kind === 'name' && REQUEST_ROOTS.has(root.id);
}
