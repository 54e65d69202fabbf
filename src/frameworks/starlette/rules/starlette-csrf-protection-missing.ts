import { type Application, findApplications } from '../../../project/applications.js';
import type { Expr } from '../../../python/facts.js';
import type { SourceModule } from '../../../project/source-module.js';
import { packagesOf } from '../../../project/known-names.js';
import { CSRF_MIDDLEWARE, SESSION_MIDDLEWARE, STARLETTE_APPLICATIONS } from '../names.js';
import { basicChallenge } from '../basic-challenge.js';
import { headerCheckingMiddleware } from '../header-middleware.js';
import { viewsOnlyFromProtectedMount } from '../protected-mounts.js';
import { loginCookieSameSite } from '../login-cookie-same-site.js';
import { type AppCredentials, ambientCredentialsOf, CREDENTIAL_KEYWORDS, describeCredentials } from '../../../project/credentials.js';
import { type AppMiddleware, appMiddlewares } from '../../../project/middleware.js';
import { namesCsrf, type Project } from '../../../project/project.js';
import { stringValue, truthiness } from '../../../project/values.js';
import { defineRule, type Severity } from '../../../rules/rule.js';
import { describeApplication, describeSameSite, lowerForSameSite, lowestSeverity, type SameSiteLevel, type SameSiteSetting, SESSION_IS_NOT_ALWAYS_A_LOGIN, sessionAppCredentials, signInOnlyExposure } from '../../../rules/support/unprotected-apps.js';

/** starlette-wtf's middleware only configures its checks: `@csrf_protect` on endpoints, and validated `StarletteForm`s. */
const STARLETTE_WTF = { middleware: 'starlette_wtf.CSRFProtectMiddleware', decorator: 'starlette_wtf.csrf_protect', form: 'starlette_wtf.StarletteForm' } as const;
/** WTForms' base class of CSRF implementations: a subclass checks the token of the forms that use it. */
const WTFORMS_CSRF = new Set(['wtforms.csrf.core.CSRF', 'wtforms.csrf.session.SessionCSRF']);

const FASTAPI_APPLICATION: ReadonlySet<string> = new Set(['fastapi.FastAPI', 'fastapi.applications.FastAPI']);

/** Where no defence, sign-in-only exposure or SameSite cookie lowers it. */
const RULE_SEVERITY: Severity = 'high';

/** A Basic password is cached only once the user has typed it in the browser's dialog, and stays until the browser closes. */
const BASIC_SEVERITY: Severity = 'medium';

export default defineRule({
  id: 'starlette-csrf-protection-missing',
  code: 'CSRF304',
  title: 'Starlette or FastAPI application with cookie sessions and no CSRF protection',
  severity: RULE_SEVERITY,
  framework: 'starlette',
  judges: 'project',
  fix: 'Add CSRF middleware (starlette-csrf CSRFMiddleware, asgi-csrf) or validate tokens with fastapi-csrf-protect.',
  keywords: ['SessionMiddleware', 'starlette', 'fastapi', 'csrf', 'WWW-Authenticate', ...CREDENTIAL_KEYWORDS],
  packages: packagesOf(STARLETTE_APPLICATIONS.appClasses),
  doc: {
    whatItFinds: `A \`starlette.applications.Starlette\` or \`fastapi.FastAPI\` application that keeps sessions in a
cookie (\`SessionMiddleware\`, given in \`middleware=[Middleware(...)]\` or added with
\`app.add_middleware(...)\`, wherever the app is) and has no CSRF middleware: no starlette-csrf
\`CSRFMiddleware\`, no asgi-csrf wrapper, and no fastapi-csrf-protect in use in the project.
starlette-wtf's \`CSRFProtectMiddleware\` counts only where its checks are used (an endpoint with
\`@csrf_protect\`, or a \`StarletteForm\`) and it is not turned off with \`enabled=False\`: by itself
it checks nothing. Starlette and FastAPI have no CSRF protection of their own. An API authenticated
by tokens in headers, without cookie sessions, is not reported.

An app without cookie sessions that signs its users in with a cookie of its own is reported too: its
code sets or reads a cookie named for a credential (\`response.set_cookie("access_token", token)\` at
login, read back with \`request.cookies.get("access_token")\` by a dependency or a middleware), or takes
an API key from a cookie (FastAPI's \`APIKeyCookie\`). The browser sends that cookie with a forged
request just as it sends a session cookie. A cookie named for a preference (\`language\`, \`theme\`) is no credential.

A \`SessionMiddleware\` whose cookie is the app's only credential lowers the finding by its SameSite:
\`same_site="strict"\` to low (current browsers send the cookie with no cross-site request; older ones
ignore the attribute, and a sibling subdomain is same-site); \`same_site="lax"\`, written out or left
to Starlette's default, one step, high to medium and medium to low: Starlette writes \`SameSite=lax\`
into the cookie's \`Set-Cookie\` header itself, so current browsers keep it off cross-site posts,
though not off a cross-site top-level GET (a view that changes state on GET is still open) nor off
requests from a sibling subdomain, which is same-site. \`same_site="none"\`, or a value the scan
cannot read, keeps the severity. The hint names the setting. A login cookie the app sets itself is judged by the calls that set it
(\`response.set_cookie("access_token", token, httponly=True)\`), where that cookie is the app's only
credential: every attribute the cookie gets is written at the call, and one that leaves \`samesite\`
out gets Starlette's \`lax\` in its \`Set-Cookie\` header, so the finding is lowered one step
(to low where every call sets \`samesite="strict"\`), with the call in the hint; a call that sets
\`samesite="none"\`, or a value the scan cannot read, keeps it high. Where the call is in a helper of the
project that takes the cookie's name as a parameter (\`_set_cookie(name=..., samesite=samesite)\`), each
caller that names a login cookie counts, with the \`samesite\` it passes on; an OAuth round trip's
cookie (\`oauth_state\`, \`nonce\`, \`code_verifier\`) is no login cookie.

An app without cookie sessions is reported (medium) when its own code asks browsers for an HTTP
Basic password (its module, the modules it imports, and those of its middleware: a challenge that
guards another app of the project does not count): a 401 answer with \`WWW-Authenticate: Basic\` written out (\`HTTPException(401,
headers={"WWW-Authenticate": "Basic"})\`, a middleware's \`Response\`), or a dependency on FastAPI's
\`HTTPBasic()\` left to raise its own error (\`auto_error\` on). The browser caches the password and
sends it by itself. \`HTTPBasic(auto_error=False)\` whose failures answer \`WWW-Authenticate: Bearer\`
asks for nothing, nor does a Basic challenge in a view named for a token (\`def token_login(creds =
Depends(HTTPBasic()))\`): it trades a password for a header token, called from script.

A root app whose own routes all answer only GET, HEAD or OPTIONS (a redirect, a health check), that
includes no router and mounts only other Starlette or FastAPI apps of the project
(\`app.mount("/admin", dashboard_app)\`, also through a package that re-exports them), is not reported:
each mounted app is judged by itself.

Where every endpoint of the app that accepts a state-changing request without a check signs users
in (\`@app.post("/login")\`), the finding is of low severity: a forged post can at worst log the
user into the attacker's account (login CSRF), as CSRF401 ranks login forms.

A middleware of the project's own that refuses requests without a header of the app's own counts as a
CSRF check, and the app is not reported: an ASGI class whose \`__call__\` (or a \`BaseHTTPMiddleware\`
whose \`dispatch\`) reads \`request.headers.get("Notebook-Server-Token")\`, tests what it read, and
answers with a 4xx response or raises. A cross-site form cannot set a header, and a script on another
site needs the app's CORS consent to. Headers the browser sends by itself (\`Cookie\`, \`Authorization\`,
which carries a cached Basic password), CORS-safelisted ones and those a proxy adds (\`X-Forwarded-Proto\`)
do not count, nor does a header only logged, nor one that traces a request (\`X-Trace-Id\`,
\`X-Request-ID\`, \`traceparent\`), which a middleware makes up when it is missing.

An app whose only state-changing views come from a library that mounts a sub-application of its own,
behind its own CSRF middleware, is not reported: starlette-admin's \`admin.mount_to(app)\` (from 1.0 the
admin app checks a signed double-submit token), with no state-changing endpoint of the host's own.
An app with endpoints of its own is judged on them as usual.

A check csrflint cannot judge lowers the severity, and the hint names it: a WTForms CSRF class of
the project's own (low), or a middleware of the project's own named for CSRF (medium).

${SESSION_IS_NOT_ALWAYS_A_LOGIN}`,
    whyItMatters: `A session cookie is sent with every request the browser makes to the app, including those another
web site makes it send: a form on any page can post to the app as the logged-in user.`,
    example: `from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")
`,
    useInstead: `from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette_csrf import CSRFMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="change-me")
app.add_middleware(CSRFMiddleware, secret="change-me")
`,
    whenItIsFine: `The session holds nothing that authenticates a user (csrflint cannot tell what a library such as an
OAuth client stores in it), or every state-changing endpoint checks a token itself. Record why at
the application.`,
    references: [
      { title: 'starlette-csrf', url: 'https://github.com/frankie567/starlette-csrf' },
      { title: 'fastapi-csrf-protect', url: 'https://github.com/aekasitt/fastapi-csrf-protect' },
      { title: 'Starlette: SessionMiddleware', url: 'https://www.starlette.io/middleware/#sessionmiddleware' },
    ],
  },
  check({ project, report }) {
    const projectsValidating = projectsUsingFastapiCsrfProtect(project);
    const wtfChecks = starletteWtfChecks(project);
    for (const app of findApplications(project, STARLETTE_APPLICATIONS)) {
      const middleware = appMiddlewares(project, app);
      const wrapped = app.usage.handedTo.some((name) => CSRF_MIDDLEWARE.has(name));
      if (wrapped || middleware.some((entry) => CSRF_MIDDLEWARE.has(entry.name)) || projectsValidating.has(app.module.projectRoot)) continue;
      if (headerCheckingMiddleware(project, middleware) || viewsOnlyFromProtectedMount(project, app) || onlySafeRoutesAndMountedApps(project, app)) continue;
      const wtf = middleware.find((entry) => entry.name === STARLETTE_WTF.middleware);
      const wtfEnabled = wtf !== undefined && !isTurnedOff(project, wtf);
      if (wtfEnabled && wtfChecks.has(app.module.projectRoot)) continue;
      const framework = project.isSubclassOf(app.className, FASTAPI_APPLICATION) ? 'FastAPI' : 'Starlette';
      const defences = otherDefences(project, app, middleware, wtf);
      const sessionMiddleware = middleware.find((entry) => SESSION_MIDDLEWARE.has(entry.name));
      const session = sessionMiddleware ? sessionAppCredentials(project, app, 'SessionMiddleware') : undefined;
      if (sessionMiddleware && session) {
        const message = `${framework} application ${describeApplication(app)} keeps sessions in a cookie (SessionMiddleware), and no CSRF middleware or fastapi-csrf-protect check was found`;
        const signIn = app.usage.unlistedViewsFrom.length === 0 ? signInOnlyExposure(app.usage.unsafeViews.filter((view) => !view.guarded)) : undefined;
        const sameSite = cookieSameSite(project, app, session.credentials, sessionMiddleware);
        const hint = `${session.hint}; ${signIn?.hint ?? defences.hint}${sameSite ? `; but ${describeSameSite(sameSite)}` : ''}`;
        report({ file: app.module, range: app.call.range, message, hint, severity: lowerForSameSite(lowestSeverity(defences.severity, session.severity, signIn?.severity).severity ?? RULE_SEVERITY, sameSite) });
        continue;
      }
      const cookie = loginCookieCredentials(project, app);
      if (cookie) {
        const message = `${framework} application ${describeApplication(app)} signs users in with a cookie it sets itself, and no CSRF middleware or fastapi-csrf-protect check was found`;
        const signIn = app.usage.unlistedViewsFrom.length === 0 ? signInOnlyExposure(app.usage.unsafeViews.filter((view) => !view.guarded)) : undefined;
        const sameSite = cookieSameSite(project, app, cookie, undefined);
        const hint = `${describeCredentials(cookie)}; ${signIn?.hint ?? defences.hint}${sameSite ? `; but ${describeSameSite(sameSite)}` : ''}`;
        report({ file: app.module, range: app.call.range, message, hint, severity: lowerForSameSite(lowestSeverity(defences.severity, signIn?.severity).severity ?? RULE_SEVERITY, sameSite) });
        continue;
      }
      const basic = basicChallenge(project, app);
      if (!basic) continue;
      const message = `${framework} application ${describeApplication(app)} asks browsers for an HTTP Basic password, and no CSRF middleware or fastapi-csrf-protect check was found`;
      const hint = `${basic.what} at \`${basic.module.path}:${basic.line}\`: the browser caches the password and sends it with every request to the app, forms other sites post included; ${defences.hint}`;
      report({ file: app.module, range: app.call.range, message, hint, ...lowestSeverity(defences.severity, BASIC_SEVERITY) });
    }
  },
});

/** Calls on an app that add routes the scan does not list one by one. */
const ROUTE_ADDERS = new Set(['include_router', 'add_route', 'add_api_route', 'api_route', 'route', 'add_websocket_route', 'websocket', 'websocket_route', 'post', 'put', 'patch', 'delete']);

/**
 * A root app that serves only GET routes of its own (a redirect, a health check) and mounts the
 * project's other apps (\`app.mount("/admin", dashboard_app)\`): each mounted app is judged, and
 * reported, by itself; the root changes nothing a forged request could reach.
 */
function onlySafeRoutesAndMountedApps(project: Project, app: Application): boolean {
  const { usage } = app;
  if (usage.routes.length === 0 || usage.unsafeViews.length > 0 || usage.unlistedViewsFrom.length > 0) return false;
  if (usage.routes.some((route) => route.methods === 'unknown' || [...route.methods].some((method) => !SAFE_METHODS.has(method)))) return false;
  const mounts = usage.calls.filter(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'mount');
  if (mounts.length === 0) return false;
  const addsRoutes = usage.calls.some(({ call }) => call.callee.kind === 'attribute' && ROUTE_ADDERS.has(call.callee.attribute));
  return !addsRoutes && mounts.every(({ module, scope, call }) => {
    const mounted = call.args.find((argument) => argument.name === 'app') ?? call.args.filter((argument) => !argument.name && !argument.unpack)[1];
    if (!mounted) return false;
    const classes = project.instanceClasses(module, mounted.value, scope);
    if (classes.length > 0) return classes.every((className) => project.inheritsFrom(className, (name) => STARLETTE_APPLICATIONS.appClasses.has(name)));
    return importedFromOwnPackage(project, module, mounted.value, scope);
  });
}

/**
 * A name imported from the app's own package through a module the scan left unread (a package's
 * \`__init__\` that only re-exports \`from .api.app import app as api_app\`): a module naming neither
 * Starlette nor FastAPI creates no app, it hands one on, and the project's apps are judged themselves.
 */
function importedFromOwnPackage(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind !== 'name') return false;
  const name = project.resolve(module, expr, scope);
  const ownPackage = module.name.split('.')[0];
  return name !== undefined && ownPackage !== undefined && name.startsWith(`${ownPackage}.`) && project.findDefinition(name) === undefined;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What else may guard the app, for the hint, and how far that lowers the severity. */
function otherDefences(project: Project, app: Application, middleware: AppMiddleware[], wtf: AppMiddleware | undefined): { hint: string; severity?: Severity } {
  if (wtf && isTurnedOff(project, wtf)) return { hint: '`CSRFProtectMiddleware(enabled=False)` turns starlette-wtf\'s checks off' };
  if (wtf) return { hint: "starlette-wtf's CSRFProtectMiddleware checks nothing by itself: no endpoint uses @csrf_protect and no StarletteForm subclass is defined in the project" };
  const formCsrf = wtformsCsrfClass(project, app.module.projectRoot);
  if (formCsrf) {
    return { severity: 'low', hint: `the project's forms check a CSRF token (WTForms \`${formCsrf}\`): if every state-changing endpoint validates such a form, record why here` };
  }
  const ownMiddleware = middleware.find((entry) => project.isScannedName(entry.name) && namesCsrf(entry.name));
  if (ownMiddleware) {
    return { severity: 'medium', hint: `\`${ownMiddleware.name}\` is named for CSRF but csrflint cannot tell what it checks: if it rejects requests without a valid token, record why here` };
  }
  return { hint: 'a token checked by hand in each endpoint is not seen: check the state-changing endpoints' };
}

/**
 * An app with no session middleware whose own code issues or reads a cookie named for a credential
 * (`response.set_cookie("access_token", ...)` at login, `request.cookies.get("access_token")` in a
 * dependency), or takes an API key from a cookie: the browser sends that cookie by itself.
 */
function loginCookieCredentials(project: Project, app: Application): AppCredentials | undefined {
  const credentials = ambientCredentialsOf(project, app);
  return credentials.ambient.includes('other-cookie') ? credentials : undefined;
}

/**
 * What keeps the app's only credential off cross-site requests: the session middleware's
 * `same_site`, written out or Starlette's default, where the session cookie is it; the SameSite of the login cookie the app
 * sets itself, where that cookie is.
 */
function cookieSameSite(project: Project, app: Application, credentials: AppCredentials, sessionMiddleware: AppMiddleware | undefined): SameSiteSetting | undefined {
  const { ambient } = credentials;
  if (ambient.length === 0) return undefined;
  if (sessionMiddleware && ambient.every((credential) => credential === 'session-cookie')) return sessionMiddlewareSameSite(project, sessionMiddleware);
  return ambient.every((credential) => credential === 'other-cookie') ? loginCookieSameSite(project, app) : undefined;
}

/** Starlette's \`SessionMiddleware(same_site="lax")\`: the attribute its cookie gets when the option is left out. */
const SESSION_MIDDLEWARE_DEFAULT_SAME_SITE: SameSiteLevel = 'lax';

/**
 * \`SessionMiddleware(..., same_site="strict")\` or \`same_site="lax"\` written out, or the option left
 * out: Starlette then writes \`SameSite=lax\` into the cookie's \`Set-Cookie\` header itself, so the
 * browser keeps it off cross-site posts as it would an explicit one. \`same_site="none"\`, or a
 * value the scan cannot read, keeps the finding as it is.
 */
function sessionMiddlewareSameSite(project: Project, middleware: AppMiddleware): SameSiteSetting | undefined {
  const option = middleware.options.find((argument) => argument.name === 'same_site');
  if (!option) {
    const note = `which leaves \`same_site\` to Starlette's default, "${SESSION_MIDDLEWARE_DEFAULT_SAME_SITE}", written into the cookie`;
    return { setting: 'SessionMiddleware(...)', note, path: middleware.module.path, line: middleware.range.line, level: SESSION_MIDDLEWARE_DEFAULT_SAME_SITE };
  }
  const level = stringValue(project, { module: middleware.module, scope: middleware.scope, expr: option.value })?.toLowerCase();
  if (level !== 'strict' && level !== 'lax') return undefined;
  return { setting: `same_site="${level}"`, path: middleware.module.path, line: option.range.line, level };
}

/** `Middleware(CSRFProtectMiddleware, enabled=False)`. */
function isTurnedOff(project: Project, middleware: AppMiddleware): boolean {
  const enabled = middleware.options.find((argument) => argument.name === 'enabled');
  return enabled !== undefined && truthiness(project, { module: middleware.module, scope: middleware.scope, expr: enabled.value }) === 'falsy';
}

/** The project roots where starlette-wtf checks something: an endpoint with `@csrf_protect`, or a `StarletteForm` subclass. */
function starletteWtfChecks(project: Project): Set<string> {
  const roots = new Set<string>();
  for (const module of project.modules) {
    for (const definition of module.facts.definitions) {
      const decorated = definition.decorators.some(({ expression }) => project.resolve(module, expression, definition.scope) === STARLETTE_WTF.decorator);
      const isForm = definition.kind === 'class' && project.isSubclassOf(module.symbols.definitionName(definition), new Set([STARLETTE_WTF.form]));
      if (decorated || isForm) roots.add(module.projectRoot);
    }
  }
  return roots;
}

/** A WTForms CSRF implementation of the project's own (`class CookieCSRF(wtforms.csrf.core.CSRF)`). */
function wtformsCsrfClass(project: Project, projectRoot: string): string | undefined {
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot) continue;
    for (const definition of module.facts.definitions) {
      const name = definition.kind === 'class' ? module.symbols.definitionName(definition) : undefined;
      if (name !== undefined && !WTFORMS_CSRF.has(name) && project.isSubclassOf(name, WTFORMS_CSRF)) return name;
    }
  }
  return undefined;
}
/** fastapi-csrf-protect works by `await csrf_protect.validate_csrf(request)` in endpoints: any such call counts. */
function projectsUsingFastapiCsrfProtect(project: Project): Set<string> {
  const roots = new Set<string>();
  for (const module of project.modules) {
    const validates = module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'validate_csrf');
    if (validates) roots.add(module.projectRoot);
  }
  return roots;
}
