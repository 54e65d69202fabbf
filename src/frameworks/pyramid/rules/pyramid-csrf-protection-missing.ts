import type { CallExpr, Expr } from '../../../python/facts.js';
import { packagesOf } from '../../../project/known-names.js';
import { MODULE_SCOPE } from '../../../python/facts.js';
import { type Application, findApplications } from '../../../project/applications.js';
import { CREDENTIAL_KEYWORDS, type CredentialEvidence, moduleCredentialEvidence } from '../../../project/credentials.js';
import type { Project } from '../../../project/project.js';
import { answersOnlySafeMethods, type CallSiteIn, csrfCheckingSubscriber, includeTarget, keywordArgument, PYRAMID_CONFIGURATORS } from '../configuration.js';
import { type PyramidView, statefulPyramidViews, unjudgedAddedViews } from '../views.js';
import type { SourceModule } from '../../../project/source-module.js';
import { truthiness } from '../../../project/values.js';
import { defineRule, type RuleReport, type Severity } from '../../../rules/rule.js';
import { describeSameSite, lowerForSameSite, lowestSeverity, READ_ONLY_EXPOSURE, type SameSiteSetting, SESSION_IS_NOT_ALWAYS_A_LOGIN, sessionAppCredentials, signInOnlyExposure } from '../../../rules/support/unprotected-apps.js';
import { authTktSameSite } from '../authtkt-same-site.js';

/** Session packages included from outside the scan: `pyramid_beaker`, `pyramid_redis_sessions`, `pyramid_nacl_session`... */
const SESSION_PACKAGE = /session|beaker/i;
const VIEW_CONFIG = 'pyramid.view.view_config';
const AUTHTKT = { policy: 'pyramid.authentication.AuthTktAuthenticationPolicy', helper: 'pyramid.authentication.AuthTktCookieHelper' } as const;

export default defineRule({
  id: 'pyramid-csrf-protection-missing',
  code: 'CSRF302',
  title: 'Pyramid application with sessions or cookie login and no default CSRF check',
  severity: 'high',
  framework: 'pyramid',
  judges: 'project',
  fix: 'Call config.set_default_csrf_options(require_csrf=True) where the Configurator is set up.',
  // Views are judged one by one: their declarations, the schemas and checks they call.
  // Route names are constants in modules of their own (`API_ROUTE_NAME = "api"`), read to tell which routes a header authenticates.
  keywords: ['Configurator', 'subscriber', 'set_default_csrf_options', 'beaker', 'includeme', 'AuthTkt', 'view_config', 'request_method', { exact: 'permission' }, 'csrf', '_view(', { exact: 'ROUTE' }, ...CREDENTIAL_KEYWORDS],
  packages: packagesOf(PYRAMID_CONFIGURATORS.appClasses),
  doc: {
    whatItFinds: `A Pyramid \`Configurator(...)\` (or an instance of a subclass) whose configuration keeps sessions
(\`Configurator(session_factory=...)\`, \`config.set_session_factory(...)\`, or an included session
package such as \`pyramid_beaker\`) or remembers users in an AuthTkt cookie
(\`AuthTktAuthenticationPolicy\`, or a policy of the project's holding an \`AuthTktCookieHelper\` or an
\`AuthTktAuthenticationPolicy\` it hands requests to), but never
calls \`config.set_default_csrf_options(...)\` to turn the check on. Pyramid checks no CSRF token by
default.

Each Configurator is judged by what its configuration reaches: its own calls, the helpers it is
passed to, and the \`includeme\` of every module it includes (\`config.include(".sessions")\`,
\`config.include(__name__)\`), followed through factories that return it. An \`includeme\` that no
Configurator can be shown to include (one listed in the \`pyramid.includes\` setting, or included
under a computed name) is counted for every Configurator of the project, outside tests, that is
given \`settings=\` or includes a computed name. A test's \`set_default_csrf_options\` does not
protect the application, and a test's bare \`Configurator()\` is not reported for the application's
sessions. A \`set_default_csrf_options(require_csrf=False)\` is reported by
\`pyramid-csrf-disabled\`, not here.

Reported at the \`Configurator(...)\` call; the hint names the views that may change state for a
user without a check. When every view of the project answers only GET or HEAD, the finding is of low
severity. When an AuthTkt cookie is all the browser sends by itself (no session factory), its
SameSite lowers the severity: Strict to low, Lax one step. Pyramid 1.10 and later write
\`SameSite=Lax\` into that cookie by default, so a policy or helper that leaves \`samesite\` out counts
as Lax; one that passes \`samesite=None\` counts as nothing. Every AuthTkt policy or helper of the
project counts, the weakest wins.

Not reported when the project checks CSRF its own way on every view that may change state (one
declared by \`@view_config\`, or by a decorator of the project's own named like it, such as
\`@mgmt_view\`, that names an unsafe \`request_method\`, or names none and reads the request's body,
or is a class, or a Cornice service view of an unsafe method; a view that names no method and only
reads what it is sent, to show it back, changes nothing): each view sets \`require_csrf=True\` or \`check_csrf=True\`, or \`xhr=True\` (a header
no cross-site form can send); or calls a check (\`check_csrf_token(request)\`); or validates a
colander schema that checks the token (a \`validator\` that calls a check, or one of a node named for
CSRF that rejects a mismatch; a node built with such a \`validator=\` function; \`pyramid_deform.CSRFSchema\`);
or is wrapped in a decorator of the project's, a function or an instance of a class (RhodeCode's
\`@CSRFRequired()\`), that checks the token before it calls the view;
or is a Cornice service view whose \`schema=\` is such a schema or one of whose \`validators=\` checks the
token (Cornice validates both before the view runs); or is a form view whose class (or a
scanned base) binds the session's token to its schema (\`schema.bind(csrf_token=request.session.get_csrf_token())\`)
or builds such a schema; or needs no permission and reads nothing about the user, nor hands the
request to the project's code, so it acts for nobody (an anonymous comment form). Nor when a subscriber to every
request checks the token and rejects a mismatch (\`@subscriber(NewRequest)\` or
\`config.add_subscriber(check, NewRequest)\` whose function raises or aborts and reads a value named
for CSRF, or calls a check), or a tween does (\`config.add_tween("pkg.tweens.csrf_tween_factory")\`,
the factory or the tween it returns judged the same way): Pyramid's twin of Flask's \`before_request\` hook. A view added by
\`config.add_view(view, ...)\` (named or given as a dotted string) is judged like a declared one, with the
predicates of that call (a class added with \`attr="save"\` by that method); one the scan does not hold (an installed package's) cannot be judged, so a
project that adds one is judged by the default check alone, unless the view is named for signing in
(\`pyramid_fas_openid.verify_openid\`, a \`login\`, OpenID, OAuth or SSO view), where a forged request can at
worst sign the user into the attacker's account. When the only views that may change state unchecked
sign users in (\`login\`, \`register\`), the finding is of low severity: login CSRF at worst.

Nor is a view declared on a route whose users only a request header authenticates: a per-route
policy of the project that pairs the route's name with a header policy (\`policy.add_policy(API_ROUTE,
JWTAuthenticationPolicy(secret, http_header="X-Token"))\`) and with nothing else. The route is read
from the view's \`route_name=\` or from the settings a project's subclass of \`view_config\` gives every
view it declares. A forged request to such a view carries no credential, whatever cookie logs users
into the other routes.

A Configurator that includes another package's application (\`config.include("core")\` in a
customisation package's \`main\`) is judged with the included package's views; when every unchecked
view belongs to an included package whose own Configurator is reported, it is reported there once,
not again for each package that includes it.

${SESSION_IS_NOT_ALWAYS_A_LOGIN}`,
    whyItMatters: `Pyramid's session is kept in a cookie the browser sends with every request, including those a
hostile site makes it send. Until the default check is on, every view that changes state can be
triggered by another web site in the user's name.`,
    example: `from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings, session_factory=SignedCookieSessionFactory("secret"))
    config.scan()
    return config.make_wsgi_app()
`,
    useInstead: `from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory


def main(global_config, **settings):
    config = Configurator(settings=settings, session_factory=SignedCookieSessionFactory("secret"))
    config.set_default_csrf_options(require_csrf=True)
    config.scan()
    return config.make_wsgi_app()
`,
    whenItIsFine: `The session holds nothing that authenticates a user (a language preference), or every
state-changing view checks a token itself with \`check_csrf_token(request)\`. Record why at the
\`Configurator(...)\` call.`,
    references: [
      { title: 'Pyramid: preventing cross-site request forgery', url: 'https://docs.pylonsproject.org/projects/pyramid/en/latest/narr/security.html#preventing-cross-site-request-forgery-attacks' },
    ],
  },
  check(context) {
    const { project } = context;
    const configurators = findApplications(project, PYRAMID_CONFIGURATORS);
    if (configurators.length === 0) return;
    const reached = new Set(configurators.flatMap((configurator) => configurator.usage.calls.map(({ call }) => call)));
    const unreached = unreachedSetups(project, reached);
    const judged: JudgedConfigurator[] = [];
    for (const configurator of configurators) {
      const own = merge(setupOf(project, configurator.usage.calls), constructorSetup(project, configurator));
      const elsewhere = mayIncludeUnseen(project, configurator) ? (unreached.get(configurator.module.projectRoot) ?? NOTHING_SET_UP) : NOTHING_SET_UP;
      const setup = merge(own, elsewhere);
      if (setup.setsDefault || !(setup.sessions || setup.cookieAuthentication)) continue;
      if (csrfCheckingSubscriber(project, configurator.module)) continue;
      // An AuthTkt cookie authenticates users by itself; a session factory may hold nothing but preferences.
      const included = includedEvidence(project, configurator);
      const session = setup.cookieAuthentication
        ? sessionAppCredentials(project, configurator, 'its AuthTkt policy', 'session-cookie', included)
        : sessionAppCredentials(project, configurator, 'its session factory', 'browser-state', included);
      // Only a cookie that is all the browser sends by itself is kept off cross-site posts by its SameSite.
      const onlyAuthTkt = setup.cookieAuthentication && !setup.sessions && session?.credentials.ambient.every((credential) => credential === 'session-cookie');
      const sameSite = onlyAuthTkt ? authTktSameSite(project, configurator.module.projectRoot) : undefined;
      const judgement = session && judgeConfigurator(context.project, configurator, setup, session, sameSite);
      if (judgement) judged.push(judgement);
    }
    const reportedRoots = new Set(judged.filter(({ configurator }) => configurator.module.context !== 'test').map(({ configurator }) => configurator.module.projectRoot));
    for (const { configurator, unguarded, finding } of judged) {
      if (!reportedAtIncludedApp(configurator, unguarded, reportedRoots)) context.report(finding);
    }
  },
});

/**
 * What the modules a Configurator includes show of its users' credentials (\`config.include("pkg.security")\`
 * sets a security policy built on \`AuthTktCookieHelper\`): they belong to the app though nothing imports them.
 */
function includedEvidence(project: Project, configurator: Application): CredentialEvidence[] {
  const modules = new Set(configurator.usage.calls.map(({ module }) => module).filter((module) => module !== configurator.module));
  return [...modules].flatMap((module) => moduleCredentialEvidence(project, module));
}

/** What the configuration of a Configurator turns on. */
interface Setup {
  sessions: boolean;
  /** An AuthTkt cookie authenticates users: as forgeable as a session. */
  cookieAuthentication: boolean;
  /** It calls `set_default_csrf_options(...)`; one that turns the check off is pyramid-csrf-disabled's to report. */
  setsDefault: boolean;
}

const NOTHING_SET_UP: Setup = { sessions: false, cookieAuthentication: false, setsDefault: false };

function merge(first: Setup, second: Setup): Setup {
  return { sessions: first.sessions || second.sessions, cookieAuthentication: first.cookieAuthentication || second.cookieAuthentication, setsDefault: first.setsDefault || second.setsDefault };
}

/** `Configurator(session_factory=..., security_policy=..., authentication_policy=...)`. */
function constructorSetup(project: Project, { module, scope, call }: Application): Setup {
  const policy = ['security_policy', 'authentication_policy'].map((name) => keywordArgument(call, name)).find((argument) => argument !== undefined);
  return {
    ...NOTHING_SET_UP,
    sessions: keywordArgument(call, 'session_factory') !== undefined,
    cookieAuthentication: policy !== undefined && usesAuthTkt(project, module, policy.value, scope),
  };
}

/**
 * The setup a Configurator reaches: its own calls, those of the helpers it is passed to and of the
 * `includeme` functions it includes. A session package included from outside the scan
 * (`config.include("pyramid_beaker")`) is known by its name.
 */
function setupOf(project: Project, calls: readonly CallSiteIn[]): Setup {
  const setup: Setup = { ...NOTHING_SET_UP };
  for (const site of calls) {
    const { module, scope, call } = site;
    if (call.callee.kind !== 'attribute') continue;
    const method = call.callee.attribute;
    const [first] = call.args;
    if (method === 'set_session_factory') setup.sessions = true;
    else if (method === 'set_default_csrf_options') setup.setsDefault = true;
    else if ((method === 'set_security_policy' || method === 'set_authentication_policy') && first) setup.cookieAuthentication ||= usesAuthTkt(project, module, first.value, scope);
    else if (method === 'include') {
      const target = includeTarget(project, module, call, scope);
      if (target?.kind === 'external' && SESSION_PACKAGE.test(target.name)) setup.sessions = true;
    }
  }
  return setup;
}

/**
 * The setup of the `includeme` functions no Configurator can be shown to include, outside tests, by
 * project root: modules listed in the \`pyramid.includes\` setting, or included under a computed
 * name (\`for name in settings["includes"]: config.include(name)\`).
 */
function unreachedSetups(project: Project, reached: ReadonlySet<CallExpr>): Map<string, Setup> {
  const byRoot = new Map<string, Setup>();
  for (const module of project.modules) {
    if (module.context === 'test') continue;
    const inIncludeme = (scope: number) => {
      const owner = module.symbols.definitionOfScope(scope);
      return owner?.kind === 'function' && owner.name === 'includeme' && owner.scope === MODULE_SCOPE;
    };
    const calls = module.facts.calls.filter(({ call, scope }) => !reached.has(call) && inIncludeme(scope)).map(({ call, scope }) => ({ module, scope, call }));
    byRoot.set(module.projectRoot, merge(byRoot.get(module.projectRoot) ?? NOTHING_SET_UP, setupOf(project, calls)));
  }
  return byRoot;
}

/**
 * A Configurator outside tests that is given the deployment's settings (which may list includes in
 * \`pyramid.includes\`) or includes something under a computed name may run an \`includeme\` the
 * scan cannot link to it.
 */
function mayIncludeUnseen(project: Project, configurator: Application): boolean {
  if (configurator.module.context === 'test') return false;
  if (keywordArgument(configurator.call, 'settings') !== undefined) return true;
  return configurator.usage.calls.some(({ module, scope, call }) => includeTarget(project, module, call, scope)?.kind === 'unknown');
}

/**
 * An `AuthTktAuthenticationPolicy`, or a policy whose class keeps an `AuthTktCookieHelper` (Pyramid
 * 2's way) or an `AuthTktAuthenticationPolicy` it hands requests to (a project's policy that picks
 * one per route): the user is remembered in a cookie the browser sends with forged requests too.
 */
function usesAuthTkt(project: Project, module: SourceModule, policy: Expr, scope: number): boolean {
  return project.instanceClasses(module, policy, scope).some((className) =>
    project.inheritsFrom(className, (name) => name === AUTHTKT.policy || createsInBody(project, name, AUTHTKT.helper) || createsInBody(project, name, AUTHTKT.policy)),
  );
}

/** Whether a scanned class's body or methods call `target` (`self.authtkt = AuthTktCookieHelper(secret)`). */
function createsInBody(project: Project, className: string, target: string): boolean {
  const site = project.findDefinition(className);
  if (site?.definition.kind !== 'class') return false;
  const { module, definition } = site;
  const scopes = module.symbols.scopesWithin(definition.bodyScope);
  return module.facts.calls.some(({ call, scope }) => scopes.has(scope) && project.resolve(module, call.callee, scope) === target);
}

/** A Configurator found wanting, and the views that make it so. */
interface JudgedConfigurator {
  configurator: Application;
  unguarded: PyramidView[];
  finding: RuleReport;
}

function judgeConfigurator(project: Project, configurator: Application, setup: Setup, session: { hint: string; severity?: Severity }, sameSite: SameSiteSetting | undefined): JudgedConfigurator | undefined {
  const roots = servedRoots(configurator);
  const modules = project.modules.filter((module) => roots.has(module.projectRoot) && module.context !== 'test');
  const optedIn = viewsRequiringCsrf(project, modules);
  const keeps = setup.sessions ? 'keeps sessions' : 'remembers users in an AuthTkt cookie';
  const message = `Pyramid application ${keeps} but never turns on the default CSRF check (set_default_csrf_options)`;
  const location = { file: configurator.module, range: configurator.call.range, message };
  if (onlySafeViews(project, modules)) return { configurator, unguarded: [], finding: { ...location, ...READ_ONLY_EXPOSURE, hint: `${session.hint}; ${READ_ONLY_EXPOSURE.hint}` } };
  const stateful = statefulPyramidViews(project, modules);
  const unguarded = stateful.filter((view) => view.guard === undefined);
  if (stateful.length > 0 && unguarded.length === 0 && unjudgedAddedViews(project, modules).length === 0) return undefined;
  const signIn = unjudgedAddedViews(project, modules).length === 0 ? signInOnlyExposure(unguarded.map((view) => ({ ...view, range: view.definition.nameRange }))) : undefined;
  if (signIn) return { configurator, unguarded, finding: { ...location, hint: `${session.hint}; ${signIn.hint}`, ...lowestSeverity(session.severity, signIn.severity) } };
  const views = unguarded.length > 0 ? unguardedViewsHint(unguarded) : optedIn > 0 ? `${optedIn} view(s) set require_csrf=True themselves; every other view is unchecked` : 'Pyramid checks no CSRF token unless told to';
  const severity = lowerForSameSite(lowestSeverity(session.severity).severity ?? 'high', sameSite);
  return { configurator, unguarded, finding: { ...location, hint: `${session.hint}; ${views}${sameSite ? `; but ${describeSameSite(sameSite)}` : ''}`, severity } };
}

/**
 * The project roots whose views a Configurator serves: its own, and each one whose \`includeme\` it
 * reaches (a customisation package's \`main\` that includes the core package).
 */
function servedRoots(configurator: Application): Set<string> {
  return new Set([configurator.module.projectRoot, ...configurator.usage.calls.map(({ module }) => module.projectRoot)]);
}

/**
 * A Configurator that includes another package's application adds no gap of its own when every
 * unchecked view lies in an included root whose own Configurator is reported: the gap is reported
 * there, once, rather than copied for each package that includes it.
 */
function reportedAtIncludedApp(configurator: Application, unguarded: readonly PyramidView[], reportedRoots: ReadonlySet<string>): boolean {
  const own = configurator.module.projectRoot;
  const included = [...servedRoots(configurator)].filter((root) => root !== own && reportedRoots.has(root));
  if (included.length === 0) return false;
  return unguarded.every((view) => view.module.projectRoot !== own && reportedRoots.has(view.module.projectRoot));
}

const LISTED_VIEWS = 5;

function unguardedViewsHint(unguarded: readonly PyramidView[]): string {
  const listed = unguarded.slice(0, LISTED_VIEWS).map((view) => `\`${view.name}\` (${view.module.path}:${view.definition.nameRange.line})`);
  const more = unguarded.length > LISTED_VIEWS ? ` and ${unguarded.length - LISTED_VIEWS} more` : '';
  return `views that may change state for a user without a CSRF check: ${listed.join(', ')}${more}`;
}

function viewsRequiringCsrf(project: Project, modules: readonly SourceModule[]): number {
  let count = 0;
  for (const module of modules) {
    for (const { call, scope } of module.facts.calls) {
      const argument = call.args.find((candidate) => candidate.name === 'require_csrf');
      if (argument && truthiness(project, { module, scope, expr: argument.value }) === 'truthy') count++;
    }
  }
  return count;
}

/** The project declares views (`@view_config(...)`, `config.add_view(...)`), and each answers only GET or HEAD. */
function onlySafeViews(project: Project, modules: readonly SourceModule[]): boolean {
  const declarations = modules.flatMap((module) => [
    ...module.facts.definitions.flatMap((definition) =>
      definition.decorators.flatMap(({ expression }) => (expression.kind === 'call' && project.resolve(module, expression.callee, definition.scope) === VIEW_CONFIG ? [{ module, scope: definition.scope, args: expression.args }] : [])),
    ),
    ...module.facts.calls.flatMap(({ call, scope }) => (call.callee.kind === 'attribute' && call.callee.attribute === 'add_view' ? [{ module, scope, args: call.args }] : [])),
  ]);
  return declarations.length > 0 && declarations.every(({ module, scope, args }) => answersOnlySafeMethods(project, module, scope, args));
}
