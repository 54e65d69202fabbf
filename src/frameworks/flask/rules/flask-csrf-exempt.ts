import { describeExpr } from '../../../python/describe.js';
import { FLASK_APPLICATIONS, isCsrfProtectObject, QUART_APPLICATIONS } from '../names.js';
import { findApplications } from '../../../project/applications.js';
import { type RoutedView, UNSAFE_METHODS } from '../../../project/views.js';
import { handedToCalls, routeDecorators, routedOnlyForSafeMethods } from '../route-methods.js';
import { basicOnlyPrefixCheck } from '../basic-only-prefix.js';
import { readsOnlyJsonBody } from '../../../project/json-only-bodies.js';
import { headerSessionPaths, type HeaderSessionPaths } from '../../../project/header-sessions.js';
import { finalIdentifier, type Project } from '../../../project/project.js';
import { globalHandlerActsForNobody, LOGIN_DECORATOR } from '../../../project/view-bodies.js';
import { walkExpr } from '../../../python/walk-expr.js';
import type { SourceModule } from '../../../project/source-module.js';
import type { Definition, Expr } from '../../../python/facts.js';
import { secretUrlVariable } from '../../../project/url-paths.js';
import { dereference, stringValue } from '../../../project/values.js';
import { defineRule, type RuleContext, type RuleReport } from '../../../rules/rule.js';
import type { Severity } from '../../../rules/rule.js';
import { CREDENTIALED_CORS_KEYWORDS, credentialedCors } from '../../../project/credentialed-cors.js';
import { type KeptReports, reportModuleByModule } from '../../../rules/support/kept-reports.js';
import { type ExemptionReason, exemptionDetails, exemptionReason, GUARDED_EXEMPTIONS_DOC } from '../../../rules/support/exempt-views.js';

const RULE_ID = 'flask-csrf-exempt';
import { SESSION_SAME_SITE_DOC, weighingSessionSameSite } from '../same-site.js';

/** Before a SameSite session cookie lowers it. */
const RULE_SEVERITY: Severity = 'medium';

export default defineRule({
  id: RULE_ID,
  code: 'CSRF203',
  title: 'Flask view or blueprint exempted from CSRF protection',
  severity: RULE_SEVERITY,
  framework: 'flask',
  fix: 'Remove the exemption and send the CSRF token; for a webhook, verify its signature instead.',
  keywords: ['exempt', ...CREDENTIALED_CORS_KEYWORDS],
  doc: {
    whatItFinds: `Views and blueprints taken out of Flask-WTF's \`CSRFProtect\` or Flask-SeaSurf's checks:
\`@csrf.exempt\` on a view, \`csrf.exempt(blueprint)\`, \`csrf.exempt(view)\` and
\`csrf.exempt("module.view")\`; \`csrf.exempt\` in a list of decorators that Flask, Flask-RESTful or
Flask-RESTX puts on views (\`Api(app, decorators=[csrf.exempt])\`, a view or resource class's
\`decorators\` or \`method_decorators\`); \`self.exempt(view)\` in the project's own \`CSRFProtect\`
subclass. The object must be a protector: an instance of \`CSRFProtect\`,
\`CsrfProtect\` or \`SeaSurf\` (or a subclass), wherever it was created and whatever it is called, or
\`app.extensions["csrf"]\`. Another extension's \`exempt\`, such as Flask-Limiter's
\`@limiter.exempt\`, is not reported.

Some exemptions are reported at low severity, with words that say why: a view whose only input is
\`request.get_json()\` or \`request.json\` (no \`force\` or \`silent\`, no form, data, args or files read),
since Flask refuses a body not sent as \`application/json\` and a cross-site HTML form cannot send one
(\`json.loads(request.data)\` takes a \`text/plain\` body a form can send, and stays as it is); and a
blueprint exempted whole (\`csrf.exempt(api_v1)\`) whose every state-changing view requires a credential
header (a project decorator reading \`Authorization\`, also through a \`MethodView\`'s \`decorators = [...]\`),
an OAuth token endpoint among them allowed, and views that read only a JSON body (Flask-RESTX's
\`ns.payload\` too) or accept only PUT, PATCH or DELETE (no credentialed CORS) beside them; a blueprint
whose every route the scan sees answers GET only changes nothing today and is low too. An OAuth2 protocol endpoint (a token, revocation or
introspection endpoint answered by oauthlib's \`create_token_response\` and siblings, or by Authlib's
\`create_endpoint_response(RevokeToken.ENDPOINT_NAME)\` for a class built on its \`RevocationEndpoint\` or
\`IntrospectionEndpoint\`) is judged guarded and hidden unless asked for: its client authenticates itself. So is a view routed only at
the read side of git's smart HTTP protocol (\`/<repo>/info/refs\`, \`/<repo>/git-upload-pack\`): git clients
send no token, and fetching changes nothing; \`git-receive-pack\`, a push, stays reported. So is a view every
route of which lies under a path prefix that a decorator of the project signs in only by HTTP Basic
(its wrapper tests \`request.path.startswith("/rest/")\`, hands \`request.authorization\` to a check and
answers 401), in a project that never asks a browser for a Basic password (no \`WWW-Authenticate\`
header): no browser sends one by itself. So is a blueprint
exempted whole whose state-changing views all serve paths under a prefix (\`/api/v1/...\`) for which the
project's own session interface (a \`flask.sessions.SessionInterface\` subclass) opens the session from a
request header instead of the cookie (\`open_session\` comparing \`request.path.split("/")[1] == "api"\` and
reading \`request.headers.get(...)\`).

A single sign-on callback is reported at low severity, not hidden: a view that reads what an
identity provider sends back (an OAuth2 \`code\` or OpenID Connect \`id_token\`, \`args.get("code")\` or
a flask-restful parser's \`add_argument("code")\`, or python3-saml's \`OneLogin_Saml2_Auth(...)\`) and
signs the user in (\`login_user(user)\`), and a blueprint exempted whole whose every state-changing view
is one. Identity-provider callbacks must accept cross-site posts, so the exemption is required; what is
left is login CSRF, which only a \`state\` (or \`RelayState\`) bound to the session stops.

${SESSION_SAME_SITE_DOC}`,
    whyItMatters: `An exempted view accepts state-changing requests from any web site the user visits: the
browser sends the session cookie along and nothing checks that the request came from your pages.
Exempting a blueprint does this for every view in it.`,
    example: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.route("/transfer", methods=["POST"])
@csrf.exempt
def transfer():
    return "done"
`,
    useInstead: `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf = CSRFProtect(app)


@app.route("/transfer", methods=["POST"])
def transfer():
    return "done"
`,
    whenItIsFine: `The view is not authenticated by a cookie: a webhook that verifies an HMAC signature of the
body, or an API authenticated by a token in a header. A decorated view that verifies a signature
(itself, through a helper or a decorator), turns away a request whose \`Referer\` or \`Origin\` is not the
site's own (\`if request.referrer not in OWN_PAGES: abort(403)\`, \`if origin != request.host_url: abort(403)\`;
not \`if referrer and ...\`, which a request sent without a \`Referer\` passes), reads a credential from a header and no session user, or
only returns a fixed answer (\`return "ok"\`, \`return "Obsolete API", 404\`, \`jsonify({"status": "ok"})\`,
an empty response) is reported at low severity, with a hint and a fix that say so. So is a class-based view exempted by its \`decorators\` (a flask-restful or Flask-RESTX \`Resource\`, a
\`MethodView\`) whose \`post\`, \`put\`, \`patch\` and \`delete\` have such a reason, or read no user
and no session, nor call project code (a few calls deep) that does, in modules that import neither
Flask's session nor Flask-Login's user, with no login decorator in the class's decorator lists:
a forged request does only what anybody can do. SQLAlchemy's \`db.session\` is not the browser's session. So is a SAML assertion consumer, which
the identity provider posts to from its own site: python3-saml's \`process_response()\` (or, for a
single-logout service, \`process_slo()\`) on an \`OneLogin_Saml2_Auth\` the view creates or gets from a helper of the project (\`saml.init_saml_auth(req)\`). So is
an \`Api(app, decorators=[csrf.exempt])\` whose every state-changing resource method reads a
credential header (itself or through a decorator of the project's, such as a \`check_token\` that
compares \`X-Api-Key\`) and no session user. So is a \`csrf.exempt(blueprint)\` whose every state-changing
view the scan sees requires a header token (\`@jwt_required()\`, a project decorator reading
\`Authorization\`) or reads only a JSON body (\`request.get_json()\`, quart-schema's \`@validate_request\`),
which a cross-site form cannot send. So is a view whose every URL holds a secret (a variable named for a token, secret, API key or signature,
in its route or its blueprint's \`url_prefix\`: \`/kobo/<auth_token>/...\`), which a cross-site page
cannot know; a view without parameters that reads a credential header from Flask's \`request\` counts
as header-authenticated only where its module imports neither \`session\` nor Flask-Login's user. So
is a decorated view whose own route decorators accept only GET, HEAD or OPTIONS (\`@bp.route("/x")\`
without \`methods\`), which CSRFProtect and SeaSurf never check, so the exemption changes nothing. Record the reason at the exemption:
\`# csrflint: ignore[flask-csrf-exempt] -- GitHub webhook, signature verified\`.

${GUARDED_EXEMPTIONS_DOC}`,
    references: [
      { title: 'Flask-WTF: exclude views from protection', url: 'https://flask-wtf.readthedocs.io/en/stable/csrf/#exclude-views-from-protection' },
      { title: 'Flask-SeaSurf: exempting views', url: 'https://flask-seasurf.readthedocs.io/' },
    ],
  },
  check(ruleContext) {
    const context = weighingSessionSameSite(ruleContext, RULE_SEVERITY);
    reportModuleByModule(context, keptReports, '', (module, report) => {
      const moduleContext = { ...context, report };
      reportExemptDecorators(moduleContext, module);
      reportExemptCalls(moduleContext, module);
      reportDecoratorLists(moduleContext, module);
    });
  },
});

/** Each module's findings, kept across a language server's edits of modules they did not read. */
const keptReports = new WeakMap<Project, KeptReports>();

/** `csrf.exempt`, directly or through a name bound to it (`csrf_exempt = csrf.exempt`, then `@csrf_exempt`). */
function isExemptMethod(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  if (expr.kind === 'attribute') return expr.attribute === 'exempt' && isCsrfProtectObject(project, module, expr.object, scope);
  return expr.kind === 'name' && isExemptAlias(project, module, expr, scope);
}

/** A name the project resolves to `<protector>.exempt`, wherever the alias and the protector are bound. */
function isExemptAlias(project: Project, module: SourceModule, expr: Expr, scope: number): boolean {
  const resolved = project.resolve(module, expr, scope);
  if (resolved === undefined || !resolved.endsWith(EXEMPT_SUFFIX)) return false;
  const protector = resolved.slice(0, -EXEMPT_SUFFIX.length);
  return project.assignmentsTo(protector).some(({ module: owner, assignment }) => assignment.value !== null && isCsrfProtectObject(project, owner, assignment.value, assignment.scope));
}

const EXEMPT_SUFFIX = '.exempt';

function reportExemptDecorators({ project, report }: RuleContext, module: SourceModule): void {
  for (const definition of module.facts.definitions) {
    for (const decorator of definition.decorators) {
      if (!isExemptMethod(project, module, decorator.expression, definition.scope)) continue;
      const message = `\`@${describeExpr(decorator.expression)}\` turns off CSRF protection for view \`${definition.name}\``;
      if (routedOnlyForSafeMethods(project, module, definition)) {
        report({ file: module, range: decorator.range, message, ...SAFE_METHODS_ONLY });
        continue;
      }
      const reason = exemptionReason(project, [{ module, definition }]) ?? gitFetchReason(project, module, definition) ?? basicOnlyPrefixReason(project, module, definition) ?? urlSecretReason(project, module, definition) ?? jsonBodyReason(project, module, definition);
      report({ file: module, range: decorator.range, message, ...(reason ? exemptionDetails(RULE_ID, reason) : {}) });
    }
  }
}

/** A decorator of the project signs every route of the view in by HTTP Basic alone, which no browser sends by itself here (see \`basicOnlyPrefixCheck\`). */
function basicOnlyPrefixReason(project: Project, module: SourceModule, definition: Definition): ExemptionReason | undefined {
  const check = basicOnlyPrefixCheck(project, module, definition);
  return check === undefined ? undefined : { kind: 'request-credential', check };
}

/** The paths git's smart HTTP protocol fixes for its read side: the ref advertisement and the fetch service. */
const GIT_FETCH_PATH = /\/(?:info\/refs|git-upload-pack)$/;

/**
 * Every route decorator of the view routes a path of git's smart HTTP read side
 * (\`/.git/info/refs\`, \`/<repo>/git-upload-pack\`), and no call of the project routes the view again:
 * git clients cannot send a CSRF token, and fetching changes nothing. \`git-receive-pack\` (a push) is no such path.
 */
function gitFetchReason(project: Project, module: SourceModule, definition: Definition): ExemptionReason | undefined {
  const routes = routeDecorators(definition);
  if (routes.length === 0 || handedToCalls(project, module, definition)) return undefined;
  const paths = routes.map((route) => {
    const [rule] = route.args.filter((argument) => argument.name === undefined || argument.name === 'rule');
    return rule && stringValue(project, { module, scope: definition.scope, expr: rule.value });
  });
  const [first] = paths;
  if (first === undefined || !paths.every((path) => path !== undefined && GIT_FETCH_PATH.test(path))) return undefined;
  return { kind: 'protocol-endpoint', endpoint: 'git-fetch', call: first };
}

/**
 * Every route decorator of the view has a URL holding a secret, in its own rule or in its
 * blueprint's `url_prefix` (`Blueprint("kobo", __name__, url_prefix="/kobo/<auth_token>")`), and no
 * call of the project routes the view again: a forged request cannot know the URL.
 */
function urlSecretReason(project: Project, module: SourceModule, definition: Definition): ExemptionReason | undefined {
  const routes = routeDecorators(definition);
  if (routes.length === 0 || handedToCalls(project, module, definition)) return undefined;
  let variable: string | undefined;
  for (const route of routes) {
    const receiver = route.callee.kind === 'attribute' ? route.callee.object : undefined;
    const [rule] = route.args.filter((argument) => argument.name === undefined || argument.name === 'rule');
    const urls = [rule && stringValue(project, { module, scope: definition.scope, expr: rule.value }), receiver && blueprintPrefix(project, module, definition.scope, receiver)];
    const secret = urls.map((url) => (url === undefined ? undefined : secretUrlVariable(url))).find((found) => found !== undefined);
    if (secret === undefined) return undefined;
    variable ??= secret;
  }
  return variable === undefined ? undefined : { kind: 'url-secret', variable };
}

/** The `url_prefix` a blueprint is created with, when the receiver of a route decorator is one. */
function blueprintPrefix(project: Project, module: SourceModule, scope: number, receiver: Expr): string | undefined {
  const created = dereference(project, { module, scope, expr: receiver });
  if (created.expr.kind !== 'call') return undefined;
  const prefix = created.expr.args.find((argument) => argument.name === 'url_prefix');
  return prefix && stringValue(project, { module: created.module, scope: created.scope, expr: prefix.value });
}

/** The view's only input is a body `request.get_json()` refuses unless it is sent as JSON, which a cross-site form cannot do. */
function jsonBodyReason(project: Project, module: SourceModule, definition: Definition): ExemptionReason | undefined {
  if (!readsOnlyJsonBody(project, module, definition)) return undefined;
  const cors = credentialedCors(project, module);
  return cors ? { kind: 'json-body', credentialedCors: cors } : { kind: 'json-body' };
}

const SAFE_METHODS_ONLY = {
  severity: 'low',
  hint: 'every route of the view answers GET only, which CSRFProtect and SeaSurf never check: the exemption changes nothing today',
  fix: 'Remove the exemption: it changes nothing while the view answers GET only, and would leave the view unchecked once it accepts POST.',
  guard: 'safe-methods-only',
} as const;

function reportExemptCalls({ project, report }: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    // Through an alias only as a decorator: pyload's `apikey_auth` wraps `csrf_exempt(func)` and re-checks the session itself.
    if (call.callee.kind !== 'attribute' || !isExemptMethod(project, module, call.callee, scope)) continue;
    const [target] = call.args;
    const items = target ? project.possibleValues(module, target.value, scope).map((value) => `\`${describeExpr(value.expr)}\``) : [];
    const what = items.length > 0 ? items.join(', ') : target ? `\`${describeExpr(target.value)}\`` : 'the view it wraps';
    const details = exemptedViewsDetails(project, module, call.range.line, 'each state-changing view it exempts');
    report({ file: module, range: call.range, message: `\`${describeExpr(call.callee)}(...)\` turns off CSRF protection for ${what}`, ...details });
  }
}

/** Where Flask views, Flask-RESTful and Flask-RESTX take lists of decorators to put on every view or method. */
const DECORATOR_LISTS = new Set(['decorators', 'method_decorators']);

/**
 * `Api(app, decorators=[csrf.exempt])`, and `decorators = [csrf.exempt]` or
 * `method_decorators = {"post": [csrf.exempt]}` in a view or resource class: the exemption is put
 * on every view the API registers, or on the class's methods.
 */
function reportDecoratorLists({ project, report }: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    for (const argument of call.args) {
      if (argument.name === undefined || !DECORATOR_LISTS.has(argument.name)) continue;
      const exempt = exemptIn(project, module, argument.value, scope);
      if (!exempt) continue;
      const message = `\`${exempt}\` in \`${argument.name}\` of \`${describeExpr(call.callee)}(...)\` turns off CSRF protection for every view it registers`;
      const details = argument.name === 'decorators' ? exemptedViewsDetails(project, module, argument.range.line, 'each state-changing view it registers') : {};
      report({ file: module, range: argument.range, message, ...details });
    }
  }
  for (const assignment of module.facts.assignments) {
    const { target, value, scope } = assignment;
    const owner = module.symbols.definitionOfScope(scope);
    if (target.kind !== 'name' || !DECORATOR_LISTS.has(target.id) || !value || owner?.kind !== 'class') continue;
    const exempt = exemptIn(project, module, value, scope);
    if (!exempt) continue;
    const message = `\`${exempt}\` in \`${owner.name}.${target.id}\` turns off CSRF protection for ${target.id === 'decorators' ? 'view' : 'the methods of'} \`${owner.name}\``;
    const reason = classViewReason(project, module, owner);
    report({ file: module, range: assignment.range, message, ...(reason ? exemptionDetails(RULE_ID, reason) : {}) });
  }
}

const UNSAFE_HANDLERS = ['post', 'put', 'patch', 'delete'];

/**
 * Why an exempt class-based view (a flask-restful or Flask-RESTX `Resource`, a `MethodView`) may not
 * need the check: its state-changing methods have a reason of their own (a header token, a
 * signature), or none of them, nor the project's code they call, reads a user or the session, and
 * no decorator list of the class holds a login decorator. SQLAlchemy's `db.session` is no user.
 */
function classViewReason(project: Project, module: SourceModule, owner: Definition): ExemptionReason | undefined {
  const className = module.symbols.definitionName(owner);
  const handlers = UNSAFE_HANDLERS.flatMap((name) => project.findMethod(className, name) ?? []);
  if (handlers.length === 0 || classRequiresLogin(module, owner)) return undefined;
  const sites = handlers.map((handler) => ({ ...handler, ownerClass: className }));
  const reason = exemptionReason(project, sites);
  if (reason) return reason;
  const handedTo = new Set<string>();
  for (const handler of handlers) {
    const called = globalHandlerActsForNobody(project, handler, className);
    if (!called) return undefined;
    for (const name of called) handedTo.add(name);
  }
  return { kind: 'no-user', handedTo: [...handedTo].sort() };
}

/** `decorators = [csrf.exempt, login_required]`, `method_decorators = {"post": [auth.login_required]}` in the class body. */
function classRequiresLogin(module: SourceModule, owner: Definition): boolean {
  return module.facts.assignments.some(({ scope, target, value }) => {
    if (scope !== owner.bodyScope || target.kind !== 'name' || !DECORATOR_LISTS.has(target.id) || !value) return false;
    return [...walkExpr(value)].some((part) => (part.kind === 'name' || part.kind === 'attribute') && LOGIN_DECORATOR.test(finalIdentifier(part) ?? ''));
  });
}

/**
 * Why the state-changing views an exemption reaches (a blueprint `csrf.exempt(api_v1)`, an
 * `Api(..., decorators=[csrf.exempt])`) may not need CSRF protection: each is guarded by something a
 * forged request lacks. A view is guarded as the app's routes judge it (a header token such as
 * `@jwt_required()`, a JSON body it requires, a form that checks its token, a check of its own), or
 * by what an exempted view shows (see `exemptionReason`): a credential read from a header and no
 * session user, a verified signature, or an OAuth token endpoint, which takes a password from its
 * body and hands out the header token the others require. Nothing when one view has neither, or
 * when the scan sees none of them.
 */
function exemptedViewsDetails(project: Project, module: SourceModule, line: number, views: string): Partial<Pick<RuleReport, 'severity' | 'hint' | 'fix' | 'guard'>> {
  const reached = [FLASK_APPLICATIONS, QUART_APPLICATIONS].flatMap((kind) => findApplications(project, kind)).flatMap(({ usage }) =>
    usage.routes.filter((route) => route.exemptedAt?.some((place) => place.module === module && place.line === line)),
  );
  const exempted = reached.filter(acceptsUnsafeMethod);
  // Routes seen and every one GET-only (vulnerability-lookup's pubsub blueprint): the exemption changes nothing today.
  if (exempted.length === 0) return reached.length > 0 ? { ...SAFE_METHODS_ONLY, hint: `every route the exemption reaches answers GET only (${reached.length} seen), which CSRFProtect and SeaSurf never check: the exemption changes nothing today` } : {};
  const headerSession = headerSessionPaths(project, module.projectRoot);
  if (headerSession && exempted.every((view) => view.route !== undefined && isUnder(view.route, headerSession.prefix))) return headerSessionDetails(headerSession, views);
  const reasons = exempted.map((view) => credentialReason(project, view));
  const found = reasons.filter((reason) => reason !== undefined);
  if (found.length === reasons.length) return exemptionDetails(RULE_ID, found.find((reason) => reason.kind !== 'protocol-endpoint') ?? found[0]!, views);
  // A view guarded only by accepting no POST (a DELETE, with no credentialed CORS) counts beside JSON-only and header-token views.
  const guardedOrHeaderToken = exempted.every((view, index) => view.guarded || reasons[index]?.kind === 'header-token');
  if (!guardedOrHeaderToken) return {};
  // A JSON body guards only while no other origin may send credentials: then the finding stays, at low.
  return credentialedCors(project, module) ? BLUEPRINT_VIEWS_GUARDED : { ...BLUEPRINT_VIEWS_GUARDED, guard: 'header-token-or-json-body' };
}

function isUnder(route: string, prefix: string): boolean {
  return route === prefix || route.startsWith(`${prefix}/`);
}

/** The project's session interface opens the session of every exempted view's path from a header, never from the cookie. */
function headerSessionDetails(paths: HeaderSessionPaths, views: string): Pick<RuleReport, 'severity' | 'hint' | 'fix' | 'guard'> {
  return {
    severity: 'low',
    guard: 'header-token',
    hint: `${views} serves paths under \`${paths.prefix}\`, whose session the project's session interface opens from a request header, not the cookie (${paths.module.path}:${paths.line}): a cross-site request cannot send that header, so the exemption lets through nothing the browser's cookie would`,
    fix: `Keep the exemption while the session interface reads only the header under \`${paths.prefix}\`, and record why where it is (\`# csrflint: ignore[${RULE_ID}] -- <reason>\`).`,
  };
}

/** What authenticates an exempted view other than the cookie: a header token, a signature, or a protocol it serves. */
function credentialReason(project: Project, view: RoutedView): ExemptionReason | undefined {
  const reason = exemptionReason(project, [view]);
  return reason && CREDENTIAL_REASONS.has(reason.kind) ? reason : undefined;
}

const CREDENTIAL_REASONS: ReadonlySet<ExemptionReason['kind']> = new Set(['header-token', 'signature', 'protocol-endpoint']);

const BLUEPRINT_VIEWS_GUARDED = {
  severity: 'low',
  hint: "every state-changing view the exemption reaches authenticates by a token in a header, accepts only a JSON body or accepts only methods a form cannot send (PUT, PATCH, DELETE): a cross-site form can send none of them, so the exemption lets through nothing the browser's cookie would",
  fix: 'Keep the exemption while each of these views requires its header token or JSON body, and record why where it is (`# csrflint: ignore[flask-csrf-exempt] -- <reason>`); remove it before a view reads a form or the session user.',
} as const;

function acceptsUnsafeMethod(route: RoutedView): boolean {
  return route.methods === 'unknown' || [...route.methods].some((method) => UNSAFE_METHODS.has(method));
}

/** The exempt method (as written) that a list, tuple or per-method dict of decorators holds, if any. */
function exemptIn(project: Project, module: SourceModule, expr: Expr, scope: number): string | undefined {
  const value = dereference(project, { module, scope, expr });
  const lists = value.expr.kind === 'dict' ? value.expr.entries.map((entry) => entry.value) : [value.expr];
  for (const list of lists) {
    if (list.kind !== 'list' && list.kind !== 'tuple') continue;
    const found = list.items.find((item) => isExemptMethod(project, value.module, item, value.scope));
    if (found) return describeExpr(found);
  }
  return undefined;
}
