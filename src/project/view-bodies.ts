import { attributeRoot, describeExpr } from '../python/describe.js';
import type { CallExpr, Definition, Expr } from '../python/facts.js';
import { walkExpr } from '../python/walk-expr.js';
import type { Project } from './project.js';
import type { SourceModule } from './source-module.js';
import { enclosingClass } from './enclosing.js';
import { namesCredential } from './credentials.js';

/** A function that handles a view's requests: the view, or a method of the class-based view `ownerClass`. */
export interface RequestHandler {
  module: SourceModule;
  definition: Definition;
  ownerClass?: string;
  /** The parameter the framework passes the request in, when known; otherwise the framework's convention. */
  requestName?: string;
}

/**
 * The header a handler takes its credential from, with no session user: read by itself (or, for a
 * method, by the class's methods it calls), by a decorator of the project's, or by a decorator
 * reading Flask's global request. One judgement for the rules' exemption reasons and the endpoint
 * inventory's credentials.
 */
export function handlerHeaderTokenRead(project: Project, { module, definition, ownerClass, requestName }: RequestHandler): string | undefined {
  const enclosing = enclosingClass(module, definition);
  const owner = ownerClass ?? (enclosing && module.symbols.definitionName(enclosing));
  const ownRead = owner === undefined ? headerTokenRead(module, definition, requestName) : methodHeaderTokenRead(project, module, definition, owner);
  return ownRead ?? decoratorHeaderTokenRead(project, module, definition, requestName) ?? globalRequestDecoratorHeaderRead(project, module, definition);
}

/** Header names that carry a credential a browser never sends by itself (`X-Api-Key`, `X-Metrics-Key`, `HTTP_X_AUTH_KEY`). */
const TOKEN_HEADER = /api[-_]?key|token|authorization|secret|[-_]key$/i;
/** Headers named for a key that is no credential: a retry's id, and the WebSocket handshake's nonce that the browser sets itself. */
const KEYS_NO_CREDENTIAL = /^(HTTP_)?(idempotency|sec[-_]websocket)[-_]key$/i;
/** Where Django, Flask and Starlette keep request headers (`META` holds them as `HTTP_X_API_KEY`). */
const HEADER_MAPPINGS = new Set(['headers', 'META', 'environ']);

/**
 * The header a view reads a credential from (`request.headers.get("X-Api-Key")`,
 * `request.META.get("HTTP_AUTHORIZATION")`), when it reads no cookie-based user
 * (`request.user`): such a view is authenticated by something a forged request lacks.
 */
export function headerTokenRead(module: SourceModule, view: Definition, requestName = firstParameter(view)): string | undefined {
  // Nested functions included: a fallback to the session (`key if key else request.session["uid"]`) may sit in one.
  const scopes = module.symbols.scopesWithin(view.bodyScope);
  const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
  const readsUser = (name: string) => reads.some((read) => read.startsWith(`${name}.`) && USER_ATTRIBUTES.has(read.slice(name.length + 1).split('.')[0]!));
  if (requestName === undefined ? !readsGlobalRequestOnly(module, view, reads) : readsUser(requestName)) return undefined;
  return headerReadWithin(module, view.bodyScope);
}

const USER_WORDS = /user|session|identity/i;
/** A setting read by its upper-case name (`settings.SENDGRID_USERNAME`, `config.SESSION_TYPE`): the same for every request, no signed-in user. */
const SETTING_CONSTANT = /^\w+\.[A-Z][A-Z0-9_]*$/;
/** SQLAlchemy's unit of work on the database handle (`db.session.add(...)`, `self.db.session`): no browser session. */
const DATABASE_SESSION = /^(?:\w+\.)*db\.session(?:\.(?!.*(?:user|identity))|$)/i;

/** What a request tells of its user: Django's `user`, `session` and `auth`, Pyramid's `identity`, `authenticated_userid`... */
export const USER_ATTRIBUTES: ReadonlySet<string> = new Set(['user', 'session', 'auth', 'identity', 'authenticated_userid', 'unauthenticated_userid', 'effective_principals', 'has_permission']);

/**
 * Decorators that require a signed-in user, or one with a permission: a view under one acts for a
 * user (`@login_required`, `@permission_required(...)`, `@require_login`, `@requires_auth`,
 * `@require_permission`). Checked on the last name, so `@require_POST` and `@require_http_methods` are not.
 */
export const LOGIN_DECORATOR =
  /(^|[._])(login|permission|permissions|group|groups|role|roles|staff|staff_member|superuser|admin|user|member|auth)_required|(^|[._])requires?_(login|auth|authentication|authorization|permissions?|groups?|roles?|staff|superuser|admin|user|member)$|user_passes_test/;

/** Where Flask and Quart views find the signed-in user: a module that imports one may act for them. */
const GLOBAL_USER_IMPORTS = new Set(['flask.session', 'quart.session', 'flask_login.current_user', 'flask_login.login_user', 'quart_auth.current_user']);

/**
 * A view without parameters that reads the global request of Flask or Quart (`request.headers`),
 * in a module that imports neither the session nor Flask-Login's user, reads no `g.user`, and has
 * no login decorator: what it does is not done for the session's user.
 */
function readsGlobalRequestOnly(module: SourceModule, view: Definition, reads: readonly string[]): boolean {
  return reads.some((read) => read.startsWith('request.')) && actsForNoGlobalUser(module, view, reads);
}

/**
 * `localsAreNoUser`: a name the function binds itself, or a class of the project, holds no signed-in
 * user whatever it is called. `unreadImportsAreNoUser`: the session or Flask-Login's user imported
 * by the module counts only where the function reads the name it is bound to (a module of views,
 * some for the user and some for nobody).
 */
export interface GlobalUserOptions {
  localsAreNoUser?: boolean;
  unreadImportsAreNoUser?: boolean;
}

/** The view reads no user by any name, wears no login decorator, and its module imports neither the session nor Flask-Login's user. */
function actsForNoGlobalUser(module: SourceModule, view: Definition, reads: readonly string[], unreadImportsAreNoUser = false): boolean {
  // `g.current_user`, a project's own `current_user` proxy, `flask_login.current_user`: read by any name, the user is there.
  if (reads.some((read) => USER_WORDS.test(read) && !DATABASE_SESSION.test(read) && !SETTING_CONSTANT.test(read))) return false;
  if (view.decorators.some(({ expression }) => LOGIN_DECORATOR.test(describeCallee(expression)))) return false;
  const used = unreadImportsAreNoUser ? namesUsedWithin(module, view.bodyScope) : undefined;
  return !module.facts.imports.some((statement) => {
    const base = module.symbols.importedModule(statement);
    return statement.names.some((name) => GLOBAL_USER_IMPORTS.has(`${base}.${name.importedName}`) && (used === undefined || used.has(name.boundName)));
  });
}

/** Every name an expression of the scope (and the scopes inside it) uses: read, called, subscripted, passed or assigned to. */
function namesUsedWithin(module: SourceModule, bodyScope: number): Set<string> {
  const within = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, bodyScope);
  const expressions: Expr[] = [
    ...within(module.facts.calls).map(({ call }) => call),
    ...within(module.facts.assignments).flatMap(({ target, value }) => (value ? [target, value] : [target])),
    ...within(module.facts.returns).flatMap(({ value }) => (value ? [value] : [])),
    ...within(module.facts.conditions).map(({ test }) => test),
    ...within(module.facts.deletions).map(({ target }) => target),
  ];
  const names = new Set<string>();
  for (const expression of expressions) {
    for (const part of walkExpr(expression)) if (part.kind === 'name') names.add(part.id);
  }
  return names;
}

/** Calls followed from a handler of the global request: past this depth the scan stops guessing. */
const GLOBAL_HANDLER_DEPTH = 3;

/**
 * A Flask or Quart handler (a resource's `post(self)`) that acts for nobody: neither it nor the
 * project's functions and methods it calls, a few calls deep, read a user or the session by any
 * name, wear a login decorator, or sit in a module that imports the session or Flask-Login's user
 * (see `actsForNoGlobalUser`). The project's functions it calls, by name; `undefined` when one
 * may act for a user. Calls the scan cannot place (library code, methods of unknown objects) are
 * not followed.
 */
export function globalHandlerActsForNobody(project: Project, handler: MethodSite, ownerClass?: string, options: GlobalUserOptions = {}): string[] | undefined {
  const reached: MethodSite[] = [handler];
  const called = new Set<string>();
  let judged = 0;
  for (let depth = 0; depth <= GLOBAL_HANDLER_DEPTH && judged < reached.length; depth++) {
    const level = reached.slice(judged);
    judged = reached.length;
    for (const { module, definition } of level) {
      const scopes = module.symbols.scopesWithin(definition.bodyScope);
      const allReads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
      const reads = options.localsAreNoUser ? allReads.filter((read) => !namesNoSignedInUser(project, module, definition, read.split('.')[0]!)) : allReads;
      if (!actsForNoGlobalUser(module, definition, reads, options.unreadImportsAreNoUser)) return undefined;
      for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
        const site = calledFunction(project, module, call, scope, ownerClass);
        if (!site || reached.some((known) => known.definition === site.definition)) continue;
        reached.push(site);
        called.add(site.definition.name);
      }
    }
  }
  // Code left unjudged past the depth may act for a user.
  return judged < reached.length ? undefined : [...called].sort();
}

/**
 * \`user = User()\` then \`user.from_dict(data)\`, or \`User.email == data["email"]\`: a name the function
 * binds itself, or a class of the project (a model), holds no signed-in user whatever it is called.
 */
function namesNoSignedInUser(project: Project, module: SourceModule, definition: Definition, root: string): boolean {
  if (module.symbols.bindingsIn(definition.bodyScope, root).length > 0) return true;
  const name = project.resolve(module, { kind: 'name', id: root }, definition.bodyScope);
  return name !== undefined && project.findDefinition(name)?.definition.kind === 'class';
}

/** The project function or method a call runs: `helper(...)`, `module.helper(...)`, `self.method(...)` on the handler's class. */
export function calledFunction(project: Project, module: SourceModule, call: CallExpr, scope: number, ownerClass?: string): MethodSite | undefined {
  const { callee } = call;
  if (callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === 'self') return ownerClass === undefined ? undefined : project.findMethod(ownerClass, callee.attribute);
  const name = project.resolve(module, callee, scope);
  const site = name === undefined ? undefined : project.findDefinition(name);
  return site?.definition.kind === 'function' ? site : undefined;
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
export function decoratorHeaderTokenRead(project: Project, module: SourceModule, view: Definition, requestName = firstParameter(view)): string | undefined {
  if (requestName === undefined) return undefined;
  const readsUser = module.facts.scopes[view.bodyScope]?.reads.includes(`${requestName}.user`) ?? false;
  const found = headerAuthenticationByDecorators(project, module, view);
  // The view's `request.user` is the token's user only where the decorator puts it there.
  return found && found.sessionFallback === undefined && (!readsUser || found.setsUser) ? found.header : undefined;
}

/**
 * A decorator of the view that reads a credential header but, when none comes, runs the view under
 * a login decorator instead (`return staff_member_required(view_func)(request)`): the header and
 * the login decorator it falls back to. A forged request sends no header and takes the fallback,
 * with the browser's session.
 */
export function decoratorHeaderWithSessionFallback(project: Project, module: SourceModule, view: Definition): { header: string; fallback: string } | undefined {
  const found = headerAuthenticationByDecorators(project, module, view);
  return found?.sessionFallback === undefined ? undefined : { header: found.header, fallback: found.sessionFallback };
}

/**
 * The same for a view of Flask or Quart, which reads the global request (a resource's
 * `def put(self, item_id)`): its parameters say nothing of the request, so the view and its module
 * must show no session user at all (see `actsForNoGlobalUser`).
 */
export function globalRequestDecoratorHeaderRead(project: Project, module: SourceModule, view: Definition): string | undefined {
  const found = headerAuthenticationByDecorators(project, module, view);
  if (!found || found.sessionFallback !== undefined) return undefined;
  const reads = module.facts.scopes[view.bodyScope]?.reads ?? [];
  // `g.current_user` is the token's user where the decorator's code puts it there (`g.current_user = user`).
  const sessionReads = found.setsUser ? reads.filter((read) => !read.startsWith('g.')) : reads;
  return actsForNoGlobalUser(module, view, sessionReads) ? found.header : undefined;
}

/** A credential header read by a decorator of the view that is a function of the project, or by the helpers it calls. */
function headerAuthenticationByDecorators(project: Project, module: SourceModule, view: Definition): HeaderAuthentication | undefined {
  for (const expression of [...view.decorators.map((decorator) => decorator.expression), ...classDecoratorList(module, view)]) {
    const target = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, target, view.scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') continue;
    const found = headerAuthenticationWithin(project, site.module, site.definition.bodyScope, 0);
    if (!found) continue;
    const fallback = loginDecoratorCalled(project, site.module, site.definition.bodyScope);
    return fallback === undefined ? found : { ...found, sessionFallback: fallback };
  }
  return undefined;
}

/** A login decorator the code applies itself (`staff_member_required(view_func, login_url=...)`): its name as written. */
function loginDecoratorCalled(project: Project, module: SourceModule, bodyScope: number): string | undefined {
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, bodyScope)) {
    if (call.callee.kind !== 'name' && call.callee.kind !== 'attribute') continue;
    const name = project.resolve(module, call.callee, scope);
    if (name !== undefined && LOGIN_DECORATOR.test(name.slice(name.lastIndexOf('.') + 1))) return describeExpr(call.callee);
  }
  return undefined;
}

/** `decorators = [auth_required]` in the class of a method: Flask's `View.as_view` puts each on the view it makes. */
function classDecoratorList(module: SourceModule, method: Definition): Expr[] {
  if (!enclosingClass(module, method)) return [];
  const list = module.facts.assignments.find(({ target, scope }) => scope === method.scope && target.kind === 'name' && target.id === 'decorators')?.value;
  return list && (list.kind === 'list' || list.kind === 'tuple') ? list.items : [];
}

/** The request parameter of a function or method by the common convention: the first that is not `self` or `cls`. */
function firstParameter(view: Definition): string | undefined {
  return view.parameters.find((parameter) => parameter.name !== 'self' && parameter.name !== 'cls')?.name;
}

/**
 * Django REST framework's authentication classes (and its plugins') that read a token from the
 * `Authorization` header; a project decorator that calls one authenticates by that header.
 */
const HEADER_AUTHENTICATIONS: ReadonlySet<string> = new Set([
  'rest_framework.authentication.TokenAuthentication',
  'rest_framework.authentication.get_authorization_header',
  'knox.auth.TokenAuthentication',
  'rest_framework_simplejwt.authentication.JWTAuthentication',
  'rest_framework_simplejwt.authentication.JWTStatelessUserAuthentication',
  'rest_framework_simplejwt.authentication.JWTTokenUserAuthentication',
  'oauth2_provider.contrib.rest_framework.OAuth2Authentication',
  'oauth2_provider.contrib.rest_framework.authentication.OAuth2Authentication',
]);

/** Helpers a decorator calls are followed this deep (`authenticate(request)` calling `TokenAuthentication()`). */
const MAX_HELPER_DEPTH = 2;

interface HeaderAuthentication {
  header: string;
  /** The code assigns a request's `user` (`request.user = token.user`). */
  setsUser: boolean;
  /** A decorator's: the login decorator it runs the view under when no header comes. */
  sessionFallback?: string;
}

/**
 * A credential header read anywhere inside a scope, nested functions and the project's helpers it
 * calls included: `.get("X-Api-Key")`, `["X-Api-Key"]`, or a header-token authentication class of DRF's.
 */
function headerAuthenticationWithin(project: Project, module: SourceModule, bodyScope: number, depth: number): HeaderAuthentication | undefined {
  const calls = module.symbols.itemsWithin(module.facts.calls, bodyScope);
  const assignments = module.symbols.itemsWithin(module.facts.assignments, bodyScope);
  const setsUser = assignments.some(({ target }) => isUserAssignment(target)) || helpersSetUser(project, module, calls, depth);
  const header = headerReadWithin(module, bodyScope) ?? headerAuthenticationCalled(project, module, calls);
  if (header !== undefined) return { header, setsUser };
  if (depth >= MAX_HELPER_DEPTH) return undefined;
  for (const { call, scope } of calls) {
    const name = call.callee.kind === 'name' || call.callee.kind === 'attribute' ? project.resolve(module, call.callee, scope) : undefined;
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') continue;
    const found = headerAuthenticationWithin(project, site.module, site.definition.bodyScope, depth + 1);
    if (found) return { header: found.header, setsUser: setsUser || found.setsUser };
  }
  return undefined;
}

/** `request.user = ...`, or Flask's `g.current_user = ...`: the code names the user it authenticated. */
function isUserAssignment(target: Expr): boolean {
  if (target.kind !== 'attribute') return false;
  return target.attribute === 'user' || (target.object.kind === 'name' && target.object.id === 'g' && USER_WORDS.test(target.attribute));
}

/** A project helper the code calls (`validate_token(token)`) names the user it authenticated. */
function helpersSetUser(project: Project, module: SourceModule, calls: ReadonlyArray<{ call: CallExpr; scope: number }>, depth: number): boolean {
  if (depth >= MAX_HELPER_DEPTH) return false;
  return calls.some(({ call, scope }) => {
    const name = call.callee.kind === 'name' || call.callee.kind === 'attribute' ? project.resolve(module, call.callee, scope) : undefined;
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') return false;
    return site.module.symbols.itemsWithin(site.module.facts.assignments, site.definition.bodyScope).some(({ target }) => isUserAssignment(target));
  });
}

/** A header that carries a credential a browser never sends by itself (`X-Api-Key`, `Authorization`), by its name. */
export function isCredentialHeader(header: string): boolean {
  return TOKEN_HEADER.test(header) && !KEYS_NO_CREDENTIAL.test(header);
}

/** A credential header read anywhere inside a scope, nested functions included: `.get("X-Api-Key")` or `["X-Api-Key"]`. */
function headerReadWithin(module: SourceModule, bodyScope: number): string | undefined {
  const found = [...expressionsWithin(module, bodyScope).flatMap((expression) => [...headersReadIn(expression)]), ...headersMatchedInLoops(module, bodyScope)];
  return found.find(isCredentialHeader);
}

/**
 * Headers looked for by name while walking the request's headers:
 * \`for key, value in self.request.headers.items(): if key.lower() == "apikey": ...\`.
 */
function headersMatchedInLoops(module: SourceModule, bodyScope: number): string[] {
  const keys = module.symbols
    .itemsWithin(module.facts.assignments, bodyScope)
    .filter(({ operator, value }) => operator === 'in' && value !== null && iteratesHeaders(value))
    // `for key, value in ...` is kept as one assignment per name, each with the part of the item it takes.
    .flatMap(({ target, unpackIndex }) => (target.kind === 'name' && (unpackIndex ?? 0) === 0 ? [target.id] : []));
  if (keys.length === 0) return [];
  const isKey = (expr: Expr) => {
    const named = expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.args.length === 0 ? expr.callee.object : expr;
    return named.kind === 'name' && keys.includes(named.id);
  };
  return module.symbols.itemsWithin(module.facts.conditions, bodyScope).flatMap(({ test }) =>
    [...walkExpr(test)].flatMap((part) => {
      if (part.kind !== 'compare' || part.operands.length !== 2 || !part.operands.some(isKey)) return [];
      return part.operands.flatMap((operand) => (operand.kind === 'string' ? [operand.value] : []));
    }),
  );
}

/** \`request.headers\`, \`request.headers.items()\`, \`request.headers.keys()\`. */
function iteratesHeaders(value: Expr): boolean {
  const mapping = value.kind === 'call' && value.callee.kind === 'attribute' && (value.callee.attribute === 'items' || value.callee.attribute === 'keys') ? value.callee.object : value;
  return mapping.kind === 'attribute' && HEADER_MAPPINGS.has(mapping.attribute);
}

/** The request headers an expression reads: `.get("Name")` or `["Name"]` on `headers`, `META` or `environ`. */
export function* headersReadIn(expression: Expr): Generator<string> {
  for (const part of walkExpr(expression)) {
    const header = part.kind === 'call' ? headerLookup(part.callee, part.args[0]?.value) : part.kind === 'subscript' ? headerSubscript(part.object, part.index) : undefined;
    if (header !== undefined) yield header;
  }
}

/** The calls, assigned values and returned values inside a scope, nested functions included: where a body's expressions are kept. */
export function expressionsWithin(module: SourceModule, bodyScope: number): Expr[] {
  const scopes = module.symbols.scopesWithin(bodyScope);
  return [
    ...module.facts.calls.filter(({ scope }) => scopes.has(scope)).map(({ call }): Expr => call),
    ...module.facts.assignments.filter(({ scope, value }) => scopes.has(scope) && value !== null).map(({ value }) => value!),
    ...module.facts.returns.filter(({ scope, value }) => scopes.has(scope) && value !== null).map(({ value }) => value!),
  ];
}

/**
 * The credential cookie a handler reads by name (`request.COOKIES["sessionid"]`,
 * `request.COOKIES.get("auth_token")`, `request.get_signed_cookie("remember_user")`): the request is
 * signed in by the cookie itself, which the browser adds to a forged request too.
 */
export function credentialCookieRead(module: SourceModule, definition: Definition): string | undefined {
  for (const expression of expressionsWithin(module, definition.bodyScope)) {
    for (const part of walkExpr(expression)) {
      const name = cookieNameRead(part);
      if (namesCredential(name)) return name;
    }
  }
  return undefined;
}

/** The cookie an expression reads by a literal name: `x.COOKIES["n"]`, `x.COOKIES.get("n")`, `x.get_signed_cookie("n")`. */
function cookieNameRead(part: Expr): string | undefined {
  if (part.kind === 'subscript') return part.object.kind === 'attribute' && part.object.attribute === 'COOKIES' && part.index.kind === 'string' ? part.index.value : undefined;
  if (part.kind !== 'call' || part.callee.kind !== 'attribute') return undefined;
  const { callee } = part;
  const readsJar = callee.attribute === 'get' && callee.object.kind === 'attribute' && callee.object.attribute === 'COOKIES';
  const [first] = part.args;
  return (readsJar || callee.attribute === 'get_signed_cookie') && first?.value.kind === 'string' ? first.value.value : undefined;
}

/** How deep `self.<method>()` calls are followed from a class-based view's handler. */
const METHOD_DEPTH = 2;

/**
 * The header a class-based view's handler reads a credential from through the class's methods
 * (`self._secret()` returning `self.request.META["HTTP_AUTHORIZATION"]`), its own or inherited,
 * resolved on `className` (the exempted class, whose overrides count), when neither the handler
 * nor those methods read a session user.
 */
export function methodHeaderTokenRead(project: Project, module: SourceModule, handler: Definition, className: string): string | undefined {
  const methods = methodsCalledFrom(project, { module, definition: handler }, className);
  if (methods.some((method) => readsSessionUser(method.module, method.definition))) return undefined;
  for (const method of methods) {
    const header = headerReadWithin(method.module, method.definition.bodyScope);
    if (header !== undefined) return header;
  }
  return undefined;
}

/** `TokenAuthentication()` (or a scanned subclass of it) created in the code: it reads the `Authorization` header. */
function headerAuthenticationCalled(project: Project, module: SourceModule, calls: ReadonlyArray<{ call: CallExpr; scope: number }>): string | undefined {
  for (const { call, scope } of calls) {
    if (call.callee.kind !== 'name' && call.callee.kind !== 'attribute') continue;
    const name = project.resolve(module, call.callee, scope);
    if (name !== undefined && (HEADER_AUTHENTICATIONS.has(name) || project.isSubclassOf(name, HEADER_AUTHENTICATIONS))) return 'Authorization';
  }
  return undefined;
}

interface MethodSite {
  module: SourceModule;
  definition: Definition;
}

/** The handler and the methods it calls on `self`, followed `METHOD_DEPTH` calls deep. */
export function methodsCalledFrom(project: Project, handler: MethodSite, className: string): MethodSite[] {
  const found: MethodSite[] = [handler];
  for (let depth = 0, from = 0; depth < METHOD_DEPTH; depth++) {
    const level = found.slice(from);
    from = found.length;
    for (const { module, definition } of level) {
      for (const { call } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
        const { callee } = call;
        if (callee.kind !== 'attribute' || callee.object.kind !== 'name' || callee.object.id !== 'self') continue;
        const method = project.findMethod(className, callee.attribute);
        if (method && !found.some((known) => known.definition === method.definition)) found.push(method);
      }
    }
  }
  return found;
}

/** `request.user`, `self.request.session`: a body that reads the cookie's user, in its reads or its expressions. */
export function readsSessionUser(module: SourceModule, definition: Definition): boolean {
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const reads = module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
  if (reads.some((read) => read.startsWith('request.') && USER_ATTRIBUTES.has(read.slice('request.'.length)))) return true;
  return expressionsWithin(module, definition.bodyScope).some((expression) =>
    [...walkExpr(expression)].some((part) => part.kind === 'attribute' && USER_ATTRIBUTES.has(part.attribute) && part.object.kind === 'attribute' && part.object.attribute === 'request'),
  );
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

/** Flask's helpers that build a response from the values they are given. */
const RESPONSE_BUILDERS = new Set(['flask.jsonify', 'flask.json.jsonify', 'flask.make_response']);

/**
 * A function view whose whole body returns a fixed answer: a constant (`return "ok"`,
 * `return "Obsolete API", 404`) or a response built from constants (`jsonify({"status": "ok"})`).
 * It answers every request alike and runs nothing else: a forged request can change nothing.
 * The answer, as written, when it is one.
 */
export function fixedAnswer(project: Project, module: SourceModule, view: Definition): Expr | undefined {
  if (!isReturnOnlyFunction(view)) return undefined;
  const inBody = <T extends { scope: number }>(items: readonly T[]) => module.symbols.itemsWithin(items, view.bodyScope);
  const [only, ...others] = inBody(module.facts.returns);
  if (!only?.value || others.length > 0 || inBody(module.facts.assignments).length > 0 || inBody(module.facts.raises).length > 0) return undefined;
  const answer = only.value;
  const calls = inBody(module.facts.calls);
  if (isConstant(answer)) return calls.length === 0 ? answer : undefined;
  if (answer.kind !== 'call' || calls.length !== 1 || calls[0]?.call.id !== answer.id) return undefined;
  const builder = project.resolve(module, answer.callee, view.bodyScope) ?? '';
  if (!RESPONSE_CLASS.test(builder) && !RESPONSE_BUILDERS.has(builder)) return undefined;
  return answer.args.every((argument) => !argument.unpack && isConstant(argument.value)) ? answer : undefined;
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

/**
 * Every answer of the function is a redirect: `return redirect(target)`, or the answer of a
 * function of the project whose every answer is one (`return safe_redirect_back(next_url)`).
 */
export function answersOnlyWithRedirect(project: Project, module: SourceModule, view: Definition, depth = 0): boolean {
  if (view.kind !== 'function') return false;
  const returns = module.facts.returns.filter((statement) => statement.scope === view.bodyScope);
  return returns.length > 0 && returns.every(({ value, scope }) => {
    if (value?.kind !== 'call') return false;
    const name = project.resolve(module, value.callee, scope) ?? '';
    if (REDIRECTS.has(name)) return true;
    const site = depth === 0 ? project.findDefinition(name) : undefined;
    return site !== undefined && answersOnlyWithRedirect(project, site.module, site.definition, depth + 1);
  });
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

/** What Django's own middleware sets from the session: never a header's alone. */
const SESSION_SET_ATTRIBUTES = new Set(['user', 'session', 'auth']);

/**
 * The credential header behind a request attribute the project sets itself
 * (`request.identity = token.identity` in a middleware that reads `Authorization`), when every
 * function that sets it to something other than `None` reads such a header: a view that needs
 * the attribute is authenticated by the header, not the cookie.
 */
export function headerOnlyRequestAttribute(project: Project, attribute: string): string | undefined {
  if (SESSION_SET_ATTRIBUTES.has(attribute)) return undefined;
  let header: string | undefined;
  for (const module of project.modules) {
    for (const { target, value, scope } of module.facts.assignments) {
      if (target.kind !== 'attribute' || target.attribute !== attribute || target.object.kind !== 'name' || target.object.id !== 'request') continue;
      if (value?.kind === 'constant' && value.value === null) continue;
      const setter = module.symbols.definitionOfScope(scope);
      const read = setter?.kind === 'function' ? headerReadWithin(module, setter.bodyScope) : undefined;
      if (read === undefined) return undefined;
      header ??= read;
    }
  }
  return header;
}

/**
 * The header behind the request attributes a function (a decorator's wrapper) requires, when it
 * reads no session user and each user attribute it reads (`request.identity`) is set only from a
 * credential header by the project.
 */
export function wrapperHeaderTokenRead(project: Project, module: SourceModule, wrapper: Definition): string | undefined {
  const reads = module.facts.scopes[wrapper.bodyScope]?.reads ?? [];
  const attributes = reads.filter((read) => read.startsWith('request.')).map((read) => read.slice('request.'.length)).filter((attribute) => USER_ATTRIBUTES.has(attribute));
  let header: string | undefined;
  for (const attribute of attributes) {
    const read = headerOnlyRequestAttribute(project, attribute);
    if (read === undefined) return undefined;
    header ??= read;
  }
  return header;
}

/**
 * The header a helper of the project that the view calls reads a credential from and refuses the
 * request without (`agent = require_agent_token()`, which reads
 * `request.headers[app.config["TOKEN_HEADER"]]` and calls `abort(401)`), in a view that knows no
 * session user (as `actsForNoGlobalUser` judges it): the view acts for whoever holds the header.
 */
export function helperHeaderTokenRead(project: Project, module: SourceModule, view: Definition): string | undefined {
  if (view.kind !== 'function' || !actsForNoGlobalUser(module, view, module.facts.scopes[view.bodyScope]?.reads ?? [])) return undefined;
  for (const { call, scope } of module.facts.calls) {
    if (scope !== view.bodyScope) continue;
    const name = project.resolve(module, call.callee, scope);
    const site = name === undefined ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function' || !refusesRequests(project, site.module, site.definition.bodyScope)) continue;
    // A helper that falls back to the session (`session["uid"]`, `current_user`) when the header is missing requires no header.
    if (!actsForNoGlobalUser(site.module, site.definition, readsWithin(site.module, site.definition.bodyScope))) return undefined;
    const header = headerReadWithin(site.module, site.definition.bodyScope);
    if (header !== undefined) return header;
  }
  return undefined;
}

/** What a function and the functions nested in it read. */
function readsWithin(module: SourceModule, bodyScope: number): string[] {
  const scopes = module.symbols.scopesWithin(bodyScope);
  return module.facts.scopes.filter((scope) => scopes.has(scope.id)).flatMap((scope) => scope.reads);
}

/** `abort(...)` or `raise` in the scope: the helper can turn the request away. */
function refusesRequests(project: Project, module: SourceModule, bodyScope: number): boolean {
  if (module.facts.raises.some((statement) => statement.scope === bodyScope)) return true;
  return module.facts.calls.some(({ call, scope }) => scope === bodyScope && /(^|\.)abort$/.test(project.resolve(module, call.callee, scope) ?? ''));
}

/** How many calls deep a view's own functions and methods are followed to the one that takes an HTTP Basic password. */
const PASSWORD_CHECK_DEPTH = 4;

const PASSWORD_CHECKERS = new Set(['django.contrib.auth.authenticate']);

/**
 * A view that takes a password from HTTP Basic itself (Patchwork's XML-RPC view): a function or
 * method of the project it calls, a few calls deep, reads the `Authorization` header and hands a
 * password to `django.contrib.auth.authenticate`, and the view reads no session user.
 */
export function takesBasicPassword(project: Project, module: SourceModule, view: Definition): boolean {
  if (view.kind !== 'function' || readsSessionUser(module, view)) return false;
  const found: MethodSite[] = [{ module, definition: view }];
  for (let depth = 0, from = 0; depth < PASSWORD_CHECK_DEPTH && from < found.length; depth++) {
    const level = found.slice(from);
    from = found.length;
    for (const site of level) {
      if (checksAuthorizationPassword(project, site)) return true;
      for (const callee of calledFunctions(project, site)) {
        if (!found.some((known) => known.definition === callee.definition)) found.push(callee);
      }
    }
  }
  return false;
}

/** Reads the `Authorization` header and calls `authenticate(..., password=...)`. */
function checksAuthorizationPassword(project: Project, { module, definition }: MethodSite): boolean {
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const authenticates = calls.some(({ call, scope }) => PASSWORD_CHECKERS.has(project.resolve(module, call.callee, scope) ?? '') && call.args.some((argument) => argument.name === 'password'));
  if (!authenticates) return false;
  return expressionsWithin(module, definition.bodyScope).some((expression) =>
    [...walkExpr(expression)].some((part) => /^(HTTP_)?authorization$/i.test((part.kind === 'call' ? headerLookup(part.callee, part.args[0]?.value) : part.kind === 'subscript' ? headerSubscript(part.object, part.index) : undefined) ?? '')),
  );
}

/** The project's functions and methods a body calls: by name, on `self`, and on an object whose class the scan knows. */
function calledFunctions(project: Project, { module, definition }: MethodSite): MethodSite[] {
  const ownName = module.symbols.definitionName(definition);
  const ownClass = ownName.slice(0, ownName.lastIndexOf('.'));
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).flatMap(({ call, scope }): MethodSite[] => {
    const { callee } = call;
    if (callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === 'self') return scannedFunction(project, project.findMethod(ownClass, callee.attribute));
    if (callee.kind === 'attribute') {
      const classes = project.instanceClasses(module, callee.object, scope);
      if (classes.length > 0) return classes.flatMap((className) => scannedFunction(project, project.findMethod(className, callee.attribute)));
    }
    const name = project.resolve(module, callee, scope);
    return scannedFunction(project, name === undefined ? undefined : project.findDefinition(name));
  });
}

function scannedFunction(project: Project, site: MethodSite | undefined): MethodSite[] {
  return site?.definition.kind === 'function' && project.isScannedName(site.module.symbols.definitionName(site.definition)) ? [site] : [];
}

/**
 * The header a decorator of the project put on the view requires (`@api_token_authorization`, whose
 * wrapper reads `Authorization` and calls `abort(401)` without it), when neither the decorator nor
 * what is nested in it reads a session user: a cookie-only request is turned away before the view
 * runs, whatever the view reads. A decorator that falls back to the session requires no header.
 */
export function requiredHeaderOfDecorators(project: Project, module: SourceModule, view: Definition): string | undefined {
  for (const { expression } of view.decorators) {
    const target = expression.kind === 'call' ? expression.callee : expression;
    const name = project.resolve(module, target, view.scope);
    const site = name === undefined || !project.isScannedName(name) ? undefined : project.findDefinition(name);
    if (site?.definition.kind !== 'function') continue;
    const { module: owner, definition } = site;
    if (!refusesRequestsWithin(project, owner, definition.bodyScope)) continue;
    if (!actsForNoGlobalUser(owner, definition, readsWithin(owner, definition.bodyScope))) continue;
    const header = headerReadWithin(owner, definition.bodyScope);
    if (header !== undefined) return header;
  }
  return undefined;
}

/** `abort(...)` or `raise` anywhere in the function, its nested wrapper included. */
function refusesRequestsWithin(project: Project, module: SourceModule, bodyScope: number): boolean {
  const scopes = module.symbols.scopesWithin(bodyScope);
  return [...scopes].some((scope) => refusesRequests(project, module, scope));
}
