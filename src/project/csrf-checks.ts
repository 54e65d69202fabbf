import { attributeRoot } from '../python/describe.js';
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { finalIdentifier, namesCsrf, type Project } from './project.js';
import { selfAttributeText, stringValue } from './values.js';
import { walkExpr } from '../python/walk-expr.js';
import { foreignOriginComparison } from './origin-checks.js';
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
 * (`self.get_argument("_xsrf")`) or compares a token from the request with one kept in a cookie or
 * the session, or reads where the request comes from (\`Sec-Fetch-Site\`, \`Origin\` against the host),
 * or rejects a request whose \`Referer\` or \`Origin\` is not the site's own (see \`foreignOriginComparison\`),
 * in its body or in a function nested in it (a middleware factory's inner middleware).
 * A hook that only hands out tokens protects nothing.
 */
export function checksCsrf(project: Project, module: SourceModule, hook: Definition): boolean {
  return hookCsrfCheck(project, module, hook) !== undefined;
}

/**
 * How a hook checks (see `checksCsrf`): `token` when it checks a token the request must carry, which
 * every form of the app must then render; `origin` when it only looks at where the request comes from
 * (\`Sec-Fetch-Site\`, \`Origin\` or \`Referer\`), which the app's own forms pass without a token.
 */
export function hookCsrfCheck(project: Project, module: SourceModule, hook: Definition): CsrfCheckKind | undefined {
  return csrfCheckKind(project, module, hook, readsCsrfValue, true);
}

export type CsrfCheckKind = 'token' | 'origin';

function csrfCheckKind(project: Project, module: SourceModule, hook: Definition, reads: (call: CallExpr) => boolean, comparesStoredTokens: boolean): CsrfCheckKind | undefined {
  const scopes = module.symbols.scopesWithin(hook.bodyScope);
  const calls = module.facts.calls.filter(({ scope }) => scopes.has(scope));
  const names = calls.map(({ call, scope }) => project.resolve(module, call.callee, scope) ?? '');
  if (names.some(checksCsrfToken)) return 'token';
  const rejects = names.some((name) => name === 'flask.abort' || name === 'quart.abort' || name.endsWith('.send_error')) || module.facts.raises.some((statement) => scopes.has(statement.scope));
  if (rejects && calls.some(({ call }) => reads(call))) return 'token';
  if (rejects && comparesStoredTokens && readsRequestAndStoredToken(project, module, calls)) return 'token';
  if (foreignOriginComparison(project, module, hook) !== undefined) return 'origin';
  if (rejects && comparesStoredTokens && readsWhereRequestComesFrom(project, module, scopes, calls)) return 'origin';
  return rejects && CSRF_WORDS.test(hook.name) ? 'token' : undefined;
}

/**
 * A hook that rejects requests and reads where a request comes from: the \`Sec-Fetch-Site\` header
 * browsers add (\`cross-site\` on a forged post), or the \`Origin\` header next to the host it was
 * sent to. Either is a CSRF check without a token; a browser cannot forge them.
 */
function readsWhereRequestComesFrom(project: Project, module: SourceModule, scopes: ReadonlySet<number>, calls: SourceModule['facts']['calls']): boolean {
  const headers = calls.flatMap(({ call, scope }) => {
    const { callee } = call;
    const [first] = call.args;
    if (callee.kind !== 'attribute' || callee.attribute !== 'get' || finalIdentifier(callee.object) !== 'headers' || first === undefined) return [];
    return [(stringValue(project, { module, scope, expr: first.value }) ?? '').toLowerCase()];
  });
  if (headers.includes('sec-fetch-site')) return true;
  const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
  const readsOrigin = headers.includes('origin') || reads.includes('request.origin');
  const readsHost = headers.includes('host') || reads.some((read) => HOST_READS.has(read));
  return readsOrigin && readsHost;
}

/** Werkzeug's views of the host a request was sent to. */
const HOST_READS = new Set(['request.host', 'request.host_url', 'request.url_root', 'request.root_url']);

/** A value named for a token or nonce: `_form_token`, `X-Request-Token`, `nonce`. */
const TOKEN_NAME = /csrf|xsrf|token|nonce/i;
/** Tornado's readers of the request's arguments. */
const ARGUMENT_READERS = new Set(['get_argument', 'get_body_argument', 'get_query_argument']);
/** Request mappings a client fills: headers, form fields, query arguments, a JSON body. */
const REQUEST_MAPPINGS = new Set(['headers', 'form', 'args', 'values', 'json', 'POST', 'GET', 'META']);
/** Tornado's readers of the cookies the site set. */
const COOKIE_READERS = new Set(['get_cookie', 'get_secure_cookie', 'get_signed_cookie']);
/** Where a site keeps the token a request must repeat: a cookie it set, or the session. */
const STORED_MAPPINGS = new Set(['cookies', 'COOKIES', 'session']);

/**
 * A hook that reads a value named for a token from the request and one from a cookie or the session
 * (`self.get_argument("_form_token") != self.get_cookie("form_token")`), and rejects: a double-submit
 * or session-token check, whatever its names. Without the conditions in the facts, reading both, each
 * under a token's name, and rejecting is the evidence. A hook that reads only the signed-in user's
 * cookie, or signs a request in by an access token or else the session's user id, is no such check.
 */
function readsRequestAndStoredToken(project: Project, module: SourceModule, calls: SourceModule['facts']['calls']): boolean {
  const readsTokenNamed = (fromWhere: (callee: Expr) => boolean) =>
    calls.some(({ call, scope }) => {
      const [first] = call.args;
      if (!fromWhere(call.callee) || first === undefined) return false;
      const key = stringValue(project, { module, scope, expr: first.value }) ?? '';
      return TOKEN_NAME.test(key) && !CREDENTIAL_TOKEN_NAME.test(key);
    });
  const fromRequest = (callee: Expr) => callee.kind === 'attribute' && (ARGUMENT_READERS.has(callee.attribute) || (callee.attribute === 'get' && callee.object.kind === 'attribute' && REQUEST_MAPPINGS.has(callee.object.attribute)));
  const fromStore = (callee: Expr) => callee.kind === 'attribute' && (COOKIE_READERS.has(callee.attribute) || (callee.attribute === 'get' && STORED_MAPPINGS.has(finalIdentifier(callee.object) ?? '')));
  return readsTokenNamed(fromRequest) && readsTokenNamed(fromStore);
}

/** Tokens that sign a request in rather than repeat a stored value: `X-Access-Token`, `api_token`, `auth_token`. */
const CREDENTIAL_TOKEN_NAME = /access|api|auth|bearer|refresh|login/i;

/**
 * A view that checks the token a request carries: as `checksCsrf`, but the value named for CSRF must
 * be read from the request (`request.form.get("csrf_token")`, `self.get_argument("_xsrf")`). A view
 * that reads the session's token only hands one out, and may reject for another reason entirely.
 */
export function viewChecksCsrf(project: Project, module: SourceModule, view: Definition): boolean {
  return csrfCheckKind(project, module, view, (call) => readsCsrfValue(call) && readsFromRequest(call.callee), false) !== undefined;
}

const REQUEST_ROOTS = new Set(['request', 'self', 'req']);

function readsFromRequest(callee: Expr): boolean {
  const root = attributeRoot(callee);
  return root.kind === 'name' && REQUEST_ROOTS.has(root.id);
}

/**
 * A middleware or hook that refuses a request lacking a header of the app's own
 * (\`Notebook-Server-Token\`, \`X-Requested-With\`): it reads the header, tests what it read, and
 * answers with an error (a raise, or a response with a 4xx status). A cross-site form cannot set
 * such a header, and a script on another site needs the app's CORS consent to: the check stops a
 * forged request, token or none. Headers the browser sends by itself (\`Cookie\`, \`Authorization\`
 * with a cached Basic password), CORS-safelisted ones a form can set, and those a proxy adds to every
 * request (\`X-Forwarded-Proto\`) are no such header. Returns the header as read.
 */
export function requiredCustomHeader(project: Project, module: SourceModule, hook: Definition): { header: string; line: number } | undefined {
  const scopes = module.symbols.scopesWithin(hook.bodyScope);
  const calls = module.facts.calls.filter(({ scope }) => scopes.has(scope));
  if (!rejectsRequest(project, module, scopes, calls)) return undefined;
  const tested = testedExpressions(module, hook);
  for (const { call, scope } of calls) {
    const header = headerRead(project, module, call, scope);
    if (header === undefined || !isCustomHeader(header)) continue;
    if (tested.calls.has(call.id) || assignedNames(module, scopes, call).some((name) => tested.names.has(name))) return { header, line: call.range.line };
  }
  return undefined;
}

/** `request.headers.get("X-Name")`, the name written out or held by a class attribute (\`self.HEADER_NAME\`). */
function headerRead(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  const [first] = call.args;
  if (callee.kind !== 'attribute' || callee.attribute !== 'get' || finalIdentifier(callee.object) !== 'headers' || first === undefined || first.name !== undefined) return undefined;
  return stringValue(project, { module, scope, expr: first.value }) ?? selfAttributeText(project, module, first.value, scope);
}

/** Headers a browser sends on its own, or lets any page set (CORS-safelisted), or a proxy adds to every request. */
const NOT_CUSTOM_HEADERS = new Set(['accept', 'accept-language', 'content-language', 'content-type', 'range', 'cookie', 'authorization', 'origin', 'referer', 'user-agent', 'host', 'connection', 'forwarded', 'via', 'x-real-ip']);
const NOT_CUSTOM_PREFIXES = ['sec-', 'proxy-', 'x-forwarded-', 'accept-', 'content-'];

/**
 * Headers that trace a request (\`X-Trace-Id\`, \`X-Request-ID\`, \`traceparent\`): a middleware reads
 * one to log under it and makes one up when it is missing, so its test is no requirement.
 */
const TRACING_HEADER = /^(?:x-)?(?:(?:b3-)?trace|request|correlation|span|amzn-trace)[-_]?id$|^traceparent$|^tracestate$|^b3$/;

function isCustomHeader(header: string): boolean {
  const name = header.toLowerCase();
  return name !== '' && !NOT_CUSTOM_HEADERS.has(name) && !NOT_CUSTOM_PREFIXES.some((prefix) => name.startsWith(prefix)) && !TRACING_HEADER.test(name);
}

/** A raise, an \`abort(...)\`, or a response built with a 4xx status (\`status_code=401\`, \`status.HTTP_403_FORBIDDEN\`). */
function rejectsRequest(project: Project, module: SourceModule, scopes: ReadonlySet<number>, calls: SourceModule['facts']['calls']): boolean {
  if (module.facts.raises.some((statement) => scopes.has(statement.scope))) return true;
  return calls.some(({ call, scope }) => {
    const name = project.resolve(module, call.callee, scope) ?? '';
    if (name.endsWith('.abort')) return true;
    return call.args.some((argument) => (argument.name === 'status_code' || argument.name === 'status') && isClientErrorStatus(argument.value));
  });
}

function isClientErrorStatus(expr: Expr): boolean {
  if (expr.kind === 'number') return expr.value >= 400 && expr.value < 500;
  const name = finalIdentifier(expr) ?? '';
  return /^HTTP_4\d\d(_|$)/.test(name);
}

/** The calls and names an \`if\`/\`elif\`/\`while\` test of the hook looks at. */
function testedExpressions(module: SourceModule, hook: Definition): { calls: Set<number>; names: Set<string> } {
  const calls = new Set<number>();
  const names = new Set<string>();
  for (const { test } of module.symbols.itemsWithin(module.facts.conditions, hook.bodyScope)) {
    for (const part of walkExpr(test)) {
      if (part.kind === 'call') calls.add(part.id);
      if (part.kind === 'name') names.add(part.id);
    }
  }
  return { calls, names };
}

/** The names a call's value is assigned to in the hook: \`token = request.headers.get(...)\`. */
function assignedNames(module: SourceModule, scopes: ReadonlySet<number>, call: CallExpr): string[] {
  return module.facts.assignments.flatMap(({ scope, target, value }) => (scopes.has(scope) && target.kind === 'name' && value?.kind === 'call' && value.id === call.id ? [target.id] : []));
}
