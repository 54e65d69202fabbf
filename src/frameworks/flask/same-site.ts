import { type Application, type ApplicationKind, findApplications } from '../../project/applications.js';
import { type AppCredentials, ambientCredentialsOf } from '../../project/credentials.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { stringValue } from '../../project/values.js';
import type { Expr } from '../../python/facts.js';
import { walkExpr } from '../../python/walk-expr.js';
import type { RuleContext, RuleReport, Severity } from '../../rules/rule.js';
import { describeSameSite, lowerForSameSite, type SameSiteLevel, type SameSiteSetting } from '../../rules/support/unprotected-apps.js';
import { type ConfigWrite, flaskConfigWrites } from './config-writes.js';
import { FLASK_APPLICATIONS } from './names.js';

const SESSION_SAMESITE = 'SESSION_COOKIE_SAMESITE';
const REMEMBER_SAMESITE = 'REMEMBER_COOKIE_SAMESITE';
const LOGIN_USER = new Set(['flask_login.login_user', 'flask_login.utils.login_user']);

/**
 * The setting that keeps the session cookie of the project's Flask (or Quart) apps off cross-site
 * requests: `SESSION_COOKIE_SAMESITE` set to `Strict` or `Lax` in the app's own context (production,
 * development or test), in the app's module when the project has other apps, and, where
 * Flask-Login remembers users (`login_user(user, remember=...)`), `REMEMBER_COOKIE_SAMESITE` too,
 * since the remember cookie signs the user in again by itself. `Strict` keeps the cookie off every
 * cross-site request; `Lax` still sends it on a cross-site top-level GET. The weaker of the two
 * settings is the app's.
 */
export function sameSiteOf(project: Project, application: Application, kind: ApplicationKind): SameSiteSetting | undefined {
  const { projectRoot } = application.module;
  const writes = appConfigWrites(project, application, kind, new Set([SESSION_SAMESITE, REMEMBER_SAMESITE]));
  const session = sameSiteWrite(project, writes, SESSION_SAMESITE);
  if (!session) return undefined;
  if (!remembersUsers(project, projectRoot)) return setting(session);
  const remember = sameSiteWrite(project, writes, REMEMBER_SAMESITE);
  if (!remember) return undefined;
  return session.level === 'lax' || remember.level === 'strict' ? setting(session) : setting(remember);
}

/**
 * A Quart app's: where it signs users in with Quart-Auth, its auth cookie must be set Strict or Lax
 * too, by \`QUART_AUTH_COOKIE_SAMESITE\` or \`QuartAuth(app, cookie_samesite=...)\` written out
 * (Quart-Auth's own default is not credited, as no default is); Quart's session cookie counts only
 * where the project uses the session. The weaker setting is the app's.
 */
export function quartSameSiteOf(project: Project, application: Application, kind: ApplicationKind): SameSiteSetting | undefined {
  const { projectRoot } = application.module;
  const usesSession = importsFrom(project, projectRoot, 'quart.session');
  const session = usesSession ? sameSiteOf(project, application, kind) : undefined;
  if (usesSession && !session) return undefined;
  if (!importsFrom(project, projectRoot, 'quart_auth')) return session;
  const configured = sameSiteWrite(project, appConfigWrites(project, application, kind, new Set([QUART_AUTH_SAMESITE])), QUART_AUTH_SAMESITE);
  const auth = configured ? setting(configured) : quartAuthKeyword(project, projectRoot);
  if (!auth) return undefined;
  return session?.level === 'lax' ? session : auth;
}

const QUART_AUTH_SAMESITE = 'QUART_AUTH_COOKIE_SAMESITE';
const QUART_AUTH_CLASSES = new Set(['quart_auth.QuartAuth', 'quart_auth.AuthManager']);

/** `QuartAuth(app, cookie_samesite="Strict")`: every such call in the project says Strict or Lax. */
function quartAuthKeyword(project: Project, projectRoot: string): SameSiteSetting | undefined {
  let weakest: SameSiteSetting | undefined;
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot) continue;
    for (const { call, scope } of module.facts.calls) {
      if (!QUART_AUTH_CLASSES.has(project.resolve(module, call.callee, scope) ?? '')) continue;
      const option = call.args.find((argument) => argument.name === 'cookie_samesite');
      const level = option && stringValue(project, { module, scope, expr: option.value })?.toLowerCase();
      if (level !== 'strict' && level !== 'lax') return undefined;
      if (weakest?.level !== 'lax') weakest = { setting: `cookie_samesite="${level === 'strict' ? 'Strict' : 'Lax'}"`, path: module.path, line: option!.range.line, level };
    }
  }
  return weakest;
}

function importsFrom(project: Project, projectRoot: string, prefix: string): boolean {
  return project.modules.some(
    (module) =>
      module.projectRoot === projectRoot &&
      module.context !== 'test' &&
      module.facts.imports.some((statement) => {
        const base = module.symbols.importedModule(statement) ?? '';
        const names = statement.kind === 'from' ? statement.names.map((name) => `${base}.${name.importedName}`) : [base];
        return names.some((name) => name === prefix || name.startsWith(`${prefix}.`));
      }),
  );
}

/**
 * The writes of \`keys\` that reach the app: a setting made for another context (a DevelopmentConfig)
 * does not reach the app's own; with other apps in the project, which app a setting elsewhere is
 * for is not known: only its own module's count.
 */
function appConfigWrites(project: Project, application: Application, kind: ApplicationKind, keys: ReadonlySet<string>): ConfigWrite[] {
  const app = application.module;
  const sharesItsProject = findApplications(project, kind).some((other) => other.module.projectRoot === app.projectRoot && (other.module !== app || other.call.range.line !== application.call.range.line));
  return flaskConfigWrites(project, keys).filter((write) => write.value.module.projectRoot === app.projectRoot && write.context === app.context && (!sharesItsProject || write.value.module === app));
}

function setting({ write, level }: { write: ConfigWrite; level: SameSiteLevel }): SameSiteSetting {
  return { setting: `${write.key} = "${level === 'strict' ? 'Strict' : 'Lax'}"`, path: write.value.module.path, line: write.range.line, level };
}

/** The first write of `key` and its level, when every write of it says `Strict` or `Lax`: `Lax` if any does. */
function sameSiteWrite(project: Project, writes: readonly ConfigWrite[], key: string): { write: ConfigWrite; level: SameSiteLevel } | undefined {
  const ofKey = writes.filter((write) => write.key === key);
  const levels = ofKey.map((write) => stringValue(project, write.value)?.toLowerCase());
  if (ofKey.length === 0 || !levels.every((level) => level === 'strict' || level === 'lax')) return undefined;
  const laxAt = levels.indexOf('lax');
  return laxAt >= 0 ? { write: ofKey[laxAt]!, level: 'lax' } : { write: ofKey[0]!, level: 'strict' };
}

/** `login_user(user, remember=...)` or `login_user(user, True)` in the project: Flask-Login may set its remember cookie. */
function remembersUsers(project: Project, projectRoot: string): boolean {
  return project.modules.some(
    (module) =>
      module.projectRoot === projectRoot &&
      module.facts.calls.some(({ call, scope }) => {
        const remembers = call.args.some((argument) => argument.name === 'remember') || call.args.filter((argument) => argument.name === undefined).length > 1;
        return remembers && LOGIN_USER.has(project.resolve(module, call.callee, scope) ?? '');
      }),
  );
}

/**
 * The SameSite of the session cookie every Flask app of a project root gets (the weaker where they
 * differ), for the findings that belong to no one app (an exemption, a setting): \`undefined\` when
 * the root has no app, or one of its apps is known by another credential the browser sends by
 * itself, or sets no SameSite (Flask's own default sets none, and Firefox and Safari then send the
 * cookie cross-site).
 */
export function projectSessionSameSite(project: Project, projectRoot: string): SameSiteSetting | undefined {
  const apps = findApplications(project, FLASK_APPLICATIONS).filter((app) => app.module.projectRoot === projectRoot && app.module.context !== 'test');
  let weakest: SameSiteSetting | undefined;
  for (const app of apps) {
    const credentials = ambientCredentialsOf(project, app);
    if (credentials.verdict !== 'ambient' || !sessionCookieIsAllTheBrowserSends(project, projectRoot, credentials)) return undefined;
    const sameSite = sessionSameSiteNotingBasic(sameSiteOf(project, app, FLASK_APPLICATIONS), credentials);
    if (!sameSite) return undefined;
    if (weakest?.level !== 'lax') weakest = sameSite;
  }
  return weakest;
}

/**
 * Whether the session cookie is the only credential the browser sends to the project's apps by
 * itself: every ambient credential is the session cookie, or HTTP Basic read from the request
 * (\`request.authorization\`) in a project that never asks the browser for a Basic password. A browser
 * sends Basic credentials on its own only to a site whose 401 asked for them; without such an
 * answer, what the app reads is a header a script wrote.
 */
/** The app's SameSite setting, saying in the hint why the HTTP Basic it reads does not count, where it reads some. */
export function sessionSameSiteNotingBasic(sameSite: SameSiteSetting | undefined, credentials: AppCredentials): SameSiteSetting | undefined {
  if (!sameSite || !credentials.ambient.includes('http-basic')) return sameSite;
  return { ...sameSite, note: 'and no code of the project asks a browser for an HTTP Basic password, so no browser sends one by itself' };
}

export function sessionCookieIsAllTheBrowserSends(project: Project, projectRoot: string, credentials: AppCredentials): boolean {
  return credentials.ambient.every((credential) => credential === 'session-cookie' || (credential === 'http-basic' && !asksForBasic(project, projectRoot)));
}

const BASIC_CHALLENGE_HEADER = 'www-authenticate';
/** Flask-HTTPAuth answers 401 with a challenge; Werkzeug's \`Unauthorized(www_authenticate=...)\` writes one. */
const CHALLENGING_PACKAGE = 'flask_httpauth';
const CHALLENGE_KEYWORD = 'www_authenticate';

/** A module of the project that writes a \`WWW-Authenticate\` header, names Werkzeug's \`www_authenticate\`, or imports Flask-HTTPAuth. */
export function asksForBasic(project: Project, projectRoot: string): boolean {
  if (importsFrom(project, projectRoot, CHALLENGING_PACKAGE)) return true;
  return project.modules.some((module) => module.projectRoot === projectRoot && module.context !== 'test' && writesChallenge(module));
}

function writesChallenge(module: SourceModule): boolean {
  const { calls, assignments } = module.facts;
  const roots: Expr[] = [...calls.map(({ call }) => call), ...assignments.flatMap(({ target, value }) => (value ? [target, value] : [target]))];
  if (calls.some(({ call }) => call.args.some((argument) => argument.name === CHALLENGE_KEYWORD))) return true;
  // Each call is a root of its own: walking into a nested one would read it twice.
  return roots.some((root) => {
    for (const part of walkExpr(root, (inner) => inner === root || inner.kind !== 'call')) {
      if (part.kind === 'string' && part.value.toLowerCase() === BASIC_CHALLENGE_HEADER) return true;
      if (part.kind === 'attribute' && part.attribute === CHALLENGE_KEYWORD) return true;
    }
    return false;
  });
}

/**
 * The rule context of a Flask rule whose findings belong to no one app (an exemption, a setting
 * that turns a check off): each finding is lowered by the SameSite of its project's session cookie
 * (\`lowerForSameSite\`), and its hint names the setting. A finding already low, hidden as guarded,
 * or outside production (a testing config sets its own cookie, not the production apps') is left as it is.
 */
export function weighingSessionSameSite(context: RuleContext, ruleSeverity: Severity): RuleContext {
  const byRoot = new Map<string, SameSiteSetting | undefined>();
  const sameSiteOfRoot = (projectRoot: string): SameSiteSetting | undefined => {
    if (!byRoot.has(projectRoot)) byRoot.set(projectRoot, projectSessionSameSite(context.project, projectRoot));
    return byRoot.get(projectRoot);
  };
  const report = (finding: RuleReport): void => {
    const severity = finding.severity ?? ruleSeverity;
    const production = (finding.context ?? finding.file.context) === 'production';
    const sameSite = !production || severity === 'low' || finding.guard !== undefined ? undefined : sameSiteOfRoot(finding.file.projectRoot);
    if (!sameSite) return context.report(finding);
    const words = `the session cookie is SameSite: ${describeSameSite(sameSite)}`;
    context.report({ ...finding, severity: lowerForSameSite(severity, sameSite), hint: finding.hint === undefined ? words : `${finding.hint}; ${words}` });
  };
  return { ...context, report };
}

/** The rule docs of the Flask rules that use \`weighingSessionSameSite\` say how SameSite weighs. */
export const SESSION_SAME_SITE_DOC = `A session cookie set SameSite lowers the finding, as it does for every Flask and Starlette rule:
\`SESSION_COOKIE_SAMESITE = "Strict"\` in the config of the project's Flask apps to low, \`"Lax"\` one
step (high to medium, medium to low), and the hint names the setting. Lax still lets the cookie go
with a cross-site top-level GET (a view that changes state on GET stays open) and with requests from
a sibling subdomain, which is same-site. Flask's default sets no SameSite and is not credited: Firefox
and Safari then send the cookie with cross-site posts. Where Flask-Login remembers users, its
\`REMEMBER_COOKIE_SAMESITE\` must be set too; where the browser sends another credential by itself
(HTTP Basic the app asks for, another cookie), nothing is lowered.`;
