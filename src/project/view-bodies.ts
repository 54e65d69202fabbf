import { attributeRoot } from '../python/describe.js';
import type { Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
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
  const reads = module.facts.scopes[view.bodyScope]?.reads ?? [];
  if (requestName === undefined ? !readsGlobalRequestOnly(module, view, reads) : reads.includes(`${requestName}.user`)) return undefined;
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const header = headerLookup(call.callee, call.args[0]?.value);
    if (header !== undefined && TOKEN_HEADER.test(header)) return header;
  }
  return undefined;
}

const USER_WORDS = /user|session|identity/i;

/** Where Flask and Quart views find the signed-in user: a module that imports one may act for them. */
const GLOBAL_USER_IMPORTS = new Set(['flask.session', 'quart.session', 'flask_login.current_user', 'flask_login.login_user', 'quart_auth.current_user']);

/**
 * A view without parameters that reads the global request of Flask or Quart (`request.headers`),
 * in a module that imports neither the session nor Flask-Login's user, reads no `g.user`, and has
 * no login decorator: what it does is not done for the session's user.
 */
function readsGlobalRequestOnly(module: SourceModule, view: Definition, reads: readonly string[]): boolean {
  return reads.some((read) => read.startsWith('request.')) && knowsNoGlobalUser(module, view, reads);
}

function knowsNoGlobalUser(module: SourceModule, view: Definition, reads: readonly string[]): boolean {
  // `g.current_user`, a project's own `current_user` proxy, `flask_login.current_user`: read by any name, the user is there.
  if (reads.some((read) => USER_WORDS.test(read))) return false;
  if (view.decorators.some(({ expression }) => LOGIN_DECORATOR.test(describeCallee(expression)))) return false;
  return !module.facts.imports.some((statement) => {
    const base = module.symbols.importedModule(statement);
    return statement.names.some((name) => GLOBAL_USER_IMPORTS.has(`${base}.${name.importedName}`));
  });
}

/** The last name of a decorator (`login_required` of `@auth.login_required()`), as written. */
function describeCallee(expression: Expr): string {
  const target = expression.kind === 'call' ? expression.callee : expression;
  return target.kind === 'attribute' ? target.attribute : target.kind === 'name' ? target.id : '';
}

/**
 * The header a decorator of the view reads a credential from, when the decorator is a function of
 * the project (`@authorize`, whose wrapper reads `request.headers["X-Api-Key"]` and refuses the
 * request without it) and the view reads no cookie-based user: such a view is authenticated by a
 * header a forged request lacks.
 */
export function decoratorHeaderTokenRead(project: Project, module: SourceModule, view: Definition): string | undefined {
  const requestName = view.parameters.find((parameter) => parameter.name !== 'self' && parameter.name !== 'cls')?.name;
  if (requestName === undefined || module.facts.scopes[view.bodyScope]?.reads.includes(`${requestName}.user`)) return undefined;
  for (const { expression } of view.decorators) {
    const target = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, target, view.scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') continue;
    const header = headerReadWithin(site.module, site.definition.bodyScope);
    if (header !== undefined) return header;
  }
  return undefined;
}

/** A credential header read anywhere inside a scope, nested functions included: `.get("X-Api-Key")` or `["X-Api-Key"]`. */
function headerReadWithin(module: SourceModule, bodyScope: number): string | undefined {
  const scopes = module.symbols.scopesWithin(bodyScope);
  const expressions = [
    ...module.facts.calls.filter(({ scope }) => scopes.has(scope)).map(({ call }) => call),
    ...module.facts.assignments.filter(({ scope, value }) => scopes.has(scope) && value !== null).map(({ value }) => value!),
  ];
  for (const expression of expressions) {
    for (const part of walkExpr(expression)) {
      const header = part.kind === 'call' ? headerLookup(part.callee, part.args[0]?.value) : part.kind === 'subscript' ? headerSubscript(part.object, part.index) : undefined;
      if (header !== undefined && TOKEN_HEADER.test(header)) return header;
    }
  }
  return undefined;
}

/** `x.headers["Name"]`, `request.META["HTTP_NAME"]`: the header name. */
function headerSubscript(mapping: Expr, key: Expr): string | undefined {
  const name = headerName(key);
  return name !== undefined && mapping.kind === 'attribute' && HEADER_MAPPINGS.has(mapping.attribute) ? name : undefined;
}

/** `x.headers.get("Name")`: the header name. */
function headerLookup(callee: Expr, key: Expr | undefined): string | undefined {
  const name = key && headerName(key);
  if (callee.kind !== 'attribute' || callee.attribute !== 'get' || name === undefined) return undefined;
  const mapping = callee.object;
  return mapping.kind === 'attribute' && HEADER_MAPPINGS.has(mapping.attribute) ? name : undefined;
}

/** `"X-Api-Key"`, or a header named by configuration (`app.config["TOKEN_HEADER"]`), shown as its setting. */
function headerName(key: Expr): string | undefined {
  if (key.kind === 'string') return key.value;
  const isConfig = key.kind === 'subscript' && key.index.kind === 'string' && key.object.kind === 'attribute' && key.object.attribute === 'config';
  return isConfig && key.index.kind === 'string' ? `config["${key.index.value}"]` : undefined;
}

/** What a request tells of its user: Django's `user`, `session` and `auth`, Pyramid's `identity`, `authenticated_userid`... */
const USER_ATTRIBUTES = new Set(['user', 'session', 'auth', 'identity', 'authenticated_userid', 'unauthenticated_userid', 'effective_principals', 'has_permission']);

/** What a request carries from its client: a view that reads these but no user acts on input alone. */
const REQUEST_INPUT = new Set(['body', 'GET', 'POST', 'META', 'headers', 'FILES', 'data', 'json', 'json_body', 'params', 'matchdict', 'content_type']);

/** Decorators that require a signed-in user: a view under one acts for the session's user. */
const LOGIN_DECORATOR = /(^|[._])(login|permission|permissions|group|groups|role|roles|staff|staff_member|superuser|admin|user|member)_required|user_passes_test/;

/**
 * A function view that acts for nobody: it reads its input (`request.body`, `request.GET`...) but
 * no user or session from its request (`request.user`, `request.session`), hands the request itself
 * to no other code (which might), and has no login decorator. A forged request to it can do only what anybody can do directly
 * (ping a check by its secret URL, search the docs, feed a bot's webhook).
 */
export function actsForNobody(project: Project, module: SourceModule, view: Definition): boolean {
  // Django's convention: Flask views take URL values, and read the user from globals instead.
  if (view.kind !== 'function' || view.parameters[0]?.name !== 'request') return false;
  const requestName = 'request';
  if (view.decorators.some(({ expression }) => LOGIN_DECORATOR.test(project.resolve(module, expression.kind === 'call' ? expression.callee : expression, view.scope) ?? ''))) return false;
  const scopes = module.symbols.scopesWithin(view.bodyScope);
  const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
  if (reads.some((read) => USER_ATTRIBUTES.has(read.slice(requestName.length + 1)) && read.startsWith(`${requestName}.`))) return false;
  const handsOnRequest = module.facts.calls.some(({ call, scope }) => scopes.has(scope) && call.args.some(({ value }) => value.kind === 'name' && value.id === requestName));
  const returnsRequest = module.facts.returns.some((statement) => scopes.has(statement.scope) && statement.value !== null && [...walkExpr(statement.value)].some((part) => part.kind === 'name' && part.id === requestName));
  // A stub that reads nothing of its request says nothing yet of whom it will act for.
  const readsInput = reads.some((read) => REQUEST_INPUT.has(read.slice(requestName.length + 1)) && read.startsWith(`${requestName}.`));
  return readsInput && !handsOnRequest && !returnsRequest;
}

/** Response classes: built with no content, they answer a request and change nothing. */
const RESPONSE_CLASS = /(^|\.)(HttpResponse\w*|JsonResponse|Response|PlainTextResponse)$/;

/**
 * A function view whose whole body is one `return` of an empty response
 * (`return HttpResponse(status=204)`, `return JsonResponse({})`): a forged request to it can change nothing.
 */
export function onlyReturnsEmptyResponse(project: Project, module: SourceModule, view: Definition): boolean {
  if (!isReturnOnlyFunction(view)) return false;
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

/** What answers a request with a redirect, and nothing else. */
const REDIRECTS = new Set([
  'flask.redirect', 'flask.helpers.redirect', 'werkzeug.utils.redirect', 'quart.redirect', 'quart.helpers.redirect',
  'django.shortcuts.redirect', 'django.http.HttpResponseRedirect', 'django.http.HttpResponsePermanentRedirect',
  'starlette.responses.RedirectResponse', 'fastapi.responses.RedirectResponse',
]);
/** Calls that only build the URL of a redirect. */
const URL_BUILDERS = new Set(['flask.url_for', 'quart.url_for', 'django.urls.reverse', 'django.shortcuts.resolve_url']);

/**
 * A function view whose whole body is `return redirect(<url>)`, the URL built only from the request
 * and `url_for`/`reverse` (`redirect(request.url.replace("/v1", "", 1), 307)`): it changes nothing,
 * whatever method it answers. A 307 redirect sends the request on, to a view judged on its own.
 */
export function onlyRedirects(project: Project, module: SourceModule, view: Definition): boolean {
  if (!isReturnOnlyFunction(view)) return false;
  const inBody = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, view.bodyScope);
  const returns = inBody(module.facts.returns);
  if (returns.length !== 1 || inBody(module.facts.assignments).length > 0 || inBody(module.facts.raises).length > 0) return false;
  const response = returns[0]?.value;
  if (response?.kind !== 'call' || !REDIRECTS.has(project.resolve(module, response.callee, view.bodyScope) ?? '')) return false;
  return inBody(module.facts.calls).every(({ call }) => call.id === response.id || buildsUrl(project, module, view.bodyScope, call.callee));
}

/** A function whose body is its return, and maybe a docstring: `del NOTES[id]`, a loop, a `with` may change state. */
function isReturnOnlyFunction(view: Definition): boolean {
  return view.kind === 'function' && view.bodyStatements.every((statement) => statement === 'return_statement' || statement === 'expression_statement');
}

function buildsUrl(project: Project, module: SourceModule, scope: number, callee: Expr): boolean {
  const root = attributeRoot(callee);
  if (root !== callee && root.kind === 'name' && root.id === 'request') return true;
  return URL_BUILDERS.has(project.resolve(module, callee, scope) ?? '');
}

/**
 * The header a helper of the project that the view calls reads a credential from and refuses the
 * request without (`agent = require_agent_token()`, which reads
 * `request.headers[app.config["TOKEN_HEADER"]]` and calls `abort(401)`), in a view that knows no
 * session user (as \`knowsNoGlobalUser\` judges it): the view acts for whoever holds the header.
 */
export function helperHeaderTokenRead(project: Project, module: SourceModule, view: Definition): string | undefined {
  if (view.kind !== 'function' || !knowsNoGlobalUser(module, view, module.facts.scopes[view.bodyScope]?.reads ?? [])) return undefined;
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const name = project.resolve(module, call.callee, scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function' || !refusesRequests(project, site.module, site.definition.bodyScope)) continue;
    const header = headerReadWithin(site.module, site.definition.bodyScope);
    if (header !== undefined) return header;
  }
  return undefined;
}

/** `abort(...)` or `raise` in the scope: the helper can turn the request away. */
function refusesRequests(project: Project, module: SourceModule, bodyScope: number): boolean {
  if (module.facts.raises.some((statement) => statement.scope === bodyScope)) return true;
  return module.facts.calls.some(({ call, scope }) => scope === bodyScope && /(^|\.)abort$/.test(project.resolve(module, call.callee, scope) ?? ''));
}
