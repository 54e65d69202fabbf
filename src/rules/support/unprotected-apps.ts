import { type Application, type ApplicationKind, findApplications } from '../../project/applications.js';
import { type AppCredentials, type AppSite, ambientCredentialsOf, type CredentialEvidence, describeCredentials, isCsrfTarget } from '../../project/credentials.js';
import { csrfCheckingHandlers, handlerBaseCheckOf } from '../../project/handler-checks.js';
import type { Project } from '../../project/project.js';
import type { SourceModule } from '../../project/source-module.js';
import { bodyOnlyReads } from '../../project/read-only-bodies.js';
import { globalHandlerActsForNobody, globalRequestDecoratorHeaderRead } from '../../project/view-bodies.js';
import type { AppUsage, RoutedView } from '../../project/views.js';
import type { Expr, SourceRange } from '../../python/facts.js';
import { isSignInView } from '../../templates/form-purpose.js';
import { signsInThroughProtocol } from './exempt-views.js';
import type { RuleContext, Severity } from '../rule.js';

const LISTED_VIEWS = 5;

/**
 * Reports each app of a kind that serves views, is never protected, and authenticates its users by
 * something the browser sends on its own (or may: see `ambientCredentialsOf`), at its creation
 * call: the shared judgement of the Flask and Quart rules. \`sessionCookieSameSite\` answers for an
 * app whose browser sends only its session cookie by itself, which it judges from the credentials.
 */
export function reportUnprotectedApps(
  context: RuleContext,
  kind: ApplicationKind,
  framework: string,
  protectors: string,
  sessionCookieSameSite: (app: Application, credentials: AppCredentials) => SameSiteSetting | undefined = () => undefined,
  credentialNote: (app: Application) => string | undefined = () => undefined,
): void {
  for (const app of findApplications(context.project, kind)) {
    const credentials = ambientCredentialsOf(context.project, app);
    const exposure = exposureOf(context.project, app, basicReadOnlyInSignIn(context.project, app, credentials));
    if (!exposure) continue;
    // An app whose every view is known and none changes state gives CSRF nothing to do; an excerpt's views are not all known.
    if (!isCsrfTarget(credentials) || (exposure === READ_ONLY_EXPOSURE && !credentials.excerpt)) continue;
    const message = `${framework} application ${describeApplication(app)} is never protected against CSRF: no ${protectors} anywhere in the project`;
    const sameSite = credentials.verdict === 'ambient' ? sessionCookieSameSite(app, credentials) : undefined;
    const unweighed = exposure.severity ?? severityOfUncertainCredentials(credentials);
    const severity = sameSite ? { severity: lowerForSameSite(unweighed ?? 'high', sameSite) } : lowestSeverity(unweighed);
    const note = credentialNote(app);
    const hint = `${describeCredentials(credentials)}${note === undefined ? '' : `; ${note}`}; ${exposure.hint}${sameSite ? `; but ${describeSameSite(sameSite)}` : ''}`;
    context.report({ file: app.module, range: app.call.range, message, hint, ...severity });
  }
}

/** `strict`: the cookie goes with no cross-site request; `lax`: only with cross-site top-level GETs (links, redirects). */
export type SameSiteLevel = 'strict' | 'lax';

/** A setting that keeps the app's session cookie off cross-site requests (`SESSION_COOKIE_SAMESITE = "Strict"`), and where it is. */
export interface SameSiteSetting {
  setting: string;
  path: string;
  line: number;
  level: SameSiteLevel;
  /** The cookie it keeps off: "the session cookie" unless said. */
  cookie?: string;
  /** Said after where the setting is: "which leaves `samesite` to Starlette's default". */
  note?: string;
}

/** The hint's words for a SameSite setting. */
export function describeSameSite(sameSite: SameSiteSetting): string {
  const where = `\`${sameSite.setting}\` (${sameSite.path}:${sameSite.line})${sameSite.note === undefined ? '' : `, ${sameSite.note},`}`;
  const cookie = sameSite.cookie ?? 'the session cookie';
  if (sameSite.level === 'strict') return `${where} keeps ${cookie} off cross-site requests in current browsers: protect the app anyway for older browsers and for requests from a compromised subdomain`;
  return `${where} keeps ${cookie} off cross-site posts in current browsers, not off a cross-site top-level GET: protect the app anyway for views that change state on GET, for older browsers and for requests from a compromised subdomain`;
}

/**
 * A finding's severity once a SameSite session or login cookie is weighed (issue 9, the same for
 * every rule that weighs one): Strict lowers it to low; Lax one step (high to medium, medium to
 * low), as the cookie still goes with a cross-site top-level GET and with requests from a sibling
 * subdomain, which is same-site. No setting leaves it as it is.
 */
export function lowerForSameSite(severity: Severity, sameSite: SameSiteSetting | undefined): Severity {
  if (!sameSite) return severity;
  if (sameSite.level === 'strict') return 'low';
  return SEVERITY_ORDER[Math.max(0, SEVERITY_ORDER.indexOf(severity) - 1)]!;
}

/**
 * The app's only ambient credential is HTTP Basic, read by hand (\`request.authorization\`) only in
 * views named for signing in: url-abuse's \`login\` asks for the password and redirects, and no other
 * view checks it.
 */
function basicReadOnlyInSignIn(project: Project, app: Application, credentials: AppCredentials): boolean {
  if (credentials.verdict !== 'ambient' || credentials.ambient.length !== 1 || credentials.ambient[0] !== 'http-basic') return false;
  const basic = credentials.evidence.filter((evidence) => evidence.kind === 'http-basic');
  return basic.length > 0 && basic.every((evidence) => isReadInSignInView(project, app, evidence));
}

/**
 * A read's evidence is placed at the name of the function that reads (an import's, at its
 * statement); that function must be one of the app's views, not a hook run before every view
 * (scrapydweb's \`require_login\`).
 */
function isReadInSignInView(project: Project, app: Application, evidence: CredentialEvidence): boolean {
  const module = project.modules.find((candidate) => candidate.path === evidence.path);
  const owner = module?.facts.definitions.find((definition) => definition.kind === 'function' && definition.nameRange.line === evidence.line);
  return owner !== undefined && isSignInView(owner.name) && app.usage.routes.some((route) => route.definition === owner);
}

/**
 * How an unprotected app is exposed: through views that accept state-changing requests without a
 * form or token check; through views an extension or outside code adds, which cannot be listed
 * (unless the project's own handler base class checks CSRF on every request, and no view is seen unguarded);
 * or not at all as far as the scan shows (only GET views: low severity). `undefined` for a
 * protected app, and for one that serves nothing (a script borrowing an app for its database).
 */
function exposureOf(project: Project, app: Application, credentialOnlyInSignIn: boolean): { hint: string; severity?: Severity } | undefined {
  const { usage } = app;
  if (app.protected || !usage.serves) return undefined;
  // Views that check no credential, in an app whose only credential is checked in its sign-in view, are public: a forged request to them does what anybody may.
  const exposed = usage.unsafeViews.filter((view) => !view.guarded && (!credentialOnlyInSignIn || isSignInView(view.name)));
  if (credentialOnlyInSignIn && exposed.length === 0 && usage.unlistedViewsFrom.length === 0) return undefined;
  if (exposed.length > 0) {
    // A view that answers GET too and whose body only reads (confidant's GET/POST `get_user_info`) changes nothing a forged request could.
    const writing = exposed.filter((view) => !(answersGet(usage, view) && bodyOnlyReads(project, view)));
    const signIn = signInOnlyExposure(writing.length > 0 ? writing : exposed, (view) => isSignInView(view.name) || signsInThroughProtocol(project, view));
    if (signIn && usage.unlistedViewsFrom.length === 0) return signIn;
    return { hint: `views that accept state-changing requests without a form or token check: ${listedViews(examplesFirst(project, exposed))}` };
  }
  if (usage.unlistedViewsFrom.length > 0) {
    if (checkedByHandlerBase(project, app)) return undefined;
    const sources = usage.unlistedViewsFrom.slice(0, LISTED_VIEWS).map((source) => `\`${source}\``).join(', ');
    return { hint: `its views come from ${sources}, which the scan cannot list: check that their state-changing requests carry a CSRF token` };
  }
  if (usage.unsafeViews.length > 0) return undefined;
  return READ_ONLY_EXPOSURE;
}

function answersGet(usage: AppUsage, view: UnsafeView): boolean {
  return usage.routes.some((route) => route.definition === view.definition && route.methods !== 'unknown' && route.methods.has('GET'));
}

/**
 * Views the scan cannot list (an extension's), in a project whose own handler base class checks CSRF
 * on every request, and no view seen unguarded: the evidence says protected, when the app's
 * state-changing views are the base's handlers that keep its check (Indico's \`RH\` subclasses), or
 * none is seen at all.
 */
function checkedByHandlerBase(project: Project, app: Application): boolean {
  const { usage } = app;
  if (csrfCheckingHandlers(project, app.module.projectRoot).length === 0) return false;
  return usage.unsafeViews.length === 0 || usage.routes.some((route) => route.guarded && route.definition.kind === 'class' && keepsHandlerCheck(project, route));
}

/** A handler class routed as a view whose base checks CSRF, and that does not turn the check off (`CSRF_ENABLED = False`). */
function keepsHandlerCheck(project: Project, route: RoutedView): boolean {
  const check = handlerBaseCheckOf(project, route.module, route.definition);
  return check !== undefined && check.turnedOffAt === undefined;
}

/**
 * The views a hint names first are those most likely to be real gaps (issue 9): the ones that act for
 * the signed-in user (a login decorator, \`current_user\` or the session read in the body), then the
 * rest, then those that authenticate by a header token or read no user at all. Views whose body
 * and the project code it calls only read are left out, unless that leaves none.
 */
function examplesFirst(project: Project, views: readonly UnsafeView[]): UnsafeView[] {
  const writing = views.filter((view) => !bodyOnlyReads(project, view));
  const candidates = writing.length > 0 ? writing : [...views];
  const ranked = candidates.map((view, order) => ({ view, order, rank: exampleRank(project, view) }));
  return ranked.sort((first, second) => first.rank - second.rank || first.order - second.order).map(({ view }) => view);
}

type UnsafeView = AppUsage['unsafeViews'][number];

const SESSION_USER_READ = /^(current_user|session|flask_login\.current_user|g\.user)\b/;
const LOGIN_DECORATOR_NAME = /^(login_required|requires?_login|auth_required|requires?_auth|fresh_login_required|roles?_required|permission_required|admin_required)$/;

/** 0: acts for the signed-in user; 1: cannot tell; 2: a header token or no user. */
function exampleRank(project: Project, { module, definition }: UnsafeView): number {
  if (globalRequestDecoratorHeaderRead(project, module, definition) !== undefined) return 2;
  const reads = module.facts.scopes[definition.bodyScope]?.reads ?? [];
  if (definition.decorators.some(({ expression }) => LOGIN_DECORATOR_NAME.test(decoratorName(expression))) || reads.some((read) => SESSION_USER_READ.test(read))) return 0;
  return globalHandlerActsForNobody(project, { module, definition }, undefined, { localsAreNoUser: true }) === undefined ? 1 : 2;
}

function decoratorName(expression: Expr): string {
  const target = expression.kind === 'call' ? expression.callee : expression;
  if (target.kind === 'attribute') return target.attribute;
  return target.kind === 'name' ? target.id : '';
}

/** `\`login\` (app.py:12), ...` and how many more. */
function listedViews(views: ReadonlyArray<{ module: SourceModule; name: string; range: SourceRange }>): string {
  const listed = views.slice(0, LISTED_VIEWS).map((view) => `\`${view.name}\` (${view.module.path}:${view.range.line})`);
  const more = views.length > LISTED_VIEWS ? ` and ${views.length - LISTED_VIEWS} more` : '';
  return `${listed.join(', ')}${more}`;
}

/**
 * Every unchecked view (or handler) that changes state signs users in or up (`login`,
 * `LoginHandler`): a forged post can at worst sign the user into the attacker's account (login
 * CSRF), as CSRF401 ranks login forms: low. `undefined` when any other view is among them.
 */
export function signInOnlyExposure<View extends { module: SourceModule; name: string; range: SourceRange }>(views: readonly View[], signsIn: (view: View) => boolean = (view) => isSignInView(view.name)): { hint: string; severity: Severity } | undefined {
  if (views.length === 0 || !views.every(signsIn)) return undefined;
  return {
    severity: 'low',
    hint: `the only views that accept state-changing requests without a check sign users in: ${listedViews(views)}; a forged post can at worst log the user into the attacker's account (login CSRF), and nothing of the user's changes`,
  };
}

/**
 * An app that, as far as the scanned code shows, accepts no POST, PUT, PATCH or DELETE: a finding
 * about it is of low severity. The rules of frameworks that list handlers their own way use it too.
 */
export const READ_ONLY_EXPOSURE = {
  hint: 'no view of this app accepts POST, PUT, PATCH or DELETE in the scanned code: if it has none, CSRF cannot change anything',
  severity: 'low',
} as const satisfies { hint: string; severity: Severity };

/** `app`, `app` in `create_app()`, `self.app` of `Server`, or the factory that returns it. */
export function describeApplication(app: Application): string {
  const { slot } = app;
  if (slot === undefined) return 'created here';
  if (slot.endsWith('()')) return `returned by \`${lastPart(slot.slice(0, -2))}()\``;
  const local = /\.([^.]+)\.<locals>\.([^.]+)$/.exec(slot);
  if (local) return `\`${local[2]}\` in \`${local[1]}()\``;
  const owner = slot.slice(0, slot.lastIndexOf('.'));
  const ownerIsClass = app.module.facts.definitions.some((definition) => definition.kind === 'class' && app.module.symbols.definitionName(definition) === owner);
  return ownerIsClass ? `\`self.${lastPart(slot)}\` of \`${lastPart(owner)}\`` : `\`${lastPart(slot)}\``;
}

function lastPart(qualifiedName: string): string {
  return qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1);
}

/** The rule docs of apps that keep sessions say when a session is not reported. */
export const SESSION_IS_NOT_ALWAYS_A_LOGIN = `A session is not always a login: where the app's code (its module, the modules that import it and
what they import) authenticates users only by tokens in headers (\`OAuth2PasswordBearer\`,
\`HTTPBearer\`, a JWT library, an \`Authorization\` header read by hand) and never reads the session
itself, the session holds an OAuth handshake or flash messages, a forged request carries no
credential, and the app is not reported. Nor is an app whose code uses the session only by keys
written in the code that name nobody (\`request.session["theme"]\`) or that only ever receive a
fresh random value (\`request.session["id"] = str(uuid.uuid4())\`, the id NiceGUI keys each
browser's storage by), with no view that signs anybody in: that session remembers a browser, not a user. When nothing in the code reads the session or a login
cookie, and no header token is seen either, the finding is of medium severity.`;

/**
 * What authenticates the users of an app known to keep a session (`what`: "SessionMiddleware"):
 * `undefined` when only header tokens do, and the session holds something else (an OAuth
 * handshake's state, flash messages). With the session's use unseen, the severity is medium.
 */
export function sessionAppCredentials(
  project: Project,
  app: AppSite,
  what: string,
  keeps: 'browser-state' | 'session-cookie' = 'browser-state',
  extra: readonly CredentialEvidence[] = [],
): { credentials: AppCredentials; severity?: Severity; hint: string } | undefined {
  const kept = { kind: keeps, what: keeps === 'session-cookie' ? `${what} remembers users in a cookie` : `${what} keeps a session`, path: app.module.path, line: app.call.range.line };
  const credentials = ambientCredentialsOf(project, app, [kept, ...extra]);
  if (!isCsrfTarget(credentials)) return undefined;
  const hint = credentials.verdict === 'ambient' ? describeCredentials(credentials) : 'no code of the app reads the session or a login cookie: if the session authenticates nobody, forged requests carry nothing to abuse';
  const severity = severityOfUncertainCredentials(credentials);
  return { credentials, hint, ...(severity ? { severity } : {}) };
}

/**
 * Medium when the scan cannot tell whether the app's users are known by what the browser sends on
 * its own: the app may be a CSRF target, and the rule's own severity assumes it is.
 */
export function severityOfUncertainCredentials(credentials: AppCredentials): Severity | undefined {
  return credentials.verdict === 'unknown' ? 'medium' : undefined;
}

const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high'];

/** The lower of the severities given; `{}` when none is. */
export function lowestSeverity(...severities: Array<Severity | undefined>): { severity?: Severity } {
  const given = severities.filter((severity): severity is Severity => severity !== undefined);
  if (given.length === 0) return {};
  return { severity: given.reduce((lowest, severity) => (SEVERITY_ORDER.indexOf(severity) < SEVERITY_ORDER.indexOf(lowest) ? severity : lowest)) };
}
