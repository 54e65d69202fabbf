import type { CallExpr } from '../python/facts.js';
import { namesCsrf } from './project.js';

const CSRF_WORDS = /csrf|xsrf/i;

/** `csrf.protect()`, `validate_csrf(...)`, `check_csrf_token(...)`: a call that checks a token, not one that makes one. */
export function checksCsrfToken(canonicalName: string): boolean {
  return namesCsrf(canonicalName) && /protect|validate|check|verify|enforce/i.test(canonicalName.slice(canonicalName.lastIndexOf('.') + 1));
}

/** `request.form.get("csrf_token")`, `self.get_argument("_xsrf")`, `headers.get("X-CSRFToken")`: a read of a value named for CSRF. */
export function readsCsrfValue(call: CallExpr): boolean {
  const [first] = call.args;
  return call.callee.kind === 'attribute' && first !== undefined && first.value.kind === 'string' && CSRF_WORDS.test(first.value.value);
}
