import { describeExpr } from '../../../python/describe.js';
import type { Expr } from '../../../python/facts.js';
import { walkExpr } from '../../../python/walk-expr.js';
import { assignedMethodBehaviour, assignedMethodsOf, methodHeadRange, overrideBehaviour, overridesOf, swallowsItsCheck, type MethodSite } from '../../../project/overrides.js';
import type { Project } from '../../../project/project.js';
import type { SourceModule } from '../../../project/source-module.js';
import { defineRule, type RuleContext } from '../../../rules/rule.js';
import { stringValue } from '../../../project/values.js';
import { authenticationClassOf, authenticationLists } from '../authentication-lists.js';
import { jwtCookieSettings } from '../jwt-cookies.js';
import { lowerForSameSite, type SameSiteSetting } from '../../../rules/support/unprotected-apps.js';

const SESSION_AUTHENTICATION = 'rest_framework.authentication.SessionAuthentication';
const BASE_AUTHENTICATION = 'rest_framework.authentication.BaseAuthentication';
/** What `enforce_csrf` raises on a failed check: a handler that catches it and goes on undoes the check. */
const ENFORCE_CSRF_OPTIONS = { failureExceptions: new Set(['PermissionDenied', 'APIException']) };

export default defineRule({
  id: 'drf-csrf-enforcement-disabled',
  code: 'CSRF104',
  title: 'Django REST framework session authentication without its CSRF check',
  severity: 'high',
  framework: 'drf',
  fix: "Keep SessionAuthentication's enforce_csrf, and send the X-CSRFToken header from the browser client.",
  keywords: ['enforce_csrf', 'authenticate', 'authentication_classes', 'JWT_AUTH_COOKIE'],
  // Findings sit on a method named `enforce_csrf` or `authenticate` (defined or assigned as spelled);
  // `authentication_classes` lists and `is_authenticated` checks only say which classes count.
  reportsAt: ['enforce_csrf', { exact: 'authenticate', wordStart: true, wordEnd: true }, 'JWT_AUTH_COOKIE'],
  // Every finding is a method of a subclass of DRF's classes (imported from `rest_framework`, or a vendored copy of it)
  // or of a class listed in an `authentication_classes` / `DEFAULT_AUTHENTICATION_CLASSES` list.
  projectWords: ['rest_framework', 'authentication_classes'],
  doc: {
    whatItFinds: `Django REST framework exempts its views from \`CsrfViewMiddleware\` and checks CSRF in
\`SessionAuthentication.enforce_csrf\` instead, for requests authenticated by the session cookie. This
rule finds where that check is lost:

- a \`SessionAuthentication\` subclass whose \`enforce_csrf\` returns or passes without checking (the
  well-known \`CsrfExemptSessionAuthentication\`), reported at the method; also when it is a lambda
  or a function that checks nothing (\`enforce_csrf = lambda self, request: None\`), when it catches
  the \`PermissionDenied\` of \`super().enforce_csrf(request)\` and goes on, or when it runs
  \`CSRFCheck\` but only logs the reason;
- \`SessionAuthentication.enforce_csrf\` (or a subclass's) replaced from outside the class by such a
  function, which turns the check off for every class that inherits it;
- one whose \`enforce_csrf\` returns early for some requests before checking (lower severity);
- a \`BaseAuthentication\` subclass whose \`authenticate\` takes the user from the Django session
  (\`request._request.user\`, \`request.session\`) and never calls \`enforce_csrf\`. A class from a
  vendored copy of DRF counts when it is listed in \`DEFAULT_AUTHENTICATION_CLASSES\`, in a view's
  \`authentication_classes\` or in \`@authentication_classes(...)\`;
- a \`SessionAuthentication\` subclass whose own \`authenticate\` does the same, calling neither
  \`enforce_csrf\` nor \`super().authenticate(request)\`;
- an authentication class listed in \`DEFAULT_AUTHENTICATION_CLASSES\`, a view's
  \`authentication_classes\` or \`@authentication_classes(...)\` whose \`authenticate\` takes its
  credential from a cookie (\`request.get_signed_cookie(...)\`, \`request.COOKIES\`) and never calls
  \`enforce_csrf\`: a token in a cookie is as ambient as the session;
- \`JWT_AUTH_COOKIE\` set for djangorestframework-jwt (\`JWT_AUTH = {"JWT_AUTH_COOKIE": "jwt"}\`) or
  dj-rest-auth (\`REST_AUTH = {...}\`, or the top-level setting of its older versions) while their
  cookie-reading class (\`JSONWebTokenAuthentication\`, \`JWTCookieAuthentication\`) is listed in
  \`DEFAULT_AUTHENTICATION_CLASSES\` or a view's \`authentication_classes\`: the JWT then rides in a cookie,
  an ambient credential like the session, and neither class checks CSRF (dj-rest-auth does when
  \`JWT_AUTH_COOKIE_USE_CSRF\` or \`JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED\` is on, and is then
  not reported). Reported at the setting, with the list that makes the class authenticate; medium when
  the same settings write \`JWT_AUTH_SAMESITE\` (or \`JWT_AUTH_COOKIE_SAMESITE\`) \`"Lax"\`, low for \`"Strict"\`
  (a library's default is not credited).

An override that calls \`super().enforce_csrf(request)\` or raises on failure is fine, and so is an
\`authenticate\` that reads a token or a header rather than the session.`,
    whyItMatters: `A browser sends the session cookie with every cross-site request. Without the CSRF check, any web
site a logged-in user visits can call the API in the user's name: change their email, transfer
money, create tokens.`,
    example: `from rest_framework.authentication import SessionAuthentication


class CsrfExemptSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):
        return
`,
    useInstead: `from rest_framework.authentication import SessionAuthentication


class AuditedSessionAuthentication(SessionAuthentication):
    def enforce_csrf(self, request):
        request.audit_log.append("csrf")
        return super().enforce_csrf(request)
`,
    whenItIsFine: `Never for an API that browsers reach with a session cookie. If the API is meant for token clients
only, remove session authentication from it instead of disabling its check.`,
    references: [
      { title: 'Django REST framework: SessionAuthentication and CSRF', url: 'https://www.django-rest-framework.org/api-guide/authentication/#sessionauthentication' },
      { title: 'Django REST framework: AJAX, CSRF & CORS', url: 'https://www.django-rest-framework.org/topics/ajax-csrf-cors/' },
    ],
  },
  check(context) {
    reportLaxEnforcement(context);
    reportAssignedEnforcement(context);
    reportSessionWithoutCsrf(context);
    reportCookieWithoutCsrf(context);
    reportJwtCookies(context);
  },
});

/** What an explicit SameSite setting of the JWT cookie holds back. */
function sameSiteWords(sameSite: SameSiteSetting | undefined): string {
  if (!sameSite) return '';
  const where = `\`${sameSite.setting} = "${sameSite.level === 'strict' ? 'Strict' : 'Lax'}"\` (${sameSite.path}:${sameSite.line})`;
  if (sameSite.level === 'strict') return `; ${where} keeps the cookie off cross-site requests in current browsers, not in older ones nor from a sibling subdomain`;
  return `; ${where} keeps the cookie off cross-site posts in current browsers, not off a top-level GET, nor in older browsers or from a sibling subdomain`;
}

/**
 * `JWT_AUTH_COOKIE` set for djangorestframework-jwt or dj-rest-auth while their cookie-reading
 * class authenticates the API: the JWT rides in a cookie, as a session would, and no CSRF check
 * runs, since DRF checks it in `SessionAuthentication` alone.
 */
function reportJwtCookies({ project, report }: RuleContext): void {
  for (const setting of jwtCookieSettings(project)) {
    const className = setting.authentication.slice(setting.authentication.lastIndexOf('.') + 1);
    const listed = `${setting.listedAt.name}, ${setting.listedAt.module.path}:${setting.listedAt.range.line}`;
    const csrfSwitch = setting.library === 'dj-rest-auth' ? 'set `JWT_AUTH_COOKIE_USE_CSRF = True` (dj-rest-auth then checks the token), or ' : '';
    report({
      file: setting.module,
      range: setting.range,
      message: `\`JWT_AUTH_COOKIE\` makes ${setting.library}'s \`${className}\` take the JWT from the \`${setting.cookie}\` cookie, and nothing checks CSRF for it`,
      hint: `the JWT is then an ambient credential like a session cookie: the browser adds the \`${setting.cookie}\` cookie to a forged cross-site request, and DRF views are exempt from CsrfViewMiddleware (DRF checks CSRF in SessionAuthentication alone), so every view \`${className}\` authenticates (listed in ${listed}) can be called in the user's name from another site${sameSiteWords(setting.sameSite)}`,
      ...(setting.sameSite ? { severity: lowerForSameSite('high', setting.sameSite) } : {}),
      fix: `${csrfSwitch}remove \`JWT_AUTH_COOKIE\` and have clients send the JWT in the \`Authorization\` header.`.replace(/^./, (first) => first.toUpperCase()),
    });
  }
}

function reportLaxEnforcement(context: RuleContext): void {
  for (const site of overridesOf(context.project, new Set([SESSION_AUTHENTICATION]), new Set(['enforce_csrf']))) {
    const behaviour = overrideBehaviour(context.project, site, ENFORCE_CSRF_OPTIONS);
    if (behaviour === 'checks') continue;
    const owner = ownerName(site);
    const partial = behaviour === 'skips-some';
    const never = swallowsItsCheck(context.project, site, ENFORCE_CSRF_OPTIONS) ? 'catches the failure of its check and goes on' : 'never checks';
    const message = partial
      ? `\`${owner}.enforce_csrf\` returns early before checking: session-authenticated requests its condition matches skip the CSRF check`
      : `\`${owner}.enforce_csrf\` ${never}: session-authenticated API requests are accepted without a CSRF token`;
    context.report({ file: site.module, range: methodHeadRange(site.definition), message, ...(partial ? { severity: 'medium' } : {}) });
  }
}

/** `enforce_csrf = lambda self, request: None` in a subclass, or patched onto `SessionAuthentication` itself. */
function reportAssignedEnforcement(context: RuleContext): void {
  for (const method of assignedMethodsOf(context.project, new Set([SESSION_AUTHENTICATION]), new Set(['enforce_csrf']))) {
    const behaviour = assignedMethodBehaviour(context.project, method, ENFORCE_CSRF_OPTIONS);
    if (behaviour === 'checks') continue;
    const partial = behaviour === 'skips-some';
    const what = partial ? 'returns early before checking for some requests' : 'never checks';
    const message = method.patched
      ? `\`${describeExpr(method.assignment.target)} = ...\` replaces the check with one that ${what}: \`${method.className}\` and every subclass accept session-authenticated requests without a CSRF token`
      : `\`${method.className}.enforce_csrf\` ${what}: session-authenticated API requests are accepted without a CSRF token`;
    context.report({ file: method.module, range: method.assignment.range, message, ...(partial ? { severity: 'medium' } : {}) });
  }
}

/**
 * A custom authentication class that reads the Django session's user without the check
 * SessionAuthentication makes: a subclass of DRF's `BaseAuthentication`, a class the project lists as
 * an authentication class (a vendored copy of DRF has its own base), or a `SessionAuthentication`
 * subclass that replaces `authenticate`.
 */
function reportSessionWithoutCsrf(context: RuleContext): void {
  const { project } = context;
  const sessionAuthentication = new Set([SESSION_AUTHENTICATION]);
  for (const site of authenticateMethods(project)) {
    const owner = site.module.symbols.definitionOfScope(site.definition.scope)!;
    const isSessionSubclass = project.isSubclassOf(site.module.symbols.definitionName(owner), sessionAuthentication);
    if (!readsSessionUser(project, site) || callsEnforceCsrf(site)) continue;
    if (isSessionSubclass && callsParentAuthenticate(project, site)) continue;
    const message = isSessionSubclass
      ? `\`${owner.name}.authenticate\` replaces SessionAuthentication's and takes the user from the Django session without calling enforce_csrf: cross-site requests carry that session`
      : `\`${owner.name}.authenticate\` takes the user from the Django session but never calls enforce_csrf: cross-site requests carry that session`;
    context.report({ file: site.module, range: methodHeadRange(site.definition), message });
  }
}

/**
 * An authentication class the project lists that takes its credential from a cookie
 * (`request.get_signed_cookie(...)`, `request.COOKIES`) and never calls `enforce_csrf`: the browser
 * adds the cookie to a forged cross-site request as it would the session's, and DRF views are
 * exempt from `CsrfViewMiddleware` (onaio/onadata's `EnketoTokenAuthentication`).
 */
function reportCookieWithoutCsrf(context: RuleContext): void {
  const { project } = context;
  const reported = new Set<MethodSite['definition']>();
  for (const className of configuredAuthenticationClasses(project)) {
    const site = project.findMethod(className, 'authenticate');
    if (!site || reported.has(site.definition) || callsEnforceCsrf(site) || readsSessionUser(project, site)) continue;
    const cookie = cookieRead(project, site);
    if (cookie === undefined) continue;
    reported.add(site.definition);
    const named = cookie === '' ? 'a cookie' : `the \`${cookie}\` cookie`;
    context.report({
      file: site.module,
      range: methodHeadRange(site.definition),
      message: `\`${ownerName(site)}.authenticate\` takes the user from ${named} but never calls enforce_csrf: cross-site requests carry that cookie`,
      hint: 'a cookie is an ambient credential like the session: the browser adds it to a forged request from another site, and DRF views are exempt from CsrfViewMiddleware (DRF checks CSRF in SessionAuthentication alone), so every view this class authenticates can be called in the user\'s name',
      fix: 'Call `self.enforce_csrf(request)` (from SessionAuthentication) when the cookie authenticates the request, or have clients send the token in the `Authorization` header instead of a cookie.',
    });
  }
}

/** The cookie an `authenticate` method reads from its request (`''` when its name is not known), if any. */
function cookieRead(project: Project, { module, definition }: MethodSite): string | undefined {
  const scope = definition.bodyScope;
  const requestParameter = definition.parameters[1]?.name;
  const isRequest = (expr: Expr) => (expr.kind === 'attribute' && expr.attribute === '_request') || (expr.kind === 'name' && expr.id === requestParameter);
  const scopes = module.symbols.scopesWithin(scope);
  for (const { call, scope: callScope } of module.facts.calls) {
    if (!scopes.has(callScope)) continue;
    const { callee } = call;
    if (callee.kind !== 'attribute') continue;
    const cookies = callee.attribute === 'get_signed_cookie' && isRequest(callee.object);
    const fromJar = callee.attribute === 'get' && callee.object.kind === 'attribute' && callee.object.attribute === 'COOKIES' && isRequest(callee.object.object);
    if (!cookies && !fromJar) continue;
    const [name] = call.args;
    return (name && stringValue(project, { module, scope: callScope, expr: name.value })) ?? '';
  }
  const subscripted = module.facts.scopes.some((candidate) => scopes.has(candidate.id) && candidate.reads.some((read) => read === `${requestParameter}.COOKIES`));
  return subscripted ? '' : undefined;
}

/** The `authenticate` methods of DRF authentication classes, and those the configured classes run. */
function authenticateMethods(project: Project): MethodSite[] {
  const sites = overridesOf(project, new Set([BASE_AUTHENTICATION, SESSION_AUTHENTICATION]), new Set(['authenticate']));
  for (const className of configuredAuthenticationClasses(project)) {
    const site = project.findMethod(className, 'authenticate');
    if (site && !sites.some((known) => known.definition === site.definition)) sites.push(site);
  }
  return sites;
}

/** The classes named in `DEFAULT_AUTHENTICATION_CLASSES`, `authentication_classes = [...]` and `@authentication_classes([...])`. */
function configuredAuthenticationClasses(project: Project): Set<string> {
  const classes = new Set<string>();
  for (const list of authenticationLists(project)) {
    for (const item of list.items) {
      const name = authenticationClassOf(project, item);
      if (name !== undefined) classes.add(name);
    }
  }
  return classes;
}

function ownerName({ module, definition }: MethodSite): string {
  return module.symbols.definitionOfScope(definition.scope)?.name ?? '?';
}

/**
 * `request._request.user`, `getattr(request._request, "user")` (also through a name bound to
 * `request._request`) and `request.session`: the user of the Django session, which the browser
 * sends cross-site. Headers and tokens (`request.META`, `request._request.headers`) are not it.
 */
function readsSessionUser(project: Project, { module, definition }: MethodSite): boolean {
  const scope = definition.bodyScope;
  const requestParameter = definition.parameters[1]?.name;
  const djangoRequests = namesBoundToDjangoRequest(module, scope);
  const isDjangoRequest = (expr: Expr) => (expr.kind === 'attribute' && expr.attribute === '_request') || (expr.kind === 'name' && djangoRequests.has(expr.id));
  const isRequest = (expr: Expr) => isDjangoRequest(expr) || (expr.kind === 'name' && expr.id === requestParameter);
  const isSessionRead = (expr: Expr): boolean => {
    if (expr.kind === 'attribute') return (expr.attribute === 'session' && isRequest(expr.object)) || (expr.attribute === 'user' && isDjangoRequest(expr.object));
    if (expr.kind !== 'call' || project.resolve(module, expr.callee, scope) !== 'builtins.getattr') return false;
    const [object, attribute] = expr.args;
    return object !== undefined && isDjangoRequest(object.value) && attribute?.value.kind === 'string' && attribute.value.value === 'user';
  };
  const values: Expr[] = [
    ...module.facts.assignments.filter((assignment) => assignment.scope === scope).flatMap((assignment) => (assignment.value ? [assignment.value] : [])),
    ...module.facts.calls.filter((call) => call.scope === scope).map(({ call }) => call),
    ...module.facts.returns.filter((statement) => statement.scope === scope).flatMap((statement) => (statement.value ? [statement.value] : [])),
  ];
  return values.some((value) => [...walkExpr(value)].some(isSessionRead));
}

/** `http_request = request._request`, and DRF's own `request = request._request`. */
function namesBoundToDjangoRequest(module: SourceModule, scope: number): Set<string> {
  const names = new Set<string>();
  for (const { target, value, scope: assignedIn } of module.facts.assignments) {
    if (assignedIn === scope && target.kind === 'name' && value?.kind === 'attribute' && value.attribute === '_request') names.add(target.id);
  }
  return names;
}

function callsEnforceCsrf({ module, definition }: MethodSite): boolean {
  return module.facts.calls.some(({ call, scope }) => scope === definition.bodyScope && call.callee.kind === 'attribute' && /csrf/i.test(call.callee.attribute));
}

/** `super().authenticate(request)` or `SessionAuthentication.authenticate(self, request)`: the parent checks. */
function callsParentAuthenticate(project: Project, { module, definition }: MethodSite): boolean {
  return module.facts.calls.some(({ call, scope }) => {
    const { callee } = call;
    if (scope !== definition.bodyScope || callee.kind !== 'attribute' || callee.attribute !== 'authenticate') return false;
    if (callee.object.kind === 'call') return callee.object.callee.kind === 'name' && callee.object.callee.id === 'super';
    if (callee.object.kind === 'name' && callee.object.id === definition.parameters[0]?.name) return false;
    const parent = project.resolve(module, callee.object, scope);
    return parent !== undefined && project.isSubclassOf(parent, new Set([SESSION_AUTHENTICATION]));
  });
}
