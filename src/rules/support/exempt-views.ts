import { describeExpr } from '../../python/describe.js';
import type { CallExpr, Definition, Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import { finalIdentifier, type Project } from '../../project/project.js';
import { signatureCheck } from '../../project/signatures.js';
import type { SourceModule } from '../../project/source-module.js';
import { actsForNobody } from '../../project/acts-for-nobody.js';
import { onlyReads } from '../../project/read-only-bodies.js';
import { decoratorHeaderWithSessionFallback, fixedAnswer, handlerHeaderTokenRead, methodsCalledFrom, onlyReturnsEmptyResponse } from '../../project/view-bodies.js';
import type { RuleReport } from '../rule.js';
import { enclosingClass } from '../../project/enclosing.js';
import { foreignOriginComparison } from '../../project/origin-checks.js';
import type { CredentialedCors } from '../../project/credentialed-cors.js';
import { oauthStateCheck } from '../../project/oauth-state-checks.js';
import { optionallyImportedName } from '../../project/optional-imports.js';
import { stringValue } from '../../project/values.js';
import { handlersRequestCredentialCheck } from '../../project/request-credential-checks.js';
import { looksUpBodySessionKey } from '../../project/body-session-keys.js';
import { readsOnlyQuery } from '../../project/query-only-views.js';
import { signsInByBodyPassword } from '../../project/password-logins.js';
import { providerTokenSignIn } from '../../project/provider-token-sign-ins.js';

/** Why an exempted view may not need CSRF protection: what authenticates it, or that it changes nothing. */
export type ExemptionReason =
  | { kind: 'signature'; check: string }
  /** The view runs the CSRF check itself, to answer a failure its own way. */
  | { kind: 'csrf-recheck'; check: string }
  /** The view turns away a request whose `Referer` or `Origin` names another site. */
  | { kind: 'origin-check'; check: string }
  /**
   * `by`: the library whose base view rejects a request without that header before any handler runs;
   * `swappedBy`: the function a decorator runs the view inside, which replaces the request's session with the one the header names.
   */
  | { kind: 'header-token'; header: string; by?: string; swappedBy?: string; sessionFallback?: string }
  /** The view looks up or checks a credential the request carries in its body or a header (`.get(node_key=...)`, `check_api_key(request)`). */
  | { kind: 'request-credential'; check: string }
  | { kind: 'url-secret'; variable: string }
  /** `via`: the view the exempt one stores the posted message for and redirects to, which does the check. */
  | { kind: 'oauth-callback'; completer: string; via?: string }
  | { kind: 'protocol-endpoint'; endpoint: ProtocolEndpoint; call: string; via?: string }
  | { kind: 'safe-methods-only' }
  /**
   * The view accepts only methods an HTML form cannot send (`DELETE`, `PUT`, `PATCH`), besides safe
   * ones; `credentialedCors`: the project's CORS setting that lets other origins' scripts send them with cookies.
   */
  | { kind: 'no-form-methods'; methods: string[]; credentialedCors?: CredentialedCors }
  /** `guard`: what turns away a request without `X-Requested-With` (`the view`, `@require_AJAX`). */
  | { kind: 'requested-with'; guard: string }
  | { kind: 'read-only-graphql'; view: string }
  | { kind: 'empty-response' }
  | { kind: 'fixed-answer'; answer: string }
  | { kind: 'read-only' }
  /** The view reads only the query string, never the body or the method: a forged POST does what a link does. */
  | { kind: 'query-only' }
  /**
   * `replacesUser`: the password signs the request in as `request.user`; otherwise the view only checks it, acting for no session user.
   * `credential`: the keyword of `authenticate(...)` the body's secret is passed as (`password`, or `token` of a single sign-on backend).
   */
  | { kind: 'body-credentials'; replacesUser: boolean; credential: SignInCredential }
  /** A login view: it signs the browser in by the password its body carries, and reads the session's user only after that or to log the attempt. */
  | { kind: 'password-login' }
  /** The view only stores display preferences in the visitor's session, under these keys. */
  | { kind: 'session-preference'; keys: string[] }
  /**
   * A native app's sign-in: an identity provider's ID token from the body, verified and signed in
   * through the social-login library (`completer`); `sessionFlushed`: the view then flushes the session.
   */
  | { kind: 'provider-token'; completer: string; sessionFlushed: boolean }
  | { kind: 'redirect-only' }
  | { kind: 'json-body'; credentialedCors?: CredentialedCors }
  /** A library view that handles only these body types (`application/json`, `text/xml`), none of which an HTML form sends. */
  | { kind: 'body-type-gate'; library: string; types: readonly string[]; credentialedCors?: CredentialedCors }
  /** `readsInput`: some handler reads the request's input, so the view is one a client calls on purpose (a ping, a bot's webhook). */
  | { kind: 'no-user'; handedTo: string[]; readsInput?: boolean };

interface ExemptHandler {
  module: SourceModule;
  definition: Definition;
  /** The exempted class a method handles requests for: its `self.<method>()` calls resolve there, overrides included. */
  ownerClass?: string;
  /** The parameter the framework passes the request in, when the rule knows it; otherwise the framework's convention. */
  requestName?: string;
}

/**
 * What the functions that handle an exempted view's requests show: a signature check (theirs, a
 * helper's or a decorator's), a credential read from a header (by the view or a decorator of the
 * project's) with no session user, a body that only returns a fixed response, or a view whose every
 * handler reads no user and hands its request only to code that does the same (see `actsForNobody`).
 */
export function exemptionReason(project: Project, handlers: readonly ExemptHandler[]): ExemptionReason | undefined {
  // A protocol requires the exemption only of the handlers that serve it: a class's other handlers
  // (a `delete` for the signed-in owner) still take the browser's cookie.
  // `dispatch` runs before every method: what it serves covers them all, and it serves no method of its own.
  const endpoints = handlers.map((handler) => protocolEndpoint(project, handler));
  const endpoint = endpoints.find((found) => found !== undefined);
  const servedByDispatch = handlers.some(({ definition }, index) => definition.name === 'dispatch' && endpoints[index] !== undefined);
  const everyMethodServes = handlers.every(({ definition }, index) => definition.name === 'dispatch' || endpoints[index] !== undefined);
  if (endpoint && (servedByDispatch || everyMethodServes)) return endpoint;
  for (const { module, definition } of handlers) {
    const check = signatureCheck(project, module, definition);
    if (check) return { kind: 'signature', check };
  }
  for (const { module, definition } of handlers) {
    const check = foreignOriginComparison(project, module, definition);
    if (check) return { kind: 'origin-check', check };
  }
  const signInCredentials = handlers.map((handler) => bodySignInCredential(project, handler));
  const [signInCredential] = signInCredentials;
  if (signInCredential !== undefined && signInCredentials.every((credential) => credential !== undefined)) return { kind: 'body-credentials', replacesUser: true, credential: signInCredential };
  const providerSignIn = providerTokenSignIns(project, handlers);
  if (providerSignIn) return providerSignIn;
  if (sessionKeyedHandlers(project, handlers)) return { kind: 'body-credentials', replacesUser: false, credential: 'session-key' };
  if (handlers.length > 0 && handlers.every((handler) => signsInByBodyPassword(project, handler))) return { kind: 'password-login' };
  for (const handler of handlers) {
    const header = handlerHeaderTokenRead(project, handler);
    if (header !== undefined) return { kind: 'header-token', header };
  }
  const fallbacks = handlers.map(({ module, definition }) => decoratorHeaderWithSessionFallback(project, module, definition));
  const [fallback] = fallbacks;
  if (fallback !== undefined && fallbacks.every((found) => found !== undefined)) return { kind: 'header-token', header: fallback.header, sessionFallback: fallback.fallback };
  const credentialCheck = handlersRequestCredentialCheck(project, handlers);
  if (credentialCheck !== undefined) return { kind: 'request-credential', check: credentialCheck };
  for (const { module, definition } of handlers) {
    const completer = oauthCompleterCalled(project, module, definition) ?? oauthStateCheck(project, module, definition);
    if (completer !== undefined) return { kind: 'oauth-callback', completer };
  }
  const [only] = handlers;
  if (!only) return undefined;
  if (handlers.length === 1 && onlyReturnsEmptyResponse(project, only.module, only.definition)) return { kind: 'empty-response' };
  const answer = handlers.length === 1 ? fixedAnswer(project, only.module, only.definition) : undefined;
  if (answer) return { kind: 'fixed-answer', answer: describeExpr(answer) };
  const nobody = noUserReason(project, handlers);
  if (nobody?.kind === 'no-user' && handlers.every((handler) => checksBodyPassword(project, handler))) return { kind: 'body-credentials', replacesUser: false, credential: 'password' };
  if (nobody) return nobody;
  if (handlers.every((handler) => onlyReads(project, handler))) return { kind: 'read-only' };
  // A class-based view's handlers hand the request on to the inherited `dispatch`, which may read the body: function views only.
  return handlers.every((handler) => handler.ownerClass === undefined && readsOnlyQuery(project, handler)) ? { kind: 'query-only' } : undefined;
}

/**
 * `user = authenticate(username=..., password=request.POST["password"])`, the password read from the
 * body there or into a local name first: in a view that reads no session user, the account it acts
 * for is the one whose password the request carries (archesproject/arches' `UserProfileView`).
 */
function checksBodyPassword(project: Project, { module, definition, requestName }: ExemptHandler): boolean {
  const name = requestName ?? definition.parameters[0]?.name;
  if (name === undefined) return false;
  const readsBody = (expr: Expr) => [...walkExpr(expr)].some((part) => part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === name && BODY_FIELDS.has(part.attribute));
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const bodyNames = new Set(module.facts.assignments.flatMap(({ scope, target, value }) => (scopes.has(scope) && target.kind === 'name' && value && readsBody(value) ? [target.id] : [])));
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call, scope }) => {
    const password = call.args.find((argument) => argument.name === 'password')?.value;
    if (password === undefined || project.resolve(module, call.callee, scope) !== 'django.contrib.auth.authenticate') return false;
    return readsBody(password) || (password.kind === 'name' && bodyNames.has(password.id));
  });
}

/** Every handler signs the request in by a provider's ID token from its body (see `providerTokenSignIn`). */
function providerTokenSignIns(project: Project, handlers: readonly ExemptHandler[]): ExemptionReason | undefined {
  const signIns = handlers.map(({ module, definition, requestName }) => {
    const name = requestName ?? definition.parameters[0]?.name;
    return name === undefined ? undefined : providerTokenSignIn(project, module, definition, name);
  });
  const [first] = signIns;
  if (first === undefined || !signIns.every((signIn) => signIn !== undefined)) return undefined;
  return { kind: 'provider-token', completer: first.completer, sessionFlushed: signIns.every((signIn) => signIn?.sessionFlushed === true) };
}

/** A view none of whose handlers acts for a user (see `actsForNobody`), or one that only redirects ignoring its request. */
function noUserReason(project: Project, handlers: readonly ExemptHandler[]): ExemptionReason | undefined {
  // A class-based view acts for nobody only if each of its handlers does, and one of them reads the request's input.
  const handedTo = new Set<string>();
  let readsInput = false;
  // Sending the browser back where it was acts for nobody, even in a class whose GET shows the user's page.
  const [single] = handlers;
  if (handlers.length === 1 && single && onlyRedirectsIgnoringRequest(project, single)) return { kind: 'redirect-only' };
  for (const { module, definition, requestName, ownerClass } of handlers) {
    const verdict = actsForNobody(project, module, definition, requestName, ownerClass);
    if (!verdict) return undefined;
    for (const name of verdict.handedTo) handedTo.add(name);
    readsInput ||= verdict.readsInput;
  }
  if (readsInput) return { kind: 'no-user', handedTo: [...handedTo].sort(), readsInput };
  const [only] = handlers;
  if (handlers.length !== 1 || !only) return undefined;
  // A function view acts for nobody whether or not it reads its input; a class's `dispatch` that
  // only passes the request on leaves the reading, and the judging, to the class's handlers.
  return only.ownerClass === undefined ? { kind: 'no-user', handedTo: [...handedTo].sort() } : undefined;
}

/**
 * Every handler that does more than hand the request to the inherited `dispatch` opens a session
 * store by a key posted in the body and refuses the request unless it checks out (see `looksUpBodySessionKey`).
 */
function sessionKeyedHandlers(project: Project, handlers: readonly ExemptHandler[]): boolean {
  const acting = handlers.filter((handler) => !onlyCallsInheritedDispatch(handler));
  return acting.length > 0 && acting.every((handler) => looksUpBodySessionKey(project, handler));
}

/** `def dispatch(...): return super().dispatch(...)`: it runs nothing of its own. */
function onlyCallsInheritedDispatch({ module, definition }: ExemptHandler): boolean {
  if (definition.name !== 'dispatch') return false;
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  return calls.every(({ call }) => (call.callee.kind === 'name' && call.callee.id === 'super') || (call.callee.kind === 'attribute' && call.callee.attribute === 'dispatch'));
}

/** The `authenticate(...)` keywords a secret the request carries is passed as: a password, or a single sign-on token (OpenStack's WebSSO). */
type SignInCredential = 'password' | 'token' | 'session-key';
const SIGN_IN_CREDENTIALS: readonly SignInCredential[] = ['password', 'token'];

/**
 * `request.user = authenticate(request, username=..., password=request.POST["password"])` (or
 * `token=`, the body read there or into a local name first), on every path through the handler:
 * each request is signed in by the secret it carries, which a cross-site page does not know, and
 * the session's user is replaced before anything acts for it.
 */
function bodySignInCredential(project: Project, { module, definition, requestName }: ExemptHandler): SignInCredential | undefined {
  const name = requestName ?? definition.parameters[0]?.name;
  if (name === undefined) return undefined;
  const readsBody = (expr: Expr) => [...walkExpr(expr)].some((part) => part.kind === 'attribute' && part.object.kind === 'name' && part.object.id === name && BODY_FIELDS.has(part.attribute));
  const bodyNames = new Set(module.facts.assignments.flatMap(({ scope, target, value }) => (scope === definition.bodyScope && target.kind === 'name' && value && readsBody(value) ? [target.id] : [])));
  for (const { scope, target, value, conditional } of module.facts.assignments) {
    if (scope !== definition.bodyScope || conditional || value?.kind !== 'call') continue;
    if (target.kind !== 'attribute' || target.attribute !== 'user' || target.object.kind !== 'name' || target.object.id !== name) continue;
    if (project.resolve(module, value.callee, scope) !== 'django.contrib.auth.authenticate') continue;
    const credential = SIGN_IN_CREDENTIALS.find((keyword) => {
      const secret = value.args.find((argument) => argument.name === keyword)?.value;
      return secret !== undefined && (readsBody(secret) || (secret.kind === 'name' && bodyNames.has(secret.id)));
    });
    if (credential !== undefined) return credential;
  }
  return undefined;
}

/** Where a request's body fields are read. */
const BODY_FIELDS = new Set(['POST', 'data', 'body']);

/** Redirect responses: a browser follows them with a GET. */
const REDIRECT = /(^|\.)(HttpResponseRedirect|HttpResponsePermanentRedirect|redirect|RedirectResponse)$/;

/**
 * A view that never looks at its request (not even to pass it on) beyond its own URL, and answers
 * every request with a redirect (`redirect(request.build_absolute_uri())`, "never a reason to POST
 * here"): a forged request gets a link anybody could follow, and nothing the user signed in for.
 */
function onlyRedirectsIgnoringRequest(project: Project, { module, definition, requestName }: ExemptHandler): boolean {
  const name = requestName ?? definition.parameters[0]?.name;
  if (name === undefined) return false;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  const locationReads = new Set([name, ...REQUEST_LOCATION.map((accessor) => `${name}.${accessor}`)]);
  const mentionsRequest = module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => (read === name || read.startsWith(`${name}.`)) && !locationReads.has(read)));
  const calls = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope);
  const redirectsOrLocates = calls.every(({ call, scope }) => {
    const { callee } = call;
    const locates = callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === name && REQUEST_LOCATION.includes(callee.attribute);
    const passesRequest = call.args.some(({ value }) => value.kind === 'name' && value.id === name);
    return !passesRequest && (locates || REDIRECT.test(project.resolve(module, callee, scope) ?? ''));
  });
  const aliased = module.symbols.itemsWithin(module.facts.assignments, definition.bodyScope).some(({ value }) => value?.kind === 'name' && value.id === name);
  const returns = module.symbols.itemsWithin(module.facts.returns, definition.bodyScope);
  const redirects = ({ value }: (typeof returns)[number]) => value?.kind === 'call' && REDIRECT.test(project.resolve(module, value.callee, definition.bodyScope) ?? '');
  return !mentionsRequest && !aliased && redirectsOrLocates && returns.length > 0 && returns.every(redirects);
}

/** What a redirect may read of its request, to send the browser back where it was: the URL, never the user or the body. */
const REQUEST_LOCATION = ['build_absolute_uri', 'get_full_path', 'path', 'path_info', 'get_host'];

/**
 * Library functions that finish an OAuth or OpenID sign-in and reject a callback whose `state` is
 * not the one the sign-in started with: the check that stops a forged callback.
 */
const OAUTH_COMPLETERS = new Set(['social_core.actions.do_complete', 'social_django.views.complete']);

function enclosingClassName(module: SourceModule, definition: Definition): string | undefined {
  const owner = enclosingClass(module, definition);
  return owner && module.symbols.definitionName(owner);
}

/** Endpoints a protocol makes clients post to without a CSRF token: their exemption is required. */
type ProtocolEndpoint = 'token' | 'revocation' | 'introspection' | 'userinfo' | 'bearer' | 'saml-acs' | 'saml-sls' | 'sso-callback' | 'lti-login' | 'lti-launch' | 'openid-assertion' | 'git-fetch';

/**
 * pylti1p3's LTI 1.3 classes (and the Django adapter's subclasses): `OIDCLogin` answers the
 * platform's third-party login initiation, `MessageLaunch` validates the platform-signed launch
 * against the state and nonce this browser's login stored.
 */
const LTI_CLASSES: ReadonlyArray<{ endpoint: ProtocolEndpoint; className: RegExp }> = [
  { endpoint: 'lti-login', className: /^pylti1p3\..*OIDCLogin$/ },
  { endpoint: 'lti-launch', className: /^pylti1p3\..*MessageLaunch$/ },
];

/**
 * oauthlib's server endpoints, by the method names its `Server` and django-oauth-toolkit's
 * `OAuthLibMixin` share: the client authenticates with its own credentials or a Bearer token.
 */
const OAUTH2_SERVER_CALLS = new Map<string, ProtocolEndpoint>([
  ['create_token_response', 'token'],
  ['create_revocation_response', 'revocation'],
  ['create_introspect_response', 'introspection'],
  ['create_userinfo_response', 'userinfo'],
]);
/** pysaml2's `Saml2Client` method that reads the assertion an identity provider posts. */
const SAML_ACS_CALLS = new Set(['parse_authn_request_response']);
/** python3-saml's `OneLogin_Saml2_Auth`, whose `process_response()` reads the posted assertion and `process_slo()` a logout message. */
const SAML_AUTH_CLASS = 'onelogin.saml2.auth.OneLogin_Saml2_Auth';
const SAML_AUTH_SHORT_NAME = 'OneLogin_Saml2_Auth';
const SAML_AUTH_CLASSES = new Set([SAML_AUTH_CLASS]);
/** python-openid's relying-party `Consumer`, whose `complete(query, return_to)` verifies the provider's signed assertion. */
const OPENID_CONSUMER_CLASS = 'openid.consumer.consumer.Consumer';
/** Where django-oauth-toolkit and oauthlib live: their `verify_request` checks a Bearer token. */
const OAUTH_LIBRARIES = /^(oauth2_provider|oauthlib)\./;

/** The protocol endpoint a handler (or a method of its class it calls) serves, with the call that shows it. */
function protocolEndpoint(project: Project, handler: ExemptHandler): ExemptionReason | undefined {
  const owner = handler.ownerClass ?? enclosingClassName(handler.module, handler.definition);
  const methods = owner === undefined ? [handler] : methodsCalledFrom(project, handler, owner);
  for (const { module, definition } of methods) {
    for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, definition.bodyScope)) {
      const endpoint = protocolEndpointCall(project, module, call, scope, owner);
      if (endpoint) return { kind: 'protocol-endpoint', endpoint, call: `${describeExpr(call.callee)}(...)` };
    }
    const grantType = grantTypeRead(module, definition);
    if (grantType) return { kind: 'protocol-endpoint', endpoint: 'token', call: grantType };
  }
  const codeRead = methods.map(({ module, definition }) => parameterRead(module, definition, AUTHORIZATION_RESPONSE_PARAMETERS) ?? samlAuthBuilt(project, module, definition)).find((read) => read !== undefined);
  if (codeRead && methods.some(({ module, definition }) => signsUserIn(project, module, definition))) return { kind: 'protocol-endpoint', endpoint: 'sso-callback', call: codeRead };
  return undefined;
}

/** Protocol endpoints whose request signs the browser in: a forged one logs the user into the attacker's account at worst. */
const SIGN_IN_ENDPOINTS: ReadonlySet<ProtocolEndpoint> = new Set(['saml-acs', 'sso-callback', 'openid-assertion']);

/**
 * The view finishes a sign-in a protocol posts back (a SAML assertion consumer, an SSO callback),
 * itself or through a method of an object it cannot resolve, one chosen at run time (confidant's
 * \`authnz.user_mod.consume_saml_assertion()\`, where \`user_mod\` is the configured authenticator):
 * every method of the project's classes by that name must be such an endpoint.
 */
export function signsInThroughProtocol(project: Project, handler: ExemptHandler): boolean {
  if (isSignInEndpoint(project, handler)) return true;
  const { module, definition } = handler;
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call }) => call.callee.kind === 'attribute' && everyMethodSignsIn(project, call.callee.attribute));
}

function isSignInEndpoint(project: Project, handler: ExemptHandler): boolean {
  const reason = protocolEndpoint(project, handler);
  return reason?.kind === 'protocol-endpoint' && SIGN_IN_ENDPOINTS.has(reason.endpoint);
}

function everyMethodSignsIn(project: Project, name: string): boolean {
  const methods = project.modules.flatMap((module) => module.facts.definitions.filter((definition) => definition.kind === 'function' && definition.name === name && enclosingClass(module, definition) !== undefined).map((definition) => ({ module, definition })));
  return methods.length > 0 && methods.every((method) => isSignInEndpoint(project, method));
}

/** What an identity provider sends back to the app's callback: an OAuth2 authorization `code`, an OpenID Connect `id_token`. */
const AUTHORIZATION_RESPONSE_PARAMETERS: ReadonlySet<string> = new Set(['code', 'id_token']);
/** Flask-Login's and Flask-Security's call that signs a user into the browser's session. */
const SIGN_IN_CALL = /(?:^|\.)login_user$/;

/** \`OneLogin_Saml2_Auth(request_data, settings)\`: python3-saml's reader of what the identity provider posts, built in the body. */
function samlAuthBuilt(project: Project, module: SourceModule, definition: Definition): string | undefined {
  const built = module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).find(({ call, scope }) => SAML_AUTH_CLASSES.has(project.resolve(module, call.callee, scope) ?? ''));
  return built && `${describeExpr(built.call.callee)}(...)`;
}

/** The view (or a method it calls) signs a user into the session: \`login_user(user)\`. */
function signsUserIn(project: Project, module: SourceModule, definition: Definition): boolean {
  return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call, scope }) => SIGN_IN_CALL.test(project.resolve(module, call.callee, scope) ?? ''));
}

/**
 * A hand-written OAuth2 token endpoint: its body reads the `grant_type` parameter
 * (`data.get("grant_type")`, `request.POST["grant_type"]`), which only a token request carries.
 */
function grantTypeRead(module: SourceModule, definition: Definition): string | undefined {
  return parameterRead(module, definition, GRANT_TYPE);
}

const GRANT_TYPE: ReadonlySet<string> = new Set(['grant_type']);
/** \`args.get("code")\`; flask-restful's \`RequestParser.add_argument("code")\` declares what \`parse_args()\` reads. */
const PARAMETER_READERS: ReadonlySet<string> = new Set(['get', 'add_argument']);

/**
 * The first read of a request parameter named in \`names\` in the body: \`data.get("grant_type")\`,
 * \`request.POST["grant_type"]\`, or a flask-restful parser's \`add_argument("code", ...)\`.
 */
function parameterRead(module: SourceModule, definition: Definition, names: ReadonlySet<string>): string | undefined {
  const { calls, assignments } = module.facts;
  const expressions = [
    ...module.symbols.itemsWithin(calls, definition.bodyScope).map(({ call }): Expr => call),
    ...module.symbols.itemsWithin(assignments, definition.bodyScope).flatMap(({ value }) => (value ? [value] : [])),
  ];
  for (const expression of expressions) {
    for (const part of walkExpr(expression)) {
      const key = part.kind === 'call' && part.callee.kind === 'attribute' && PARAMETER_READERS.has(part.callee.attribute) ? part.args[0]?.value : part.kind === 'subscript' ? part.index : undefined;
      if (key?.kind === 'string' && names.has(key.value)) return describeExpr(part);
    }
  }
  return undefined;
}

function protocolEndpointCall(project: Project, module: SourceModule, call: CallExpr, scope: number, owner: string | undefined): ProtocolEndpoint | undefined {
  const { callee } = call;
  const lti = ltiEndpoint(project, module, call, scope);
  if (lti) return lti;
  if (callee.kind !== 'attribute') return undefined;
  const oauth2 = OAUTH2_SERVER_CALLS.get(callee.attribute);
  if (oauth2) return oauth2;
  if (callee.attribute === 'create_endpoint_response') return authlibEndpoint(project, module, call, scope);
  if (SAML_ACS_CALLS.has(callee.attribute)) return 'saml-acs';
  if (callee.attribute === 'process_response' && isSamlAuth(project, module, callee.object, scope)) return 'saml-acs';
  if (callee.attribute === 'process_slo' && isSamlAuth(project, module, callee.object, scope)) return 'saml-sls';
  if (callee.attribute === 'complete' && completesOpenIdAssertion(project, module, call, scope)) return 'openid-assertion';
  if (callee.attribute !== 'verify_request') return undefined;
  const fromLibrary = OAUTH_LIBRARIES.test(project.resolve(module, callee, scope) ?? '') || (owner !== undefined && project.inheritsFrom(owner, (name) => OAUTH_LIBRARIES.test(name)));
  return fromLibrary ? 'bearer' : undefined;
}

/** `OIDCLogin(...)`, `DjangoMessageLaunch(...)` or a class of the project's built on one: the LTI 1.3 endpoint it serves. */
function ltiEndpoint(project: Project, module: SourceModule, call: CallExpr, scope: number): ProtocolEndpoint | undefined {
  const name = project.resolve(module, call.callee, scope);
  if (name === undefined) return undefined;
  return LTI_CLASSES.find(({ className }) => className.test(name) || project.inheritsFrom(name, (base) => className.test(base)))?.endpoint;
}

/** Authlib's endpoint classes and the names they register under (\`ENDPOINT_NAME\`). */
const AUTHLIB_ENDPOINTS: ReadonlyArray<{ endpoint: ProtocolEndpoint; name: string; classes: RegExp }> = [
  { endpoint: 'revocation', name: 'revocation', classes: /^authlib\..*RevocationEndpoint$/ },
  { endpoint: 'introspection', name: 'introspection', classes: /^authlib\..*IntrospectionEndpoint$/ },
];

/**
 * Authlib's \`server.create_endpoint_response(name)\` answers the endpoint registered under the name:
 * \`RevokeToken.ENDPOINT_NAME\` of a class built on Authlib's \`RevocationEndpoint\`, or the name written out.
 */
function authlibEndpoint(project: Project, module: SourceModule, call: CallExpr, scope: number): ProtocolEndpoint | undefined {
  const [first] = call.args;
  if (!first || first.name) return undefined;
  const { value } = first;
  const written = stringValue(project, { module, scope, expr: value });
  const className = value.kind === 'attribute' && value.attribute === 'ENDPOINT_NAME' ? project.resolve(module, value.object, scope) : undefined;
  const known = AUTHLIB_ENDPOINTS.find(({ name, classes }) => written === name || (className !== undefined && project.inheritsFrom(className, (base) => classes.test(base))));
  return known?.endpoint;
}

/**
 * python3-saml's `OneLogin_Saml2_Auth`, created where the call is or by a helper of the project the
 * object comes from (`auth = saml.init_saml_auth(req)`, whose body builds it).
 */
function isSamlAuth(project: Project, module: SourceModule, receiver: Expr, scope: number): boolean {
  if (project.instanceClasses(module, receiver, scope).some((name) => project.isSubclassOf(name, SAML_AUTH_CLASSES))) return true;
  if (!project.mayReferTo(SAML_AUTH_CLASS)) return false;
  return project.assignmentsOf(module, receiver, scope).some(({ assignment }) => {
    const helper = assignment.value?.kind === 'call' ? finalIdentifier(assignment.value.callee) : undefined;
    return helper !== undefined && project.modules.some((candidate) => buildsSamlAuth(project, candidate, helper));
  });
}

/**
 * `client.complete(query, return_to)` on python-openid's `Consumer`: one made where the call is, or,
 * since the consumer is usually built by a helper and handed around, in a module that builds one
 * (`consumer.Consumer(session, store)`) and calls `complete` with the two arguments it takes.
 */
function completesOpenIdAssertion(project: Project, module: SourceModule, call: CallExpr, scope: number): boolean {
  if (call.callee.kind !== 'attribute') return false;
  if (project.instanceClasses(module, call.callee.object, scope).some((name) => project.isSubclassOf(name, new Set([OPENID_CONSUMER_CLASS])))) return true;
  if (!project.mayReferTo(OPENID_CONSUMER_CLASS) || call.args.length !== 2 || call.args.some((argument) => argument.name !== undefined || argument.unpack)) return false;
  return module.facts.calls.some((site) => project.resolve(module, site.call.callee, site.scope) === OPENID_CONSUMER_CLASS);
}

/**
 * A function of the module named `helper` that calls `OneLogin_Saml2_Auth(...)`: imported, or kept
 * on the instance under its own name (`self.OneLogin_Saml2_Auth = OneLogin_Saml2_Auth` where the
 * library is an optional import).
 */
function buildsSamlAuth(project: Project, module: SourceModule, helper: string): boolean {
  return module.facts.definitions.some((definition) => {
    if (definition.kind !== 'function' || definition.name !== helper) return false;
    return module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call, scope }) => {
      if (finalIdentifier(call.callee) !== SAML_AUTH_SHORT_NAME) return false;
      const resolved = project.resolve(module, call.callee, scope);
      return resolved === SAML_AUTH_CLASS || call.callee.kind === 'attribute';
    });
  });
}

/** The OAuth completer the view's body calls (`do_complete(request.backend, ...)`), if any. */
function oauthCompleterCalled(project: Project, module: SourceModule, view: Definition): string | undefined {
  for (const { call, scope } of module.symbols.itemsWithin(module.facts.calls, view.bodyScope)) {
    const name = project.resolve(module, call.callee, scope);
    if (name !== undefined && OAUTH_COMPLETERS.has(name)) return name;
    const optional = optionallyImportedName(project, module, call.callee, scope);
    if (optional !== undefined && OAUTH_COMPLETERS.has(optional)) return optional;
  }
  return undefined;
}

/** The policy every exemption rule's doc ends its "When it is fine" with: which low findings are shown. */
export const GUARDED_EXEMPTIONS_DOC = `Of these low findings, those whose exemption is **guarded** are not reported by default: a check
that runs on every request turns a forged one away, or the request carries no ambient credential the
view uses (a verified signature, a CSRF or \`Origin\`/\`Referer\` check the view runs itself, a Django REST
framework view, which DRF exempts and checks itself whatever the decorator says, a header
credential, a key or secret from the body or a header that the view looks up or checks, a secret in every URL, an OAuth \`state\` completer, a Bearer token or OAuth2/SAML/LTI protocol
endpoint, a password in the body, a native app's sign-in by an identity provider's ID token in the body
(allauth's \`complete_social_login\`) that then flushes the session, a view that acts for nobody and reads its request, a required
\`X-Requested-With\`, GET only; a JSON-only body (or a library's that takes JSON or XML bodies only) or \`DELETE\`/\`PUT\`/\`PATCH\`-only methods while the
project configures no CORS that allows credentials from other origins, such as
\`CORS_ALLOW_CREDENTIALS = True\` or \`supports_credentials=True\`). They are listed in
\`hiddenFindings\` with a \`guard\` naming the check, counted in the summary, and reported (low, with
the hint) under \`--report-guarded-exemptions\` or \`report-guarded-exemptions = true\`. Exemptions that
are only **inert today** (a fixed answer such as \`return HttpResponse("default")\`, an empty
response, a read-only body, a GraphQL schema without mutations, a redirect, input read from the query
string only) stay reported at low:
nothing stops the view from changing state tomorrow.`;

/** Reasons that hold only while the view's body stays as it is: nothing turns a forged request away once it changes. */
const INERT_TODAY = new Set<ExemptionReason['kind']>(['fixed-answer', 'empty-response', 'read-only', 'read-only-graphql', 'redirect-only', 'query-only']);

/**
 * The check that turns a forged request away on every request, whatever the view's body does, or
 * that leaves the request no ambient credential the view uses: the exemption is then guarded, and
 * reported only on request (`report-guarded-exemptions`). `undefined` for an exemption that is only
 * inert today (a fixed answer, a read-only body), for a view that acts for nobody without reading
 * its request, and for a JSON-only or non-form-method view in a project whose CORS setting lets
 * other origins send credentials.
 */
export function exemptionGuard(reason: ExemptionReason): string | undefined {
  if (INERT_TODAY.has(reason.kind)) return undefined;
  if (reason.kind === 'no-user' && reason.readsInput !== true) return undefined;
  // A sign-on callback needs its exemption, but nothing in it stops a forged one signing the browser in (login CSRF) unless `state` is bound to the session: a reviewer should look.
  if (reason.kind === 'protocol-endpoint' && reason.endpoint === 'sso-callback') return undefined;
  // Likewise a login view: a forged post signs the browser in to the forger's account.
  if (reason.kind === 'password-login') return undefined;
  // A preference still changes what the user sees: worth a look, as Django's `set_language` is.
  if (reason.kind === 'session-preference') return undefined;
  // So is a native app's sign-in that leaves the session it signed in: an attacker's own token signs the browser in.
  if (reason.kind === 'provider-token' && !reason.sessionFlushed) return undefined;
  // A forged request sends no header and takes the login decorator's path, with the browser's session.
  if (reason.kind === 'header-token' && reason.sessionFallback !== undefined) return undefined;
  if ((reason.kind === 'json-body' || reason.kind === 'no-form-methods' || reason.kind === 'body-type-gate') && reason.credentialedCors) return undefined;
  return reason.kind;
}

/**
 * The severity, hint and fix of an exemption the view may well need: each says what to keep and
 * what to record, and `guard` names the check when the exemption is guarded (see `exemptionGuard`).
 * `views` names what is exempted, when it is more than one view.
 */
export function exemptionDetails(ruleId: string, reason: ExemptionReason, views = 'the view'): Pick<RuleReport, 'severity' | 'hint' | 'fix' | 'guard'> {
  const details = reasonDetails(ruleId, reason, views);
  const guard = exemptionGuard(reason);
  return guard === undefined ? details : { ...details, guard };
}

function reasonDetails(ruleId: string, reason: ExemptionReason, views: string): Pick<RuleReport, 'severity' | 'hint' | 'fix'> {
  const record = `record why where it is (\`# csrflint: ignore[${ruleId}] -- <reason>\`)`;
  switch (reason.kind) {
    case 'signature':
      return {
        severity: 'low',
        hint: `${views} verifies a signature (\`${reason.check}\`): if that, and not a cookie, authenticates the request (a webhook, a signed link), the exemption is what it needs`,
        fix: `Keep the exemption if the signature check authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'csrf-recheck':
      return {
        severity: 'low',
        hint: `${views} re-checks CSRF itself (\`${reason.check}\`) after the exemption takes the request from the middleware, to answer a failed check its own way: a forged request is still turned away while that check runs on every request`,
        fix: `Keep the exemption while the view re-checks the token on every request and ${record}; otherwise remove it.`,
      };
    case 'origin-check':
      return {
        severity: 'low',
        hint: `${views} turns away a request whose \`Referer\` or \`Origin\` header names another site (\`${reason.check}\`): the browser sets that header itself, so a forged request from another site is rejected while the check runs on every request`,
        fix: `Keep the exemption while the view compares the header on every request and ${record}; otherwise remove it.`,
      };
    case 'header-token':
      if (reason.sessionFallback !== undefined) {
        return {
          severity: 'low',
          hint: `${views} is authenticated by the \`${reason.header}\` header, but when none comes its decorator runs it under \`${reason.sessionFallback}\` with the browser's session instead: a cross-site request sends no header and takes that path, so a signed-in user's browser can be made to run the view`,
          fix: `Remove the exemption from the session path (keep it only for requests that carry the \`${reason.header}\` header), or require the header on every request, and ${record}.`,
        };
      }
      return {
        severity: 'low',
        hint: reason.swappedBy
          ? `${views} run inside \`${reason.swappedBy}\`, which replaces the request's session with a fresh one, or the one the \`${reason.header}\` header names, before the view runs: the session cookie never reaches the view, and a cross-site request cannot send that header`
          : reason.by
          ? `${views} inherits ${reason.by}'s check, which rejects any request without a token in the \`${reason.header}\` header before a handler runs: a cross-site request cannot send that header, so the exemption is harmless while the check stays`
          : `${views} reads a credential from the \`${reason.header}\` header and no session user: a cross-site request cannot send that header, so if it authenticates every request the exemption is harmless`,
        fix: `Keep the exemption if the \`${reason.header}\` header, not a cookie, authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'request-credential':
      return {
        severity: 'low',
        hint: `${views} looks up or checks a credential the request carries (${reason.check}) and its own code reads no session user: a cross-site page does not know that key or secret, so a forged request is turned away while every request is checked so`,
        fix: `Keep the exemption if that key or secret, not a cookie, authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'url-secret':
      return {
        severity: 'low',
        hint: `every URL of the view holds a secret (\`<${reason.variable}>\`): a cross-site page cannot forge a request to a URL it does not know, so if that secret authenticates every request the exemption is harmless`,
        fix: `Keep the exemption if the \`${reason.variable}\` in the URL, not a cookie, authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'oauth-callback':
      return {
        severity: 'low',
        hint: `${handingView(reason.via)} completes an OAuth sign-in (\`${reason.completer}\`), which rejects a callback whose \`state\` is not the one the sign-in started with; providers that answer with a cross-site POST (Apple's \`form_post\`) need the exemption`,
        fix: `Keep the exemption if the OAuth provider posts to this view and ${record}; otherwise remove it.`,
      };
    case 'protocol-endpoint':
      return protocolEndpointDetails(reason, record);
    case 'safe-methods-only':
      return {
        severity: 'low',
        hint: 'the view handles only GET (and HEAD or OPTIONS), which CSRF never checks: the exemption changes nothing today',
        fix: 'Remove the exemption: it changes nothing while the view answers GET only, and would leave the view unchecked once it handles POST.',
      };
    case 'no-form-methods': {
      const quoted = reason.methods.map((method) => `\`${method}\``);
      const both = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : quoted.join('');
      const either = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
      return {
        severity: 'low',
        hint: `${views} accepts no POST, only ${both} besides safe methods: an HTML form on another site can send only GET and POST, and a script there can send ${either} only after a CORS preflight the server must allow${corsAllowsIt(reason.credentialedCors)}`,
        fix: `Keep the exemption if only scripts of your own origin call the view, no CORS setting allows other origins ${either} and no middleware turns a POST into ${either}, and ${record}; otherwise remove it and send the CSRF token.`,
      };
    }
    case 'requested-with': {
      const by = reason.guard === 'the view' ? `${views} turns away` : `\`${reason.guard}\` makes ${views} turn away`;
      return {
        severity: 'low',
        hint: `${by} a request without the \`X-Requested-With\` header: an HTML form on another site cannot set a header, and a script there can set it only after a CORS preflight the server must allow; the browser's cookie still signs the request in, so the header check is what stands in for the token`,
        fix: `Keep the exemption while the header check runs on every request and no CORS setting allows other origins that header, and ${record}; better, send the CSRF token in \`X-CSRFToken\` and remove the exemption.`,
      };
    }
    case 'read-only-graphql':
      return {
        severity: 'low',
        hint: `\`${reason.view}\` answers the project's GraphQL schemas, none of which defines a mutation: a query changes nothing, and a cross-site page cannot read its answer`,
        fix: `Keep the exemption while the schema has no mutation and ${record}; remove it before adding one.`,
      };
    case 'no-user':
      return {
        severity: 'low',
        hint: `${noUserSubject(reason.handedTo, views)}: a forged request can do only what anybody can do by calling it directly`,
        fix: `Keep the exemption if the view is meant for clients without a session (a ping URL, a bot's webhook) and ${record}; remove it before the view starts acting for the signed-in user.`,
      };
    case 'redirect-only':
      return {
        severity: 'low',
        hint: 'the view reads nothing of its request (its own URL at most) and only redirects: a forged request gets a link anybody could follow, and changes nothing for the signed-in user',
        fix: 'Remove the exemption: a redirect needs none; either way, remove it before the view starts reading the request.',
      };
    case 'body-credentials':
      return {
        severity: 'low',
        hint: reason.replacesUser
          ? `${views} signs every request in by the ${reason.credential === 'token' ? 'token' : 'username and password'} in its body (\`request.user = authenticate(...)\`), replacing the session's user: a cross-site page does not know the ${reason.credential}, so the exemption lets through nothing a cookie would`
          : reason.credential === 'session-key'
            ? `${views} opens the session whose key its body carries (\`SessionStore(request.POST[...])\`) and refuses the request unless that session checks out: the key is a secret of the page that issued it, which a cross-site page does not know, so the exemption lets through nothing a cookie would`
            : `${views} checks the username and password in its body (\`authenticate(...)\`) and reads no user or session from its request: it acts for the account whose password the request carries, which a cross-site page does not know, so the exemption lets through nothing a cookie would`,
        fix:
          reason.credential === 'token'
            ? `Keep the exemption if every request carries a token the identity service issued (its single sign-on post) and ${record}.`
            : reason.credential === 'session-key'
              ? `Keep the exemption while every request must carry a session key your own page issued for this hand-off, and ${record}.`
            : `Keep the exemption if every client sends its own password and ${record}; better, move the API to a token in a header.`,
      };
    case 'session-preference':
      return {
        severity: 'low',
        hint: `${views} only stores display preferences in the visitor's session (${reason.keys.map((key) => `\`${key}\``).join(', ')}) and reads no user: a forged request changes how the site looks to the user, nothing they own`,
        fix: `Remove the exemption and send the CSRF token with the request (a script can read it from the cookie); if you keep it, ${record}.`,
      };
    case 'password-login':
      return {
        severity: 'low',
        hint: `${views} signs the browser in to the account whose username and password its body carries (\`authenticate(...)\`, then \`login(...)\`), and reads the session's user only after that or to log the attempt: a forged request can do no more than sign the user in to an account whose password the forger knows (login CSRF)`,
        fix: `Remove the exemption and send the CSRF token with the login form (Django's \`LoginView\` does), so that no other site can sign your users in to an account of its choosing; if clients without a session must post here, ${record}.`,
      };
    case 'provider-token':
      return {
        severity: 'low',
        hint: reason.sessionFlushed
          ? `${views} signs the request in by the identity provider's ID token in its body (\`${reason.completer}\`) and then flushes the session: a cross-site page has no token of its victim's, and nothing of the sign-in stays in the browser`
          : `${views} signs the request in by the identity provider's ID token in its body (\`${reason.completer}\`): a cross-site page has no token of its victim's, but it can post its own and sign the browser into the attacker's account (login CSRF)`,
        fix: reason.sessionFlushed
          ? `Keep the exemption while the view serves native apps that send a provider token, flushes the session and answers with tokens in the body, and ${record}.`
          : `Flush the session after answering with tokens in the body (\`request.session.flush()\`), or keep the CSRF check for browsers, and ${record}.`,
      };
    case 'json-body':
      return {
        severity: 'low',
        hint: `${views} reads its input only with \`request.get_json()\` (no \`force\` or \`silent\`), which refuses a body not sent as \`application/json\`: an HTML form on another site cannot send that, and a script there only after a CORS preflight the app must allow${corsAllowsIt(reason.credentialedCors)}`,
        fix: `Keep the exemption if only scripts call the view and the app allows no cross-origin JSON requests, and ${record}; otherwise remove it and send the CSRF token.`,
      };
    case 'body-type-gate': {
      const types = reason.types.map((type) => `\`${type}\``).join(' or ');
      return {
        severity: 'low',
        hint: `${reason.library} answers with an error any request whose body is not sent as ${types}, before a procedure runs: an HTML form on another site cannot send those, and a script there only after a CORS preflight the server must allow${corsAllowsIt(reason.credentialedCors)}`,
        fix: `Keep the exemption while no CORS setting lets other origins send ${types} bodies with credentials, and ${record}; better, make the procedures that change state require a token header.`,
      };
    }
    case 'read-only':
      return {
        severity: 'low',
        hint: `${views} only reads: what it calls, the project's code included, looks data up or builds the answer, and nothing saves, creates, updates or deletes; a forged request changes nothing, and a cross-site page cannot read the answer. To confirm: that the library calls it makes read as their names say, and that it is meant to stay read-only`,
        fix: 'Remove the exemption unless a client without a CSRF token calls the view; either way, remove it before the view starts changing state.',
      };
    case 'query-only':
      return {
        severity: 'low',
        hint: `${views} reads its input from the query string only, never the body nor the method, and hands the request to none of the project's code that does: a forged POST does what a link to the same URL does, and a GET is never CSRF-checked, so the exemption opens nothing today`,
        fix: 'Remove the exemption unless a client posts to the view without a CSRF token; either way, remove it before the view starts reading its body.',
      };
    case 'fixed-answer':
      return {
        severity: 'low',
        hint: `${views} answers every request with the same fixed content (\`${reason.answer}\`) and runs nothing else: a forged request can change nothing through it today`,
        fix: 'Remove the exemption unless a client without a CSRF token calls the view; either way, remove it before the view starts changing state.',
      };
    case 'empty-response':
      return {
        severity: 'low',
        hint: 'the view only returns an empty response: a forged request can change nothing through it today',
        fix: 'Remove the exemption unless a client without a CSRF token calls the view; either way, remove it before the view starts changing state.',
      };
  }
}

/** What a credentialed CORS setting does to a preflight-only defence, to end a hint with. */
function corsAllowsIt(cors: CredentialedCors | undefined): string {
  if (!cors) return '';
  return `; but the project allows that (\`${cors.setting}\`, ${cors.path}:${cors.line}): a script on an origin the CORS setting admits sends the request with the user's cookie, so the exemption is reported`;
}

const OAUTH2_ENDPOINT_NAMES: Record<'token' | 'revocation' | 'introspection' | 'userinfo', string> = {
  token: 'token',
  revocation: 'token revocation',
  introspection: 'token introspection',
  userinfo: 'OpenID Connect userinfo',
};

/** Who does a protocol's check: the view, or the one it stores the posted message for and redirects to. */
function handingView(via: string | undefined): string {
  return via === undefined ? 'the view' : `the view only stores what is posted and redirects to \`${via}\`, which`;
}

function protocolEndpointDetails({ endpoint, call, via }: Extract<ExemptionReason, { kind: 'protocol-endpoint' }>, record: string): Pick<RuleReport, 'severity' | 'hint' | 'fix'> {
  const theView = handingView(via);
  if (endpoint === 'saml-sls') {
    return {
      severity: 'low',
      hint: `${theView} processes SAML single-logout messages (\`${call}\`): the identity provider sends them from its own site, so the exemption is required; python3-saml validates the message (its signature where the settings require one) before the user is logged out, and a forged one can at worst log the user out`,
      fix: `Keep the exemption, require signed logout messages in the SAML settings and ${record}.`,
    };
  }
  if (endpoint === 'saml-acs') {
    return {
      severity: 'low',
      hint: `${theView} consumes SAML assertions (\`${call}\`): the identity provider posts the signed assertion from its own site, so the exemption is required; what stops a forged sign-in is checking the response's \`InResponseTo\` (or RelayState) against the sign-in this browser started`,
      fix: `Keep the exemption, check \`InResponseTo\` against the request this browser started and ${record}.`,
    };
  }
  if (endpoint === 'sso-callback') {
    return {
      severity: 'low',
      hint: `${theView} is a single sign-on callback (it reads the identity provider's answer, \`${call}\`, and signs the user in), so the exemption is required: identity-provider callbacks must accept cross-site posts; check the \`state\`/\`RelayState\` is bound to the session (login CSRF), or a forged callback signs the browser into the attacker's account`,
      fix: `Keep the exemption, check that \`state\` (or \`RelayState\`) matches the value this browser's session stored when the sign-in started, and ${record}.`,
    };
  }
  if (endpoint === 'lti-login') {
    return {
      severity: 'low',
      hint: `${theView} answers an LTI 1.3 third-party login initiation (\`${call}\`): the learning platform sends the browser here from its own site, so the exemption is required; the view only stores a fresh state and nonce and redirects to a registered platform`,
      fix: `Keep the exemption, accept only registered platforms and ${record}.`,
    };
  }
  if (endpoint === 'lti-launch') {
    return {
      severity: 'low',
      hint: `${theView} validates an LTI 1.3 launch (\`${call}\`): the platform posts a signed \`id_token\` from its own site, so the exemption is required; what stops a forged launch is checking its signature and the state and nonce this browser's login stored`,
      fix: `Keep the exemption, keep the launch's state and nonce checks and ${record}.`,
    };
  }
  if (endpoint === 'openid-assertion') {
    return {
      severity: 'low',
      hint: `${theView} verifies an OpenID 2.0 assertion (\`${call}\`): the provider sends it back through the browser, by a redirect or a cross-site POST, so the exemption is required; python-openid checks its signature, nonce and return URL before the sign-in completes`,
      fix: `Keep the exemption while the view completes the sign-in only through the consumer's \`complete\` and ${record}.`,
    };
  }
  if (endpoint === 'git-fetch') {
    return {
      severity: 'low',
      hint: `${theView} serves the read side of git's smart HTTP protocol (\`${call}\`: the ref advertisement or a fetch): git clients send no CSRF token, so the exemption is required, and the protocol changes nothing there; a page of another site that makes the browser post to it cannot read the answer. The push side (\`git-receive-pack\`) is another matter`,
      fix: `Keep the exemption while the view only advertises refs or serves \`git-upload-pack\`, and ${record}.`,
    };
  }
  if (endpoint === 'bearer') {
    return {
      severity: 'low',
      hint: `${theView} checks an OAuth2 Bearer token (\`${call}\`): a cross-site request cannot send the \`Authorization\` header, so if that token authenticates every request the exemption is harmless`,
      fix: `Keep the exemption if the Bearer token, not a cookie, authenticates every request and ${record}; otherwise remove it and send the CSRF token.`,
    };
  }
  return {
    severity: 'low',
    hint: `${theView} is an OAuth2 ${OAUTH2_ENDPOINT_NAMES[endpoint]} endpoint (\`${call}\`): the client authenticates with its own credentials or a Bearer token, not the browser's cookie, and the protocol has clients post to it without a CSRF token`,
    fix: `Keep the exemption: OAuth2 clients cannot send a CSRF token; ${record}.`,
  };
}

const LISTED_FUNCTIONS = 3;

/** What an acting-for-nobody view was seen to do: alone, or with the project's functions it hands its request to. */
function noUserSubject(handedTo: readonly string[], views: string): string {
  if (handedTo.length === 0) return `${views} reads no user or session from its request and hands the request to no other code`;
  const listed = handedTo.slice(0, LISTED_FUNCTIONS).map((name) => `\`${name}\``).join(', ');
  const more = handedTo.length > LISTED_FUNCTIONS ? ` and ${handedTo.length - LISTED_FUNCTIONS} more` : '';
  return `${views} reads no user or session from its request, and the project's code it hands the request to (${listed}${more}) reads none either or authenticates by a header token`;
}
