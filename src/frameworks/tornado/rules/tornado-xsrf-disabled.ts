import { describeExpr } from '../../../python/describe.js';
import type { CallExpr, Expr } from '../../../python/facts.js';
import { type AppCredentials, type AppSite, ambientCredentialsOf, type CredentialEvidence, CREDENTIAL_KEYWORDS, describeCredentials, isCsrfTarget } from '../../../project/credentials.js';
import { isVendoredModule } from '../../../project/context.js';
import { methodHeadRange, overrideBehaviour, overridesOf } from '../../../project/overrides.js';
import type { Project } from '../../../project/project.js';
import type { SourceModule } from '../../../project/source-module.js';
import { defersCheck } from '../deferred-checks.js';
import { xsrfNeverSet } from '../setting-mentions.js';
import { decoratorHeaderTokenRead } from '../../../project/view-bodies.js';
import { applicationHandlers, checksTokenInPrepare, guardsItself, readsBrowserUser, createsApplication, definesUnsafeMethod, finalSetting, forwardsToFallbackApp, settingsOf, TORNADO, unsafeHandlersOfProject } from '../routes.js';
import { mappingEntries, stringValue, truthiness, type MappingEntry, type MappingWrite } from '../../../project/values.js';
import { defineRule, type RuleContext, type Severity } from '../../../rules/rule.js';
import { describeSameSite, lowerForSameSite, lowestSeverity, type SameSiteSetting, severityOfUncertainCredentials, signInOnlyExposure } from '../../../rules/support/unprotected-apps.js';

export default defineRule({
  id: 'tornado-xsrf-disabled',
  code: 'CSRF303',
  title: 'Tornado application or handler without XSRF protection',
  severity: 'high',
  framework: 'tornado',
  fix: 'Pass xsrf_cookies=True to the Application and put {% module xsrf_form_html() %} in forms.',
  keywords: ['tornado', 'xsrf', ...CREDENTIAL_KEYWORDS],
  // Every finding is a Tornado application (imported from tornado), an `xsrf_cookies` setting or a `check_xsrf_cookie` method.
  projectWords: ['tornado', 'xsrf'],
  doc: {
    whatItFinds: `Tornado checks XSRF tokens only when the application setting \`xsrf_cookies\` is true; it is off by
default. This rule finds:

- a \`tornado.web.Application(...)\` (or \`super().__init__(...)\` in a subclass) whose settings, given
  as keywords or as a \`**settings\` dict written in the code (with what \`settings["key"] = ...\`,
  \`settings.update(...)\` and \`settings.setdefault(...)\` put in it before the call), set
  \`xsrf_cookies\` false or leave it out. Settings read from somewhere csrflint cannot follow, or
  changed only under a condition, are not reported, unless no code of the project mentions
  \`xsrf_cookies\` at all (an \`Application\` subclass that forwards \`**kwargs\` built in another
  module, say): then nothing can turn it on. An app whose handler list is known and none of them
  defines \`post\`, \`put\`, \`patch\` or \`delete\` is not reported: CSRF has nothing to change (a name bound to
  another method, \`post = get\`, defines it: Tornado looks the handler up by name; one that only logs,
  raises or redirects, as a moved address does, changes nothing). An app whose every
  state-changing handler checks a token itself in a \`prepare()\` it inherits (a base handler that
  calls \`self.check_xsrf_cookie()\`, reads a token named for CSRF from the request and refuses a
  mismatch, or compares a token from the request with one in a cookie or the session and refuses),
  there or in a method \`prepare()\` calls on \`self\` or through \`super().prepare()\`, is not
  reported; a subclass whose own \`prepare()\` calls neither drops the check. So is a handler built on
  Jupyter Server's (\`JupyterHandler\`), whose \`prepare()\` checks the token. Handlers built on JupyterHub's
  service mixins count as checked too: \`HubAuthenticated\` authenticates by a token the client sends
  in a header, and \`HubOAuthenticated\` checks the XSRF token itself before it trusts its cookie. Handlers that forward requests to another app (Tornado's
  \`FallbackHandler\`, or one whose \`initialize\` takes a \`fallback\`, typically a \`WSGIContainer\`
  around Flask) are not counted: that app checks CSRF or is reported by its own framework's rule;
  nor is a \`post\` that returns what its handler's \`get\` returns (the same helper's result), which
  only carries a request too long for a URL. A library vendored in the project (under \`vendor/\`,
  \`_vendor/\`, \`third_party/\`...) is the library's code, not the project's: its handlers are not
  counted when the app's handler list cannot be read, and its \`check_xsrf_cookie\` overrides (sockjs's
  transports, which a session id in the URL authenticates) are not reported.

  Only apps whose users a forged request can act for are reported: the app's code (its module, the
  modules that import it and what they import) signs users in with a signed cookie
  (\`set_signed_cookie\`, \`get_secure_cookie\`, a \`get_current_user\` that reads one), another cookie
  named for the user, or HTTP Basic. An app without \`cookie_secret\` whose code reads no such cookie
  (a public viewer, a renderer), or one whose \`get_current_user\` reads a token from a header, is
  not reported: a forged request carries nothing the attacker lacks. A \`cookie_secret\` with no
  visible use, or a \`get_current_user\` whose means cannot be seen, gives a medium-severity finding.
  Where every signed cookie the project sets is given \`samesite="Strict"\` (\`set_signed_cookie(...,
  samesite="Strict")\`), the finding is of low severity, and of medium with \`"Lax"\` written out: Lax
  still sends the cookie on a cross-site top-level GET, and older browsers ignore either.
  An app whose only unchecked handlers with \`post\`, \`put\`, \`patch\` or \`delete\` sign users in
  (\`LoginHandler\`) gives a low-severity one: a forged post can at worst log the user into the
  attacker's account (login CSRF), as CSRF401 ranks login forms;
- \`app.settings["xsrf_cookies"] = False\` or \`app.settings.update(xsrf_cookies=False)\` once the
  application is built. In a class built on Jupyter Server's (an extension, JupyterHub's single-user
  server) Jupyter Server's handlers check the token in \`prepare()\` themselves: the write is not
  reported when every state-changing handler of the project does too (a token check in its
  \`prepare()\`, or a base from \`jupyter_server\`), and is of low severity otherwise;
- a \`RequestHandler\` subclass whose \`check_xsrf_cookie\` does nothing (no call to the parent's or to
  something named for XSRF or CSRF, no raise), which exempts that handler and its subclasses;
  reported at medium severity, unless the handler's \`prepare()\` refuses every request, or neither
  it nor any scanned subclass defines \`post\`, \`put\`, \`patch\` or \`delete\` (only those run the check),
  or each of those it and its subclasses define is wrapped by a decorator of the project that takes a
  credential from a request header (\`@apikey\`, looking for an \`apikey\` header among
  \`self.request.headers\` and redirecting without one), which a forged request cannot send;
  nor where none of them reads who the user is: no \`@authenticated\` nor a decorator of the project
  whose wrapper reads the user, no \`self.current_user\`, no cookie, no header but descriptive ones
  (\`self.request.headers.get("Content-Type")\`, \`"Origin"\`) read in \`prepare()\`, those methods, or
  the methods of \`self\` they call (an API that checks a key taken from its URL path, a callback for
  a media center). Such a handler acts for nobody a browser sends credentials for, even where its
  base class defines a cookie \`get_current_user\`, unless it reads the user in a way the scan does
  not follow (a helper of another module given \`self\`). A handler named for signing in
  (\`LoginHandler\`) is of low severity: a forged post can at worst log the user into the attacker's
  account;
- a \`check_xsrf_cookie\` that returns early under a condition before it checks (to let
  token-authenticated requests through, say); reported at low severity, since only a reviewer can
  tell what the condition lets in. An override that only defers the check is not reported: the
  handler calls \`self.check_xsrf_cookie()\` again later, in \`prepare()\` (Tornado calls the check
  before it, when the user is not known yet) or in its \`post\`, \`put\`, \`patch\` or \`delete\`, and
  the condition reads state the handler's code sets on \`self\` (\`hasattr(self, "_user")\`, a
  \`self._skip_check\` flag a \`post\` clears before it checks), which tells the early call from the
  later one. A condition on the request alone (a header) holds at both calls: it stays reported.`,
    whyItMatters: `Without the check, any web site a logged-in user visits can post to the application's handlers
with the user's cookies.`,
    example: `import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def post(self):
        user = self.get_signed_cookie("user")
        self.write(f"saved for {user}")


app = tornado.web.Application([(r"/", MainHandler)], cookie_secret="secret")
`,
    useInstead: `import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def post(self):
        user = self.get_signed_cookie("user")
        self.write(f"saved for {user}")


app = tornado.web.Application([(r"/", MainHandler)], cookie_secret="secret", xsrf_cookies=True)
`,
    whenItIsFine: `A cookie that holds nothing about who the user is, or a handler for a webhook that verifies a
signature. An app without accounts that trusts where requests come from (a tool on localhost or an
intranet) can still be driven by any web site its users visit; such apps are not reported. Record
why where the setting or override is.`,
    references: [{ title: 'Tornado: cross-site request forgery protection', url: 'https://www.tornadoweb.org/en/stable/guide/security.html#cross-site-request-forgery-protection' }],
  },
  check(context) {
    reportApplications(context);
    reportSettingsWrites(context);
    reportHandlers(context);
  },
});

function reportApplications(context: RuleContext): void {
  const { project } = context;
  const family = project.classFamily(new Set([TORNADO.application]));
  const names = project.identifiersFor(family);
  for (const module of project.modules) {
    for (const { call, scope } of module.facts.calls) {
      if (!createsApplication(project, module, call, scope, family, names)) continue;
      const app = { module, call, scope };
      const settings = settingsOf(project, module, call, scope);
      if (!settings) {
        if (xsrfNeverSet(project, module.projectRoot, call)) reportForwarded(context, app);
        continue;
      }
      const xsrf = finalSetting(project, settings, 'xsrf_cookies');
      if (xsrf.state !== 'falsy') continue;
      const secret = settings.find((entry) => entry.key === 'cookie_secret');
      const credentials = ambientCredentialsOf(project, app, secret ? [cookieSecretEvidence(secret)] : []);
      if (!isCsrfTarget(credentials) || handlersCheckThemselves(project, app)) continue;
      const report = { file: xsrf.entry?.value.module ?? module, range: xsrf.entry?.range ?? call.range, message: applicationMessage(project, module, call, scope, xsrf.entry) };
      context.report({ ...report, ...exposure(project, app, credentials) });
    }
  }
}

/**
 * Every handler that accepts a state-changing method checks a token in its \`prepare()\` (a base
 * class every handler inherits), or none accepts one (CSRF has nothing to do): the app needs no
 * \`xsrf_cookies\`. When the app's
 * handler list cannot be read, the project's handlers that change state are the ones judged.
 */
function handlersCheckThemselves(project: Project, app: AppSite): boolean {
  const unsafe = unsafeHandlersOf(project, app);
  // With no state-changing handler of its own, the app's forms reach the app it forwards to (Flask in a WSGIContainer).
  if (unsafe.length === 0 && !applicationHandlers(project, app.module, app.call, app.scope).complete) return forwardsToFallbackApp(project, app.module.projectRoot);
  return unsafe.every((handler) => guardsItself(project, handler));
}

/** The handlers of the app that accept a state-changing method: from its handler list, or the project's when the list cannot be read. */
function unsafeHandlersOf(project: Project, { module, call, scope }: AppSite): string[] {
  const handlers = applicationHandlers(project, module, call, scope);
  return handlers.complete ? handlers.unsafeClasses : unsafeHandlersOfProject(project, module.projectRoot);
}

/** The app's unchecked state-changing handlers all sign users in (\`LoginHandler\`): login CSRF at worst. */
function signInOnly(project: Project, app: AppSite): { hint: string; severity: Severity } | undefined {
  const unchecked = unsafeHandlersOf(project, app).filter((handler) => !guardsItself(project, handler));
  const sites = unchecked.flatMap((handler) => {
    const site = project.findDefinition(handler);
    return site ? [{ module: site.module, name: site.definition.name, range: site.definition.nameRange }] : [];
  });
  return sites.length === unchecked.length ? signInOnlyExposure(sites) : undefined;
}

/** `cookie_secret` among the settings: the app signs cookies, though the scan may not see what they hold. */
function cookieSecretEvidence(secret: MappingEntry | MappingWrite): CredentialEvidence {
  return { kind: 'browser-state', what: '`cookie_secret` set', path: secret.value.module.path, line: secret.range.line };
}

/**
 * How exposed an app without XSRF checks is: less when the scan cannot tell what its cookies hold
 * (medium), least when its only unchecked state-changing handlers sign users in (low).
 */
function exposure(project: Project, app: AppSite, credentials: AppCredentials): { severity?: Severity; hint?: string } {
  const signIn = signInOnly(project, app);
  if (signIn) return { hint: `${describeCredentials(credentials)}; ${signIn.hint}`, severity: signIn.severity };
  const sameSite = credentials.verdict === 'ambient' && credentials.ambient.every((credential) => credential === 'session-cookie') ? signedCookieSameSite(project, app.module.projectRoot) : undefined;
  const uncertain = severityOfUncertainCredentials(credentials);
  const hint = `${describeCredentials(credentials)}${sameSite ? `; but ${describeSameSite(sameSite)}` : ''}`;
  return { hint, ...(sameSite ? { severity: lowerForSameSite(uncertain ?? 'high', sameSite) } : lowestSeverity(uncertain)) };
}

const SIGNED_COOKIE_WRITERS = new Set(['set_secure_cookie', 'set_signed_cookie']);

/**
 * \`self.set_signed_cookie("user", ..., samesite="Strict")\`: every signed cookie the project sets is
 * given a SameSite attribute written out; the weaker one is the app's. \`undefined\` when any is set without one.
 */
function signedCookieSameSite(project: Project, projectRoot: string): SameSiteSetting | undefined {
  let weakest: SameSiteSetting | undefined;
  for (const module of project.modules) {
    if (module.projectRoot !== projectRoot) continue;
    for (const { call, scope } of module.facts.calls) {
      if (call.callee.kind !== 'attribute' || !SIGNED_COOKIE_WRITERS.has(call.callee.attribute)) continue;
      const option = call.args.find((argument) => argument.name === 'samesite');
      const level = option && stringValue(project, { module, scope, expr: option.value })?.toLowerCase();
      if (level !== 'strict' && level !== 'lax') return undefined;
      if (weakest?.level !== 'lax') weakest = { setting: `samesite="${level === 'strict' ? 'Strict' : 'Lax'}"`, path: module.path, line: option!.range.line, level };
    }
  }
  return weakest;
}

/**
 * `super().__init__(handlers, **kwargs)` in an `Application` subclass, its settings made elsewhere
 * (a factory in another module, the command line): when no code of the project ever mentions
 * `xsrf_cookies`, none of those places turns it on.
 */
function reportForwarded(context: RuleContext, app: AppSite): void {
  const credentials = ambientCredentialsOf(context.project, app);
  if (!isCsrfTarget(credentials) || handlersCheckThemselves(context.project, app)) return;
  const message = 'Tornado application without `xsrf_cookies=True`: its settings are passed in, and no code of the project sets `xsrf_cookies`, so no handler checks XSRF tokens';
  context.report({ file: app.module, range: app.call.range, message, ...exposure(context.project, app, credentials) });
}


function applicationMessage(project: Project, module: SourceModule, call: CallExpr, scope: number, xsrf: MappingEntry | undefined): string {
  if (xsrf) return '`xsrf_cookies` is set to a false value: no handler checks XSRF tokens';
  const nested = call.args.find((argument) => argument.name === 'settings');
  const nestedXsrf = nested && mappingEntries(project, { module, scope, expr: nested.value })?.some((entry) => entry.key === 'xsrf_cookies');
  if (nestedXsrf) return 'Tornado application with `xsrf_cookies` inside a `settings=` dict, which Tornado does not read (settings are keyword arguments): no handler checks XSRF tokens';
  return 'Tornado application without `xsrf_cookies=True`: no handler checks XSRF tokens';
}

/**
 * `app.settings["xsrf_cookies"] = False` or `app.settings.update(xsrf_cookies=False)` after the
 * application is built: the key is Tornado's, so any `.settings` mapping it is written to counts.
 */
function reportSettingsWrites({ project, report }: RuleContext): void {
  for (const module of project.modules) {
    for (const { target, value, scope, range } of module.facts.assignments) {
      if (target.kind !== 'subscript' || !value || !isSettingsAttribute(target.object)) continue;
      if (stringValue(project, { module, scope, expr: target.index }) !== 'xsrf_cookies' || truthiness(project, { module, scope, expr: value }) !== 'falsy') continue;
      const details = checkedElsewhere(project, module, scope);
      if (details) report({ file: module, range, message: `\`${describeExpr(target.object)}["xsrf_cookies"]\` is set to a false value: the application stops checking XSRF tokens`, ...details });
    }
    for (const { call, scope } of module.facts.calls) {
      const { callee } = call;
      if (callee.kind !== 'attribute' || callee.attribute !== 'update' || !isSettingsAttribute(callee.object)) continue;
      const xsrf = call.args.find((argument) => argument.name === 'xsrf_cookies');
      if (!xsrf || truthiness(project, { module, scope, expr: xsrf.value }) !== 'falsy') continue;
      const details = checkedElsewhere(project, module, scope);
      if (details) report({ file: module, range: xsrf.range, message: `\`${describeExpr(callee.object)}.update(xsrf_cookies=False)\`: the application stops checking XSRF tokens`, ...details });
    }
  }
}

const CHECKED_ELSEWHERE = 'fine when the handlers check the token themselves (calling `self.check_xsrf_cookie()` in `prepare()`, as Jupyter Server does); record why here';

/**
 * A write made by a Jupyter Server application or extension (a class built on `jupyter_server`'s):
 * Jupyter Server's handlers call `check_xsrf_cookie()` in `prepare()` themselves, so Tornado's own,
 * earlier check is redundant there (low). Elsewhere the hint says when the write is fine.
 */
function checkedElsewhere(project: Project, module: SourceModule, scope: number): { hint: string; severity?: Severity } | undefined {
  for (let owner = module.symbols.definitionOfScope(scope); owner; owner = module.symbols.definitionOfScope(owner.scope)) {
    if (owner.kind === 'class' && project.inheritsFrom(module.symbols.definitionName(owner), (name) => name.startsWith('jupyter_server.'))) {
      if (unsafeHandlersOfProject(project, module.projectRoot).every((handler) => guardsItself(project, handler))) return undefined;
      return { severity: 'low', hint: "this is a Jupyter Server application: its handlers check the XSRF token in `prepare()` themselves, so only handlers that do not inherit Jupyter Server's lose the check" };
    }
  }
  return { hint: CHECKED_ELSEWHERE };
}

function isSettingsAttribute(expr: Expr): boolean {
  return expr.kind === 'attribute' && expr.attribute === 'settings';
}

/**
 * An override that never checks exempts its handlers (medium). One that returns early under some
 * condition and checks otherwise is the usual way to let token-authenticated requests through: it is
 * reported at low severity, for a reviewer to confirm what the condition lets in.
 */
function reportHandlers({ project, report }: RuleContext): void {
  for (const site of overridesOf(project, new Set([TORNADO.requestHandler]), new Set(['check_xsrf_cookie']))) {
    const behaviour = overrideBehaviour(project, site);
    if (behaviour === 'checks' || isVendoredModule(site.module)) continue;
    const ownerClass = site.module.symbols.definitionOfScope(site.definition.scope)!;
    if (!familyChangesState(project, site.module.symbols.definitionName(ownerClass))) continue;
    if (refusesEveryRequest(project, site.module.symbols.definitionName(ownerClass))) continue;
    if (behaviour === 'accepts-all' && requiresHeaderKey(project, site.module.symbols.definitionName(ownerClass))) continue;
    const owner = ownerClass.name;
    const range = methodHeadRange(site.definition);
    if (behaviour === 'accepts-all') {
      const signIn = signInOnlyExposure([{ module: site.module, name: owner, range: ownerClass.nameRange }]);
      // A handler that never reads who its user is acts for nobody a browser sends credentials for.
      if (!signIn && !readsBrowserUser(project, site.module.symbols.definitionName(ownerClass))) continue;
      const message = `\`${owner}.check_xsrf_cookie\` does not check: \`${owner}\` and its subclasses accept forged requests`;
      report({ file: site.module, range, message, ...(signIn ?? { severity: 'medium' }) });
      continue;
    }
    const ownerName = site.module.symbols.definitionName(ownerClass);
    if (defersCheck(project, site, ownerName)) continue;
    report({
      file: site.module,
      range,
      severity: 'low',
      message: `\`${owner}.check_xsrf_cookie\` returns early under some condition before it checks: the requests that condition matches skip the XSRF check`,
      hint: checksTokenInPrepare(project, ownerName) ? RECHECKED_ALIKE_HINT : SKIPPED_CHECK_HINT,
    });
  }
}

const SKIPPED_CHECK_HINT = 'fine when the skipped requests are authenticated by something a forged request lacks (a token header) or are checked later, as in `prepare()`; otherwise they accept forged requests';

/**
 * `prepare()` calls the check again, but the condition reads only what Tornado gives the handler (the
 * request): it holds at the later call too, so nothing is deferred.
 */
const RECHECKED_ALIKE_HINT =
  "the handler's `prepare()` calls the check again, but the condition reads only the request, so it holds there too and the matched requests skip both checks; fine when they are authenticated by something a forged request lacks (a token header)";

const UNSAFE_HANDLER_METHODS = ['post', 'put', 'patch', 'delete'];

/**
 * Every \`post\`, \`put\`, \`patch\` and \`delete\` the handler and its scanned subclasses define is wrapped
 * by a decorator of the project that takes a credential from a request header (\`@apikey\`, whose
 * wrapper looks for an \`apikey\` header and redirects without one): a forged request cannot send that
 * header, so skipping the XSRF check lets nothing through. A base class's placeholders (a \`post\`
 * that renders a 404 page for every handler) are the base's, not what the override is for.
 */
function requiresHeaderKey(project: Project, handler: string): boolean {
  const methods = [...project.classFamily(new Set([handler]))].flatMap((name) =>
    UNSAFE_HANDLER_METHODS.flatMap((method) => {
      const site = project.findDefinition(`${name}.${method}`);
      return site?.definition.kind === 'function' ? [site] : [];
    }),
  );
  return methods.length > 0 && methods.every(({ module, definition }) => decoratorHeaderTokenRead(project, module, definition, 'self') !== undefined);
}

/** The handler or one of its scanned subclasses defines `post`, `put`, `patch` or `delete`: without one, skipping the check lets nothing through. */
function familyChangesState(project: Project, handler: string): boolean {
  return [...project.classFamily(new Set([handler]))].some((name) => definesUnsafeMethod(project, name));
}

/**
 * A handler whose `prepare()` raises on every request (Tornado's own `ErrorHandler`): no method of
 * it runs, so a `check_xsrf_cookie` that does nothing lets nothing through.
 */
function refusesEveryRequest(project: Project, handler: string): boolean {
  const prepare = project.findMethod(handler, 'prepare');
  if (!prepare) return false;
  const { module, definition } = prepare;
  return module.facts.raises.some((statement) => statement.scope === definition.bodyScope && !statement.conditional);
}
