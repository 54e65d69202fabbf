/**
 * Ambient credentials: what a browser sends by itself with every request to an application, and
 * that tells the application who the user is. CSRF abuses exactly these: a forged request carries
 * the victim's session cookie or cached HTTP Basic password, but never a token the application's
 * own JavaScript puts in a header. An application that authenticates nobody by an ambient
 * credential is no CSRF target: a forged request can do nothing the attacker could not do directly.
 *
 * The model is read from the code around an application: the module that creates it, the scanned
 * modules that import it directly (its views, its entry points) and everything those import, tests
 * and the frameworks' own code excepted.
 *
 * Which way it fails: evidence of any ambient credential wins (`ambient`); header tokens alone mean
 * no CSRF target; a cookie store, a login the scan cannot see through, or an excerpt give
 * `unknown`, which is reported (at a lower severity), because each is real evidence of browser
 * state or of missing context; only an app whose code shows none of these is `none`.
 *
 * Public API (stable; other rules and the endpoint listing use it):
 * - `ambientCredentialsOf(project, app, extra?)` → `AppCredentials`
 * - `isCsrfTarget(credentials)` → whether a finding about the app should be reported
 * - `describeCredentials(credentials)` → one phrase for a finding's message or hint
 * - `CREDENTIAL_KEYWORDS`: words a rule reading credentials adds to its `keywords`, so that the
 *   prefilter parses the files that hold them
 */
import type { Keyword } from '../prefilter.js';
import { attributeRoot, describeExpr } from '../python/describe.js';
import { walkExpr } from '../python/walk-expr.js';
import type { CallExpr, Expr, ImportStatement } from '../python/facts.js';
import { MODULE_SCOPE } from '../python/facts.js';
import { CSRF_WORDS } from './csrf-checks.js';
import { isFrameworkPackage } from './known-names.js';
import type { Project } from './project.js';
import { basicAuthSwitches } from './optional-basic-auth.js';
import { sessionHoldsNoUser } from './preference-sessions.js';
import { reachableFrom } from './reachable.js';
import type { SourceModule } from './source-module.js';
import { selfAttributeText, stringValue } from './values.js';

/** A credential the browser sends on its own: a session cookie, another cookie, or a cached HTTP Basic password. */
type AmbientCredential = 'session-cookie' | 'other-cookie' | 'http-basic';

/**
 * What one piece of code shows. Besides the ambient credentials: `header-token`, a credential the
 * client must add to each request itself (a JWT or API key in a header), which a forged request
 * cannot carry; `browser-state`, a cookie store the app keeps without the scan seeing what it holds
 * (Tornado's `cookie_secret`, a session middleware); `unseen-login`, an authentication whose means
 * the scan cannot see (a login decorator from outside the scanned code); \`anonymous-session\`, a session
 * the code only fills with preferences or a random id (see \`sessionHoldsNoUser\`), which tells what the
 * browser state is: nobody; \`optional-http-basic\`, HTTP Basic that is off unless a setting of the
 * environment is filled (see \`basicAuthSwitches\`): how the app is run decides, so it makes the app a
 * possible target (\`unknown\`) but no evidence that its users are signed in.
 */
type CredentialKind = AmbientCredential | 'header-token' | 'browser-state' | 'anonymous-session' | 'optional-http-basic' | 'unseen-login';

export interface CredentialEvidence {
  kind: CredentialKind;
  /** What was seen, for a hint: "`flask_login` imported", "`request.session` read". */
  what: string;
  /** The module's path as reported, and the line. */
  path: string;
  line: number;
}

/**
 * - `ambient`: a cookie or HTTP Basic authenticates the browser; CSRF can act as the user.
 * - `header-token-only`: only header tokens authenticate; forged requests carry none.
 * - `none`: nothing in the app's code authenticates anybody, nor keeps state in cookies.
 * - `unknown`: the app keeps browser state, or authenticates in a way the scan cannot see through,
 *   or is a snippet whose surroundings are missing.
 */
type CredentialVerdict = 'ambient' | 'header-token-only' | 'none' | 'unknown';

export interface AppCredentials {
  verdict: CredentialVerdict;
  /** The ambient credentials seen, in a fixed order; empty unless the verdict is `ambient`. */
  ambient: AmbientCredential[];
  /** Every piece of evidence, the app's own first. */
  evidence: CredentialEvidence[];
  /** The app is created in an excerpt (its framework class used without an import): what it serves is not all there. */
  excerpt: boolean;
}

/** The place an application is created: what `findApplications` returns, or a Tornado `Application(...)` call. */
export interface AppSite {
  module: SourceModule;
  call: CallExpr;
  scope: number;
}

/** Words of the code this model reads; a rule that asks for credentials adds them to its keywords. */
export const CREDENTIAL_KEYWORDS: readonly Keyword[] = [
  // `session` as the names the model reads spell it: `flask.session`, `aiohttp_session`, `SessionAuthentication`, `SESSION_TYPE`.
  { exact: 'session', wordStart: true, notBeforeCapital: true }, { exact: 'SessionAuth', wordStart: true }, 'SessionMiddleware', { exact: 'SESSION' },
  'login', 'cookie', 'authoriz', 'jwt', 'jose', 'httpauth', 'HTTPBasic', 'HTTPBearer', 'OAuth2', 'APIKey',
  'AuthTkt', 'remember', 'flask_security', 'appbuilder', 'praetorian', 'quart_auth', 'get_current_user', 'IdentityPolicy',
  'api_key', 'x-api-key', 'bearer',
];

const AMBIENT_ORDER: readonly AmbientCredential[] = ['session-cookie', 'other-cookie', 'http-basic'];

/** Whether a finding about an app that is never protected should be reported: its users may be acted for. */
export function isCsrfTarget(credentials: AppCredentials): boolean {
  return credentials.verdict === 'ambient' || credentials.verdict === 'unknown';
}

/** "its users are authenticated by a session cookie (`flask_login` imported, app/auth.py:3)" and the like. */
export function describeCredentials(credentials: AppCredentials): string {
  const [first] = credentials.evidence.filter((evidence) => (credentials.verdict !== 'ambient' || isAmbient(evidence.kind)) && evidence.kind !== 'optional-http-basic');
  const where = first ? ` (${first.what}, ${first.path}:${first.line})` : '';
  switch (credentials.verdict) {
    case 'ambient':
      return `its users are authenticated by ${joinedWithAnd(credentials.ambient.map((kind) => AMBIENT_WORDS[kind] + evidenceOf(credentials, kind)))}${optionalBasicNote(credentials)}`;
    case 'header-token-only':
      return `only tokens sent in headers authenticate its users${where}`;
    case 'none':
      return 'nothing in its code authenticates users or keeps state in cookies';
    case 'unknown':
      return `what authenticates its users cannot be seen${where}${optionalBasicNote(credentials)}`;
  }
}

/** " (`request.session` read, app/auth.py:12)": the first evidence of one credential, so that each one named is shown where it was seen. */
function evidenceOf(credentials: AppCredentials, kind: AmbientCredential): string {
  const found = credentials.evidence.find((evidence) => evidence.kind === kind);
  return found ? ` (${found.what}, ${found.path}:${found.line})` : '';
}

function joinedWithAnd(parts: string[]): string {
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Where HTTP Basic is optional and other credentials decide the verdict: when a deployment turns it
 * on, the browser also sends its cached password with cross-site requests, whatever the cookie's SameSite.
 */
function optionalBasicNote(credentials: AppCredentials): string {
  const optional = credentials.evidence.find((evidence) => evidence.kind === 'optional-http-basic');
  if (!optional) return '';
  return `; HTTP Basic credentials authenticate them where the deployment turns them on (${optional.what}, ${optional.path}:${optional.line}), and there the browser sends its cached password with cross-site requests too`;
}

const AMBIENT_WORDS: Record<AmbientCredential, string> = {
  'session-cookie': 'a session cookie',
  'other-cookie': 'a cookie',
  'http-basic': 'HTTP Basic credentials',
};

function isAmbient(kind: CredentialKind): kind is AmbientCredential {
  return (AMBIENT_ORDER as readonly string[]).includes(kind);
}

/**
 * What authenticates the users of the app created at `app`. `extra` is evidence a rule found on the
 * app itself (Tornado's `cookie_secret` among its settings, a session middleware in its list).
 */
export function ambientCredentialsOf(project: Project, app: AppSite, extra: readonly CredentialEvidence[] = []): AppCredentials {
  const excerpt = excerptEvidence(app);
  const evidence = [...extra, ...excerpt, ...appCode(project, app.module).flatMap((module) => moduleEvidence(project, module))];
  return credentialsFromEvidence(evidence, excerpt.length > 0);
}

/** The verdict the evidence gives: for settings-configured frameworks (Django), whose evidence is read from their settings. */
export function credentialsFromEvidence(evidence: CredentialEvidence[], excerpt = false): AppCredentials {
  const kinds = new Set(evidence.map((item) => item.kind));
  const ambient = AMBIENT_ORDER.filter((kind) => kinds.has(kind));
  const found = { ambient, evidence, excerpt };
  if (ambient.length > 0) return { verdict: 'ambient', ...found };
  if (kinds.has('header-token')) return { verdict: 'header-token-only', ...found };
  // A session seen to hold no user is what the session middleware keeps: that browser state is known.
  if (kinds.has('anonymous-session')) kinds.delete('browser-state');
  kinds.delete('anonymous-session');
  if (kinds.size > 0) return { verdict: 'unknown', ...found };
  return { verdict: 'none', ...found };
}

/**
 * `app = Flask(__name__)` with `Flask` never imported: an excerpt of a larger file (a snippet in a
 * review, a rule's example), whose surroundings, and what authenticates its users, are not there.
 */
function excerptEvidence({ module, call, scope }: AppSite): CredentialEvidence[] {
  const head = attributeRoot(call.callee);
  if (head.kind !== 'name' || module.symbols.lookup(head.id, scope)) return [];
  return [{ kind: 'unseen-login', what: `\`${head.id}\` used without an import: an excerpt, its surroundings unseen`, path: module.path, line: call.range.line }];
}

// ---------------------------------------------------------------------------------------------
// The code of an app

const appCodeCache = new WeakMap<Project, Map<SourceModule, SourceModule[]>>();

/**
 * The modules of an app: its own, the scanned modules that import it (its views, its entry point),
 * and everything any of these import, in the same project. Importers of importers are left out: in
 * a large package they reach every other app of it. In another package than the app's (the
 * top-level packages of its module and its importers), only imports at the top of a module are
 * followed: one inside a function runs only when that function is called, and through a library's
 * helpers (an example app borrowing \`url_path_join\` from the package it ships with) it would reach
 * every other app of that library. The app's own package is followed whole: its configuration code
 * often imports its views inside a function (\`on_app_init\`, \`create_app\`). Framework code is
 * left out too, and tests too unless the app is a test's.
 */
function appCode(project: Project, appModule: SourceModule): SourceModule[] {
  project.noteEveryModuleRead();
  let byModule = appCodeCache.get(project);
  if (!byModule) {
    byModule = new Map();
    appCodeCache.set(project, byModule);
  }
  const known = byModule.get(appModule);
  if (known) return known;
  const graph = importGraph(project);
  const importers = [appModule, ...(graph.importedBy.get(appModule) ?? [])];
  const ownPackages = new Set(importers.map(topLevelPackage));
  const importsOf = (module: SourceModule) => (ownPackages.has(topLevelPackage(module)) ? graph.imports : graph.topLevelImports).get(module) ?? [];
  const code = [...reachableFrom(importers, importsOf)].filter(
    (module) =>
      module.projectRoot === appModule.projectRoot && (module.context !== 'test' || appModule.context === 'test') && !isFrameworkPackage(module.name),
  );
  byModule.set(appModule, code);
  return code;
}

function topLevelPackage(module: SourceModule): string {
  const dot = module.name.indexOf('.');
  return dot < 0 ? module.name : module.name.slice(0, dot);
}

/** The scanned modules a module imports, at any scope of it. */
export function modulesImportedBy(project: Project, module: SourceModule): readonly SourceModule[] {
  return importGraph(project).imports.get(module) ?? [];
}

interface ImportGraph {
  imports: Map<SourceModule, SourceModule[]>;
  /** The modules a module imports at its top level (module scope), where importing it runs the import. */
  topLevelImports: Map<SourceModule, SourceModule[]>;
  importedBy: Map<SourceModule, SourceModule[]>;
}

const importGraphCache = new WeakMap<Project, ImportGraph>();

function importGraph(project: Project): ImportGraph {
  project.noteEveryModuleRead();
  const cached = importGraphCache.get(project);
  if (cached) return cached;
  const graph: ImportGraph = { imports: new Map(), topLevelImports: new Map(), importedBy: new Map() };
  for (const module of project.modules) {
    const targets = new Set(module.facts.imports.flatMap((statement) => importedModules(project, module, statement)));
    targets.delete(module);
    graph.imports.set(module, [...targets]);
    const topLevel = new Set(module.facts.imports.filter((statement) => statement.scope === MODULE_SCOPE).flatMap((statement) => importedModules(project, module, statement)));
    topLevel.delete(module);
    graph.topLevelImports.set(module, [...topLevel]);
    for (const target of targets) {
      const importers = graph.importedBy.get(target);
      if (importers) importers.push(module);
      else graph.importedBy.set(target, [module]);
    }
  }
  importGraphCache.set(project, graph);
  return graph;
}

/** The scanned modules an import statement loads: `import a.b`, `from . import views`, `from .app import app`. */
function importedModules(project: Project, module: SourceModule, statement: ImportStatement): SourceModule[] {
  const base = module.symbols.importedModule(statement);
  if (base === undefined) return [];
  const found = [project.moduleNamed(base, module)];
  if (statement.kind === 'from') found.push(...statement.names.map((name) => project.moduleNamed(`${base}.${name.importedName}`, module)));
  return found.filter((candidate): candidate is SourceModule => candidate !== undefined);
}

// ---------------------------------------------------------------------------------------------
// What one module shows

/** Libraries that authenticate by a cookie, by the first parts of the names they are imported by. */
const IMPORTED_CREDENTIALS: ReadonlyArray<readonly [string, CredentialKind]> = [
  ['flask.session', 'session-cookie'],
  ['quart.session', 'session-cookie'],
  ['flask_login', 'session-cookie'],
  ['flask.ext.login', 'session-cookie'],
  ['flask_security', 'session-cookie'],
  ['flask_user', 'session-cookie'],
  ['flask_appbuilder', 'session-cookie'],
  ['flask_session', 'session-cookie'],
  ['quart_auth', 'session-cookie'],
  ['quart_session', 'session-cookie'],
  ['aiohttp_session.get_session', 'session-cookie'],
  ['aiohttp_session.new_session', 'session-cookie'],
  ['aiohttp_security.SessionIdentityPolicy', 'session-cookie'],
  ['aiohttp_security.session_identity', 'session-cookie'],
  ['aiohttp_security.CookiesIdentityPolicy', 'other-cookie'],
  ['aiohttp_security.cookies_identity', 'other-cookie'],
  ['pyramid.authentication.AuthTktAuthenticationPolicy', 'session-cookie'],
  ['pyramid.authentication.AuthTktCookieHelper', 'session-cookie'],
  ['pyramid.authentication.SessionAuthenticationPolicy', 'session-cookie'],
  ['pyramid.authentication.SessionAuthenticationHelper', 'session-cookie'],
  ['pyramid.authentication.BasicAuthAuthenticationPolicy', 'http-basic'],
  ['pyramid.authentication.extract_http_basic_credentials', 'http-basic'],
  ['litestar.security.session_auth', 'session-cookie'],
  ['starlite.security.session_auth', 'session-cookie'],
  ['django.contrib.auth.login', 'session-cookie'],
  ['flask_httpauth.HTTPBasicAuth', 'http-basic'],
  ['flask_httpauth.HTTPDigestAuth', 'http-basic'],
  ['flask_httpauth.HTTPTokenAuth', 'header-token'],
  ['flask_httpauth.MultiAuth', 'header-token'],
  ['fastapi.security.HTTPBasic', 'http-basic'],
  ['fastapi.security.http.HTTPBasic', 'http-basic'],
  ['fastapi.security.APIKeyCookie', 'other-cookie'],
  ['fastapi.security.api_key.APIKeyCookie', 'other-cookie'],
  ['fastapi.security.OAuth2PasswordBearer', 'header-token'],
  ['fastapi.security.OAuth2AuthorizationCodeBearer', 'header-token'],
  ['fastapi.security.HTTPBearer', 'header-token'],
  ['fastapi.security.http.HTTPBearer', 'header-token'],
  ['fastapi.security.APIKeyHeader', 'header-token'],
  ['fastapi.security.api_key.APIKeyHeader', 'header-token'],
  ['fastapi.security.oauth2', 'header-token'],
  ['flask_jwt_extended', 'header-token'],
  ['flask_jwt', 'header-token'],
  ['flask_praetorian', 'header-token'],
  ['jwt', 'header-token'],
  ['jose', 'header-token'],
  ['authlib.jose', 'header-token'],
  ['authlib.integrations.flask_oauth2.ResourceProtector', 'header-token'],
  ['litestar.security.jwt', 'header-token'],
  ['pyramid_jwt', 'header-token'],
  ['litestar.contrib.jwt', 'header-token'],
  // Litestar's cookie-keeping JWT backends: `login()` sets an HttpOnly cookie their middleware reads back.
  ['litestar.security.jwt.JWTCookieAuth', 'other-cookie'],
  ['litestar.security.jwt.OAuth2PasswordBearerAuth', 'other-cookie'],
  ['litestar.security.jwt.auth.JWTCookieAuth', 'other-cookie'],
  ['litestar.security.jwt.auth.OAuth2PasswordBearerAuth', 'other-cookie'],
  ['litestar.contrib.jwt.JWTCookieAuth', 'other-cookie'],
  ['litestar.contrib.jwt.OAuth2PasswordBearerAuth', 'other-cookie'],
];

/** Calls that put a credential in a cookie even where the library otherwise reads headers. */
const CALLED_CREDENTIALS: ReadonlyMap<string, CredentialKind> = new Map([
  ['flask_jwt_extended.set_access_cookies', 'other-cookie'],
  ['flask_jwt_extended.utils.set_access_cookies', 'other-cookie'],
  ['pyramid.security.remember', 'session-cookie'],
]);

/** Tornado's signed cookies: the way a Tornado app remembers its users. */
const SIGNED_COOKIE_METHODS = new Set(['set_secure_cookie', 'get_secure_cookie', 'set_signed_cookie', 'get_signed_cookie']);

/** `request.session` (Starlette, Pyramid, Litestar, Django), `request.authorization` (Werkzeug, Pyramid: HTTP Basic). */
const READ_CREDENTIALS: ReadonlyMap<string, CredentialKind> = new Map([
  ['request.session', 'session-cookie'],
  ['request.authorization', 'http-basic'],
]);

/** A cookie or header named for who the user is, not for a preference (`theme`, `locale`) or a CSRF token. */
const CREDENTIAL_NAME = /sess|auth|token|log(ged)?_?in|user|remember|sid\b|jwt|account|ident|credential|api[-_]?key/i;
/**
 * A cookie that remembers a device or browser for a second factor (`remember_device`,
 * `trusted_browser`, `mfa_remember`): it spares a user the one-time code at their next login, and
 * signs nobody in by itself.
 */
const SECOND_FACTOR_NAME = /(remember|trust(ed)?)[-_]?(this[-_]?|my[-_]?)?(device|browser|computer)|(^|[-_.])(mfa|2fa|otp)($|[-_.])/i;

/** A cookie that holds where to go after signing in (`login_redirect`, `auth_return_to`, `login_next`): a URL, no credential. */
const NAVIGATION_NAME = /(^|[-_.])(redirect|redirect[-_]?to|return[-_]?to|next|url)$/i;

/** Standard headers whose names hold a credential word but that carry none: `User-Agent` is logged, not trusted. */
const NON_CREDENTIAL_HEADERS = new Set(['user-agent']);

/**
 * Cookies of known libraries whose names hold a credential word but that sign nobody in. JupyterHub's
 * \`jupyterhub-session-id\` is a random id that ties a browser's OAuth tokens together so that
 * logging out revokes them all; who the user is lives in other cookies. A generic name
 * (\`sessionid\`, \`session_id\`) stays a credential: most apps key their logins by it.
 */
const NON_CREDENTIAL_COOKIES = new Set(['jupyterhub-session-id']);

export function namesCredential(name: string | undefined): name is string {
  if (name === undefined || !CREDENTIAL_NAME.test(name) || CSRF_WORDS.test(name) || SECOND_FACTOR_NAME.test(name) || NAVIGATION_NAME.test(name)) return false;
  const lowered = name.toLowerCase();
  return !NON_CREDENTIAL_HEADERS.has(lowered) && !NON_CREDENTIAL_COOKIES.has(lowered);
}

/** Login decorators whose means the scan cannot see when they come from outside it. */
const LOGIN_DECORATOR = /^(login_required|requires?_login|authenticated|auth_required|requires?_auth)$/;

/** Tornado's decorator asks the handler's `get_current_user`, which is judged where it is defined. */
const TORNADO_AUTHENTICATED = 'tornado.web.authenticated';

const moduleEvidenceCache = new WeakMap<SourceModule, CredentialEvidence[]>();

/** What one module shows, for a rule that knows a module belongs to an app by other means than imports (Pyramid's `config.include("pkg.security")`). */
export function moduleCredentialEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  return moduleEvidence(project, module);
}

function moduleEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  project.noteEveryModuleRead();
  const cached = moduleEvidenceCache.get(module);
  if (cached) return cached;
  const evidence = [...importEvidence(project, module), ...baseClassEvidence(project, module), ...callEvidence(project, module), ...readEvidence(project, module), ...decoratorEvidence(project, module)];
  moduleEvidenceCache.set(module, evidence);
  return evidence;
}

function importEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  const evidence: CredentialEvidence[] = [];
  for (const statement of module.facts.imports) {
    const base = module.symbols.importedModule(statement);
    if (base === undefined || statement.level > 0) continue;
    const names = statement.kind === 'from' ? statement.names.map((name) => `${base}.${name.importedName}`) : [base];
    for (const name of statement.star ? [base] : names) {
      const kind = importedCredential(name);
      const headerPolicy = name === SESSION_IDENTITY_POLICY ? policyRequiringHeader(project, module) : undefined;
      const bound = statement.kind === 'from' ? statement.names.find((imported) => `${base}.${imported.importedName}` === name)?.boundName : undefined;
      if (headerPolicy) evidence.push({ kind: 'header-token', what: `\`${headerPolicy}.identify\` requires a header besides the session`, path: module.path, line: statement.range.line });
      else if (FLASK_SESSIONS.has(name) && bound !== undefined && sessionOnlyCarriesHandshake(module, bound)) {
        evidence.push({ kind: 'browser-state', what: `\`${name}\` only carries an OAuth handshake`, path: module.path, line: statement.range.line });
      } else if (FLASK_SESSIONS.has(name) && bound !== undefined && sessionHoldsNoUser(project, module, { kind: 'imported', name: bound }, namesCredential)) {
        evidence.push({ kind: 'anonymous-session', what: `\`${name}\` only holds preferences or a random id`, path: module.path, line: statement.range.line });
      } else if (kind) evidence.push({ kind, what: `\`${name}\` imported`, path: module.path, line: statement.range.line });
    }
    if (statement.kind === 'import') evidence.push(...frameworkModuleSessionEvidence(project, module, statement));
  }
  return evidence;
}

/**
 * `import flask` and then `flask.session["user_id"]`: the session used through the framework's
 * module, judged as an imported `session` is (a handshake's carrier, preferences only, or the user's).
 */
function frameworkModuleSessionEvidence(project: Project, module: SourceModule, statement: ImportStatement): CredentialEvidence[] {
  const imported = statement.names.find((name) => FLASK_SESSIONS.has(`${name.importedName}.session`));
  if (!imported) return [];
  const session = `${imported.boundName}.session`;
  const used = module.facts.scopes.some((scope) => scope.reads.some((read) => read === session || read.startsWith(`${session}.`)));
  if (!used) return [];
  const at = { path: module.path, line: statement.range.line };
  if (sessionOnlyCarriesHandshake(module, session)) return [{ kind: 'browser-state', what: `\`${session}\` only carries an OAuth handshake`, ...at }];
  if (sessionHoldsNoUser(project, module, { kind: 'module-attribute', module: imported.boundName }, namesCredential)) return [{ kind: 'anonymous-session', what: `\`${session}\` only holds preferences or a random id`, ...at }];
  return [{ kind: 'session-cookie', what: `\`${session}\` used`, ...at }];
}

const SESSION_IDENTITY_POLICY = 'aiohttp_security.SessionIdentityPolicy';

const FLASK_SESSIONS = new Set(['flask.session', 'quart.session']);

/** Methods of OAuth clients (Authlib, requests-oauthlib, fastapi-sso) that start or finish a handshake. */
const OAUTH_HANDSHAKE_METHODS = new Set(['authorize_redirect', 'authorize_access_token', 'authorization_url', 'fetch_token', 'get_login_redirect', 'verify_and_process']);

/**
 * A module that runs an OAuth or OIDC handshake and uses the session only to carry a value
 * across it: it stores keys (\`session["tree"] = ...\`) and takes them back once
 * (\`session.pop("tree")\`), and reads nothing else from it (\`get\`, a key read in a call, an
 * assignment or a return). Such a session remembers no user; an app that logs users in with it
 * reads it elsewhere, where it counts as usual. Flask's \`session\` must be seen filled here;
 * Starlette's \`request.session\` may be filled by the OAuth library (fastapi-sso) and only emptied here.
 */
function sessionOnlyCarriesHandshake(module: SourceModule, session: string): boolean {
  const runsHandshake = module.facts.calls.some(({ call }) => call.callee.kind === 'attribute' && OAUTH_HANDSHAKE_METHODS.has(call.callee.attribute));
  if (!runsHandshake) return false;
  const sessionReads = module.facts.scopes.flatMap((scope) => scope.reads.filter((read) => read.startsWith(`${session}.`)));
  if (sessionReads.some((read) => read !== `${session}.pop`)) return false;
  const isSession = (expr: Expr) => describeExpr(expr) === session;
  const stores = module.facts.assignments.filter(({ target }) => target.kind === 'subscript' && isSession(target.object));
  const values = [...module.facts.calls.map(({ call }) => call), ...module.facts.assignments.flatMap(({ value }) => (value ? [value] : [])), ...module.facts.returns.flatMap(({ value }) => (value ? [value] : []))];
  const readsKey = values.some((value) => [...walkExpr(value)].some((part) => part.kind === 'subscript' && isSession(part.object)));
  const filledByLibrary = session === 'request.session';
  return (stores.length > 0 || filledByLibrary) && !readsKey;
}

/**
 * The module's own subclass of aiohttp-security's `SessionIdentityPolicy` whose `identify` reads a
 * header and can answer nobody (`return None`): a forged request carries the session cookie but not
 * the header the page's JavaScript adds. `undefined` when the module also uses the policy as it is,
 * or a subclass of it trusts the cookie alone.
 */
function policyRequiringHeader(project: Project, module: SourceModule): string | undefined {
  const usedAsIs = module.facts.calls.some(({ call, scope }) => project.resolve(module, call.callee, scope) === SESSION_IDENTITY_POLICY);
  const subclasses = module.facts.definitions.filter(
    (definition) => definition.kind === 'class' && definition.bases.some((base) => base.name === undefined && project.resolve(module, base.value, definition.scope) === SESSION_IDENTITY_POLICY),
  );
  if (usedAsIs || subclasses.length === 0) return undefined;
  const identifies = subclasses.map((policy) => module.facts.definitions.find((definition) => definition.kind === 'function' && definition.name === 'identify' && definition.scope === policy.bodyScope));
  const allRequireHeader = identifies.every((identify) => identify !== undefined && readsCredentialHeader(project, module, identify.bodyScope) && mayReturnNobody(module, identify.bodyScope) && !fallsBackToCookie(project, module, identify.bodyScope));
  return allRequireHeader ? subclasses[0]!.name : undefined;
}

/** `request.headers.get("Authorization")`: a header named for a credential, read inside the scope. */
function readsCredentialHeader(project: Project, module: SourceModule, bodyScope: number): boolean {
  const scopes = module.symbols.scopesWithin(bodyScope);
  return module.facts.calls.some(
    ({ call, scope }) => scopes.has(scope) && call.callee.kind === 'attribute' && call.callee.attribute === 'get' && isNamed(call.callee.object, 'headers') && namesCredential(firstText(project, module, call, scope)),
  );
}

/**
 * `await super().identify(request)`, `await get_session(request)`, `request.cookies`: without the
 * header, the policy still identifies the browser by its cookie, so the header is optional.
 */
function fallsBackToCookie(project: Project, module: SourceModule, bodyScope: number): boolean {
  const scopes = module.symbols.scopesWithin(bodyScope);
  const cookieReads = module.facts.calls.filter(({ call, scope }) => {
    if (!scopes.has(scope)) return false;
    const { callee } = call;
    if (callee.kind === 'attribute' && callee.attribute === 'identify') return true;
    return /(?:^|\.)get_session$/.test(project.resolve(module, callee, scope) ?? '');
  });
  const [firstCookieRead] = cookieReads.map(({ call }) => call.range.line).sort((a, b) => a - b);
  if (firstCookieRead === undefined) return module.facts.scopes.some((scope) => scopes.has(scope.id) && scope.reads.some((read) => read.endsWith('.cookies') || read.includes('.cookies.')));
  // The header is required when the policy turns away a request without it (`return None`) before it reads the cookie;
  // a request that gets past an earlier `return <identity>` for the header is identified by the cookie alone.
  const [firstReturn] = module.facts.returns.filter((statement) => statement.scope === bodyScope && statement.range.line < firstCookieRead).sort((a, b) => a.range.line - b.range.line);
  return !(firstReturn?.value?.kind === 'constant' && firstReturn.value.value === null);
}

function mayReturnNobody(module: SourceModule, bodyScope: number): boolean {
  return module.facts.returns.some((statement) => statement.scope === bodyScope && statement.value?.kind === 'constant' && statement.value.value === null);
}

function importedCredential(name: string): CredentialKind | undefined {
  let best: readonly [string, CredentialKind] | undefined;
  for (const entry of IMPORTED_CREDENTIALS) {
    const [prefix] = entry;
    const matches = name === prefix || name.startsWith(`${prefix}.`);
    if (matches && (!best || prefix.length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** A class built on a library's credential class whose module is imported whole: `class Policy(authentication.BasicAuthAuthenticationPolicy)`. */
function baseClassEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  return module.facts.definitions.flatMap((definition) =>
    definition.kind !== 'class'
      ? []
      : definition.bases.flatMap((base) => {
          const name = base.name === undefined ? project.resolve(module, base.value, definition.scope) : undefined;
          const kind = name === undefined ? undefined : importedCredential(name);
          // Its import is judged already: a policy that requires a header besides the cookie is a header token.
          if (name === SESSION_IDENTITY_POLICY && policyRequiringHeader(project, module) !== undefined) return [];
          return kind ? [{ kind, what: `\`${name}\` subclassed`, path: module.path, line: definition.nameRange.line }] : [];
        }),
  );
}

/**
 * The name Flask, Quart and Starlette give their session cookie: reading it (iris-web's
 * \`request.cookies.get("session")\`) looks at the session cookie, which its SameSite setting governs, not at another cookie.
 */
const DEFAULT_SESSION_COOKIE = 'session';

function callEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  const evidence: CredentialEvidence[] = [];
  for (const { call, scope } of module.facts.calls) {
    const at = (kind: CredentialKind, what: string) => evidence.push({ kind, what, path: module.path, line: call.range.line });
    const { callee } = call;
    const method = callee.kind === 'attribute' ? callee.attribute : undefined;
    if (method !== undefined && SIGNED_COOKIE_METHODS.has(method)) at('session-cookie', `\`${method}(...)\` called`);
    else if (method === 'set_cookie' || method === 'get_cookie') {
      const name = firstText(project, module, call, scope, 'key');
      if (namesCredential(name) && !setsFlag(call)) at('other-cookie', `cookie \`${name}\` used`);
    } else if (method === 'get' && callee.kind === 'attribute' && isNamed(callee.object, 'cookies')) {
      const name = firstText(project, module, call, scope);
      if (namesCredential(name)) at(name === DEFAULT_SESSION_COOKIE ? 'session-cookie' : 'other-cookie', `cookie \`${name}\` read`);
    } else if (method === 'get' && callee.kind === 'attribute' && isNamed(callee.object, 'headers')) {
      const name = firstText(project, module, call, scope);
      if (namesCredential(name)) at('header-token', `header \`${name}\` read`);
    } else if (method === 'set_session' && callee.kind === 'attribute' && isNamed(callee.object, 'request')) {
      at('session-cookie', '`request.set_session(...)` called');
    } else {
      const name = callee.kind === 'name' || callee.kind === 'attribute' ? project.resolve(module, callee, scope) : undefined;
      const kind = name === undefined ? undefined : CALLED_CREDENTIALS.get(name);
      if (kind) at(kind, `\`${name}(...)\` called`);
    }
  }
  return evidence;
}

function readEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  const evidence: CredentialEvidence[] = [];
  for (const scope of module.facts.scopes) {
    for (const read of scope.reads) {
      const found = READ_CREDENTIALS.get(read);
      if (!found) continue;
      const owner = scope.id === MODULE_SCOPE ? undefined : module.symbols.definitionOfScope(scope.id);
      const line = owner?.nameRange.line ?? 1;
      if (found === 'session-cookie' && sessionOnlyCarriesHandshake(module, read)) {
        evidence.push({ kind: 'browser-state', what: `\`${read}\` only carries an OAuth handshake`, path: module.path, line });
        continue;
      }
      const kind = found === 'session-cookie' && sessionHoldsNoUser(project, module, { kind: 'request-attribute' }, namesCredential) ? 'anonymous-session' : found;
      const switches = kind === 'http-basic' && owner ? basicAuthSwitches(project, module, owner) : [];
      if (switches.length > 0) {
        evidence.push({ kind: 'optional-http-basic', what: `\`${read}\` checked only when ${switches.map((name) => `\`${name}\``).join(' and ')} ${switches.length > 1 ? 'are' : 'is'} set`, path: module.path, line });
      } else evidence.push({ kind, what: `\`${read}\` read`, path: module.path, line });
    }
  }
  return evidence;
}

/**
 * A login decorator from outside the scan (`@login_required` of an unknown library), or a Tornado
 * `get_current_user` that reads neither a cookie nor a header the scan recognises.
 */
function decoratorEvidence(project: Project, module: SourceModule): CredentialEvidence[] {
  const evidence: CredentialEvidence[] = [];
  for (const definition of module.facts.definitions) {
    for (const { expression, range } of definition.decorators) {
      const target = expression.kind === 'call' ? expression.callee : expression;
      const name = project.resolve(module, target, definition.scope);
      const last = name?.slice(name.lastIndexOf('.') + 1) ?? '';
      if (name === undefined || !LOGIN_DECORATOR.test(last) || project.isScannedName(name) || importedCredential(name) || name === TORNADO_AUTHENTICATED) continue;
      evidence.push({ kind: 'unseen-login', what: `\`@${last}\` from \`${name.slice(0, name.lastIndexOf('.'))}\``, path: module.path, line: range.line });
    }
    if (definition.kind === 'function' && definition.name === 'get_current_user' && !readsCredential(module, definition.bodyScope)) {
      evidence.push({ kind: 'unseen-login', what: '`get_current_user` defined', path: module.path, line: definition.nameRange.line });
    }
  }
  return evidence;
}

/**
 * `set_cookie("is_user_authorized", "true")`: a cookie set to a value written in the code is a flag
 * for the page's script, the same for every user, whatever its name: it identifies nobody.
 */
function setsFlag(call: CallExpr): boolean {
  if (call.callee.kind !== 'attribute' || call.callee.attribute !== 'set_cookie') return false;
  const value = call.args.find((argument) => argument.name === 'value') ?? call.args.filter((argument) => argument.name === undefined && !argument.unpack)[1];
  return value !== undefined && (value.value.kind === 'string' || value.value.kind === 'number' || value.value.kind === 'constant');
}

/** Whether code inside a scope reads a cookie or a header (`self.get_secure_cookie("user")`, `self.request.headers.get(...)`). */
function readsCredential(module: SourceModule, bodyScope: number): boolean {
  const scopes = module.symbols.scopesWithin(bodyScope);
  return module.facts.calls.some(({ call, scope }) => {
    if (!scopes.has(scope) || call.callee.kind !== 'attribute') return false;
    const method = call.callee.attribute;
    return SIGNED_COOKIE_METHODS.has(method) || method === 'get_cookie' || (method === 'get' && (isNamed(call.callee.object, 'headers') || isNamed(call.callee.object, 'cookies')));
  });
}

/** `request.cookies`, `self.request.headers`: an attribute chain ending in `name`. */
function isNamed(expr: Expr, name: string): boolean {
  return (expr.kind === 'attribute' && expr.attribute === name) || (expr.kind === 'name' && expr.id === name);
}

/** The text of the first positional argument, or of the keyword `keyword`. */
function firstText(project: Project, module: SourceModule, call: CallExpr, scope: number, keyword?: string): string | undefined {
  const argument = (keyword === undefined ? undefined : call.args.find((candidate) => candidate.name === keyword)) ?? call.args.find((candidate) => candidate.name === undefined && !candidate.unpack);
  if (!argument) return undefined;
  return stringValue(project, { module, scope, expr: argument.value }) ?? selfAttributeText(project, module, argument.value, scope);
}

