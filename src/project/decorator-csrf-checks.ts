/**
 * A decorator of the project whose wrapper checks CSRF before it calls the view it wraps: Weasyl's
 * `@token_checked` (`if not define.is_csrf_valid(request): raise WeasylError("token")`), quay's
 * `@csrf_protect()` (`verify_csrf(...)`, which aborts). The views it decorates reject a forged post
 * as a `before_request` hook's would.
 */
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { checksCsrfToken, type CsrfCheckKind, readsCsrfValue } from './csrf-checks.js';
import { CONSTANT_TIME_COMPARISONS, reachedCalls } from './request-credential-checks.js';
import { calledFunction } from './view-bodies.js';
import { finalIdentifier, namesCsrf, type Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { singleAssignedValue, stringValue } from './values.js';

/** What a decorator checks: the decorator (`weasyl.controllers.decorators.token_checked`), the check it calls, and whether that check wants a token or reads where the request comes from. */
export interface DecoratorCsrfCheck {
  decorator: string;
  check: string;
  kind: CsrfCheckKind;
}

/** `\`@csrf_protect\` (calls \`verify_csrf()\` before the view)`: the words the inventory uses. */
export function describeDecoratorCsrfCheck(check: DecoratorCsrfCheck): string {
  return `\`@${lastName(check.decorator)}\` (calls \`${lastName(check.check)}()\` before the view)`;
}

/** The CSRF check of the first decorator of the view that makes one before calling the view. */
export function decoratorCsrfCheckOf(project: Project, module: SourceModule, view: Definition): DecoratorCsrfCheck | undefined {
  for (const { expression } of view.decorators) {
    const found = decoratorCsrfCheck(project, module, expression, view.scope);
    if (found) return found;
  }
  return undefined;
}

/**
 * A decorator (`@token_checked`, or a factory's result, `@csrf_protect()`, or an instance of a class,
 * RhodeCode's `@CSRFRequired()`) defined in the project, a function of which (the decorator, a wrapper
 * nested in it, or a method of the class) calls a CSRF check and later calls a parameter of the
 * decorator's functions: the view. A check that only answers (`is_csrf_valid(...)`)
 * counts where that wrapper rejects (`raise`, `abort(...)`); one that verifies (`verify_csrf(...)`)
 * rejects by itself.
 */
export function decoratorCsrfCheck(project: Project, module: SourceModule, decorator: Expr, scope: number): DecoratorCsrfCheck | undefined {
  const name = project.resolve(module, decorator.kind === 'call' ? decorator.callee : decorator, scope);
  const site = name === undefined || !project.isScannedName(name) ? undefined : project.findDefinition(name);
  if (site === undefined || (site.definition.kind !== 'function' && site.definition.kind !== 'class')) return factoryMadeDecoratorCheck(project, module, decorator, scope);
  const { module: home, definition } = site;
  // A class decorates through an instance (`@CSRFRequired()`): its `__call__` wraps the view in a method of the class.
  if (definition.kind === 'class' && decorator.kind !== 'call') return undefined;
  const scopes = home.symbols.scopesWithin(definition.bodyScope);
  const inner = home.facts.definitions.filter((candidate) => candidate.kind === 'function' && scopes.has(candidate.scope));
  const functions = definition.kind === 'function' ? [definition, ...inner] : inner;
  const parameters = new Set(functions.flatMap((inner) => inner.parameters.map((parameter) => parameter.name)));
  for (const wrapper of functions) {
    const calls = home.facts.calls.filter((call) => call.scope === wrapper.bodyScope);
    const check = calls.map(({ call, scope: at }) => csrfCheckCall(project, home, wrapper, call, at)).find((found) => found !== undefined);
    if (check === undefined) continue;
    const callsView = calls.some(({ call }) => call.callee.kind === 'name' && parameters.has(call.callee.id) && call.range.line > check.line);
    if (callsView) return { decorator: name!, check: check.name, kind: check.kind };
  }
  return undefined;
}

/**
 * A decorator kept in a name bound once to what a decorator factory of the project returned
 * (quay's \`oauthlogin_csrf_protect = csrf_protect(OAUTH_CSRF_TOKEN_NAME, "state")\`): the factory's check.
 */
function factoryMadeDecoratorCheck(project: Project, module: SourceModule, decorator: Expr, scope: number): DecoratorCsrfCheck | undefined {
  if (decorator.kind !== 'name' && decorator.kind !== 'attribute') return undefined;
  const value = singleAssignedValue(project, { module, scope, expr: decorator });
  if (value?.expr.kind !== 'call') return undefined;
  return decoratorCsrfCheck(project, value.module, value.expr, value.scope);
}

/**
 * A call in the wrapper that checks CSRF: one that verifies and rejects by itself, or a predicate named
 * for CSRF whose answer the wrapper acts on by rejecting, or a function of the project the wrapper
 * rejects on (\`if not check_session(True): abort(401)\`) that checks the request's CSRF token a few calls deep.
 */
function csrfCheckCall(project: Project, module: SourceModule, wrapper: Definition, call: CallExpr, scope: number): { name: string; line: number; kind: CsrfCheckKind } | undefined {
  const name = project.resolve(module, call.callee, scope);
  if (name === undefined) return undefined;
  if (!namesCsrf(name)) return reachesRequestTokenCheck(project, module, call, scope) && rejects(project, module, wrapper) ? { name, line: call.range.line, kind: 'token' } : undefined;
  const verifies = checksCsrfToken(name);
  if (!verifies && !(CSRF_PREDICATE.test(lastName(name)) && rejects(project, module, wrapper))) return undefined;
  return { name, line: call.range.line, kind: readsOnlyWhereRequestComesFrom(project, name) ? 'origin' : 'token' };
}

/**
 * A project function that, itself or in the project functions it calls a few calls deep, reads a
 * value named for CSRF from the request (\`flask.request.headers.get("Csrf-Token")\`) and checks it:
 * hands it to a check named for CSRF (\`csrf.validate_token(admin_id, token)\`), compares it in
 * constant time, or reads a token kept in the session. Pritunl's \`check_session(True)\`, behind
 * \`@session_auth\` on every admin view.
 */
function reachesRequestTokenCheck(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  const start = calledFunction(project, module, call, scope);
  if (start === undefined) return false;
  let readsRequestToken = false;
  let checksToken = false;
  for (const reached of reachedCalls(project, start)) {
    if (reached.call === undefined) continue;
    const name = project.resolve(reached.site.module, reached.call.callee, reached.scope) ?? '';
    readsRequestToken ||= readsCsrfValue(reached.call) && REQUEST_READ.test(name);
    checksToken ||= checksCsrfToken(name) || CONSTANT_TIME_COMPARISONS.has(name) || readsSessionToken(project, reached.site.module, reached.call, reached.scope);
  }
  return readsRequestToken && checksToken;
}

/** \`request.headers.get\`, \`flask.request.form.get\`: a read of what the client sent. */
const REQUEST_READ = /(^|\.)request\.(headers|form|values|args|json)\.get$/;

/** \`session.get("_csrf_token")\`: the token the site keeps for the user. */
function readsSessionToken(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  const { callee } = call;
  const [first] = call.args;
  if (callee.kind !== 'attribute' || callee.attribute !== 'get' || finalIdentifier(callee.object) !== 'session' || first === undefined) return false;
  return /csrf|xsrf|token/i.test(stringValue(project, { module, scope, expr: first.value }) ?? '');
}

/** `is_csrf_valid`, `csrf_ok`, `valid_csrf`: a name that answers whether the check passed. */
const CSRF_PREDICATE = /valid|ok$|passes|matches/i;

function lastName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

/** The wrapper raises or calls `abort(...)`: it turns a request away. */
function rejects(project: Project, module: SourceModule, wrapper: Definition): boolean {
  if (module.facts.raises.some((statement) => statement.scope === wrapper.bodyScope)) return true;
  return module.facts.calls.some(({ call, scope }) => scope === wrapper.bodyScope && /(^|\.)abort$/.test(project.resolve(module, call.callee, scope) ?? ''));
}

/**
 * A project function that reads where the request comes from (the `Origin`, `Referer` or
 * `Sec-Fetch-Site` header, `request.origin`) and no value named for CSRF: Weasyl's
 * `is_csrf_valid` compares `Origin` with the site's. The site's own forms pass it without a token.
 */
function readsOnlyWhereRequestComesFrom(project: Project, checkName: string): boolean {
  const site = project.findDefinition(checkName);
  if (site?.definition.kind !== 'function') return false;
  const { module, definition } = site;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  let readsOrigin = module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => ORIGIN_ATTRIBUTES.has(read)));
  for (const { call, scope } of module.facts.calls) {
    if (!scopes.has(scope)) continue;
    const key = headerKey(project, module, call, scope);
    if (key === undefined) continue;
    if (/csrf|xsrf|token/i.test(key)) return false;
    readsOrigin ||= ORIGIN_HEADERS.has(key.toLowerCase());
  }
  return readsOrigin;
}

const ORIGIN_ATTRIBUTES = new Set(['request.origin', 'request.referrer']);
const ORIGIN_HEADERS = new Set(['origin', 'referer', 'sec-fetch-site', 'http_origin', 'http_referer']);

/** The key of `<mapping>.get("key")`: a header, form field or argument read. */
function headerKey(project: Project, module: SourceModule, call: CallExpr, scope: number): string | undefined {
  const { callee } = call;
  const [first] = call.args;
  if (callee.kind !== 'attribute' || callee.attribute !== 'get' || first === undefined || finalIdentifier(callee.object) === undefined) return undefined;
  return stringValue(project, { module, scope, expr: first.value });
}
