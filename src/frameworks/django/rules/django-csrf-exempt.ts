import { describeExpr } from '../../../python/describe.js';
import { walkExpr } from '../../../python/walk-expr.js';
import type { CallExpr, Definition, Expr, SourceRange } from '../../../python/facts.js';
import { EXEMPT_ENTRY_POINTS, type ExemptEntryPoint } from '../exempt-entry-points.js';
import { djangoNamedViews, djangoRoutes, djangoUrlTreeComplete, type NamedDjangoView, requiredHttpMethods } from '../endpoints.js';
import { redirectHandOffTarget } from '../redirect-hand-offs.js';
import { formValidOfDjangoPost } from '../../../project/read-only-bodies.js';
import type { RoutedEndpoint } from '../../../endpoints/endpoint.js';
import { secretUrlVariable } from '../../../project/url-paths.js';
import { PUBLIC_IDENTIFIER_KEYWORDS, publicIdentifierFields } from '../../../project/public-identifiers.js';
import { DJANGO } from '../../../project/known-names.js';
import { finalIdentifier, type Project } from '../../../project/project.js';
import type { SourceModule } from '../../../project/source-module.js';
import { dereference, truthiness } from '../../../project/values.js';
import { defineRule, type RuleContext, type RuleReport } from '../../../rules/rule.js';
import { type KeptReports, reportModuleByModule } from '../../../rules/support/kept-reports.js';
import { GRAPHQL_SCHEMA_KEYWORDS, graphqlViewOf, isGraphqlView, schemasAreReadOnly } from '../graphql-schemas.js';
import { credentialCookieRead, readsSessionUser, wrapperHeaderTokenRead } from '../../../project/view-bodies.js';
import { CREDENTIALED_CORS_KEYWORDS, credentialedCors } from '../../../project/credentialed-cors.js';
import { inheritedDispatches } from '../../../project/request-credential-checks.js';
import { pathPrefixGuards, routeUnderPrefix } from '../path-prefix-guards.js';
import { exemptionDetails, exemptionReason, type ExemptionReason, GUARDED_EXEMPTIONS_DOC } from '../../../rules/support/exempt-views.js';
import { enclosingClass } from '../../../project/enclosing.js';
import { headerTokenViewOf } from '../header-token-views.js';
import { csrfRecheck } from '../csrf-rechecks.js';
import { requestedWithGuard } from '../../../project/requested-with.js';
import { dispatchesIgnoringMethod } from '../method-blind-dispatch.js';
import { type PreferenceView, preferenceView } from '../preference-views.js';
import { sessionPreferenceKeys } from '../session-preference-views.js';
import { methodsAllowedInBody, rejectsUnsafeMethodsInBody } from '../in-body-method-checks.js';
import { sessionSwapOfDecorator } from '../session-swapping-wrappers.js';
import { findHandlerMethod } from '../../../project/handler-methods.js';

const RULE_ID = 'django-csrf-exempt';

export default defineRule({
  id: RULE_ID,
  code: 'CSRF102',
  title: 'Django view exempted from CSRF protection',
  severity: 'medium',
  framework: 'django',
  fix: 'Remove csrf_exempt and send the CSRF token with the request; for a webhook, verify its signature instead.',
  // Library entry points are found where URL patterns route to them.
  keywords: ['csrf_exempt', 'urlpatterns', ...PUBLIC_IDENTIFIER_KEYWORDS, ...CREDENTIALED_CORS_KEYWORDS, ...GRAPHQL_SCHEMA_KEYWORDS, ...new Set(EXEMPT_ENTRY_POINTS.map((entry) => entry.name.slice(entry.name.lastIndexOf('.') + 1)))],
  doc: {
    whatItFinds: `Every place a Django view is taken out of \`CsrfViewMiddleware\`'s checks with
\`django.views.decorators.csrf.csrf_exempt\`, whatever the import spelling:

- \`@csrf_exempt\` on a view function or a nested function;
- \`csrf_exempt(view)\` and \`csrf_exempt(View.as_view())\` calls, typically in \`urls.py\`;
- \`@method_decorator(csrf_exempt, name="dispatch")\` on a class-based view, \`@csrf_exempt\` or
  \`@method_decorator(csrf_exempt)\` on its \`dispatch\` (which exempts every subclass that does not
  override \`dispatch\`: the finding names those that do), and \`@method_decorator(csrf_exempt)\` on a
  function kept in a view class that a URL pattern routes itself (\`path("cb/", Oauth.callback)\`),
  which carries the flag as a plain function;
- \`csrf_exempt(view)\` in a class's own \`as_view()\` (on a Django REST framework view a no-op,
  reported at low severity, since DRF's \`as_view()\` does the same);
- \`csrf_exempt\` handed to another decorator factory (\`decorator_include(csrf_exempt, ...)\`);
- \`view.csrf_exempt = True\` and \`setattr(view, "csrf_exempt", True)\` (not in a decorator that only
  passes the wrapped view's own flag on: \`if getattr(func, "csrf_exempt", False): inner.csrf_exempt = True\`);
- \`csrf_exempt(set_language)\` on Django's \`django.views.i18n.set_language\`, at low severity: it only
  stores the visitor's interface language and redirects, so a forged request changes the language, nothing else;
- a URL pattern (\`path\`, \`re_path\`, \`url\`) that routes to a view a library exempts itself, at
  low severity: django-modern-rpc's \`RPCEntryPoint.as_view()\` and \`RpcServer().view\`,
  django-xmlrpc's \`handle_xmlrpc\` (the table is in \`src/frameworks/django/exempt-entry-points.ts\`).
  django-modern-rpc answers with an error any body not sent as \`application/json\` or \`text/xml\`,
  which no HTML form can send: its entry points are guarded like a JSON-only view (see below), unless
  the project's CORS setting lets other origins send credentials.

On a Django class-based view's other methods (\`post\`, \`get\`...) the decorator does nothing,
since \`as_view()\` copies the flag from \`dispatch\` only, and is not reported. On Django REST
framework views (\`APIView\` subclasses, \`@api_view\` functions) it changes nothing either, as DRF
exempts them already and checks CSRF in \`SessionAuthentication\`: reported at low severity so the
decorator can go. A local function that happens to be called \`csrf_exempt\`, \`csrf_protect\`,
\`ensure_csrf_cookie\`, \`requires_csrf_token\`, an unused import and a docstring that mentions the
name are not reported.`,
    whyItMatters: `An exempted view accepts state-changing requests from any web site the user visits: the
browser sends the session cookie along, and nothing checks that the request came from your own
pages. An attacker's page can then post to the view in the user's name.`,
    example: `from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def update_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return HttpResponse("saved")
`,
    useInstead: `from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def update_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return HttpResponse("saved")
`,
    whenItIsFine: `The view is not authenticated by a cookie: a webhook that verifies an HMAC signature of
the body, or an API that authenticates every request with a token in a header. When the exempted view
(or a helper it calls) verifies a signature (\`hmac.compare_digest\`, a \`verify_*signature*\` call,
Stripe's \`construct_event\`, Django's \`signing.loads\` and \`Signer\`/\`TimestampSigner\` \`unsign\`), the
finding is low severity and its hint names the check; the check may sit in a helper, a method the
class inherits, or a decorator of the view (\`has_valid_signature(...)\`, \`Signature.verify(...)\`). So does a
payment or webhook library's verifier, known by name (mitol-payment-gateway's
\`PaymentGateway.validate_processor_response\`, Braintree's \`WebhookNotification.parse\`, Adyen's
\`is_valid_hmac_notification\`, Twilio's \`RequestValidator(...).validate\`; the table is in
\`src/project/library-verifiers.ts\`). A payment gateway's
callback counts too: a digest (\`hashlib.md5\`, \`sha256\`...) of a secret setting and the message compared
with the value posted (\`if expected != posted: raise Http404\`), or PayPal's IPN check that posts the
message back (\`urlopen\`, \`requests.post\`) and compares the answer with \`"VERIFIED"\`.
For \`csrf_exempt(View.as_view())\` the class's \`dispatch\`, \`post\`, \`put\`, \`patch\` and
\`delete\` are read, with the methods they call on \`self\` (resolved on the exempted class, so a
subclass's override counts). A view that reads a credential from a header (\`X-Api-Key\`, \`Authorization\`,
\`request.META["HTTP_AUTHORIZATION"]\`), itself, through such a method or through a decorator of the
project's (\`@authorize\` reading \`request.headers["X-Api-Key"]\`), and no session user (a decorator that runs the
view under a login decorator when no header comes, \`return staff_member_required(view)(request)\`, leaves it low but
not guarded: a forged request takes that path with the session), or whose whole
body returns an empty response or a fixed answer (a constant, or a response built from constants), is low severity too; so is an exempt wrapper that requires a request
attribute only the project's own middleware sets, from a credential header (\`request.identity\`), and a decorator whose
wrappers run the view inside a function of the project that replaces \`request.session\` with a fresh session or the one
a header names (\`request.session = new_session()\`, the token read by a method it hands the request to,
\`request.headers.get("x-session-token")\`), as django-allauth's headless app views do: the cookie's session never reaches the view. A function
view under \`@require_GET\`, \`@require_safe\` or \`@require_http_methods\` listing only GET, HEAD or
OPTIONS never runs for a POST (Django answers 405 first): low. So is one whose
\`@require_http_methods\` (or a 405 for any other method in its own body) lists no POST but \`DELETE\`, \`PUT\` or \`PATCH\` (an HTML form on another site
sends only GET and POST, a script there those methods only after a CORS preflight), and one that turns
away a request without the \`X-Requested-With\` header, itself or through a decorator of the project's
(\`@require_AJAX\` answering 400 unless \`request.headers.get("x-requested-with")\`, or a helper such as
\`is_ajax(request)\` that reads it, says XMLHttpRequest): a cross-site form cannot set a header. A
class-based view that handles GET only (no \`post\`, \`put\`, \`patch\` or \`delete\`, only Django bases
known to add none, or django-oscar's checkout \`ThankYouView\`, and no \`dispatch\` of its own or its bases' but one that prepares the request and
hands it to the inherited \`dispatch\` without reading its method or body, so a POST runs only what a
GET runs before Django's 405; the subclasses that inherit the exemption included), or one whose \`http_method_names\` (its own or
the nearest base's) lists only GET, HEAD or OPTIONS past \`dispatch\` overrides that read no session user, changes nothing, and a view whose every URL pattern
holds a variable named for a secret (\`<slug:token>\`, \`(?P<secret>...)\`) cannot be reached by a page
that does not know it: both are low. A variable that builds the object's public address (read from \`self\`
in a model's \`get_absolute_url\`, such as a video's \`friendly_token\`) is its public id, shown in every
link to it, and no secret. A function view that answers any other method than GET, HEAD or OPTIONS with
\`HttpResponseNotAllowed\` in its own body (\`if request.method != "GET": return HttpResponseNotAllowed(...)\`),
or that works only under \`if request.method == "GET":\` and answers anything else with a fixed answer (every call
outside that block a function given literals alone: \`return jsonResponse({"error": "Unsupported HTTP method."})\`),
is GET-only too, and a class-based view each of whose unsafe handlers turns away a request without
\`X-Requested-With\` (past a \`dispatch\` that only calls the inherited one) is guarded by that header. OAuth2 token, revocation, introspection and userinfo endpoints (oauthlib's
\`create_token_response\` and siblings, django-oauth-toolkit's Bearer \`verify_request\`, a view that
reads \`grant_type\`) and SAML assertion consumers (pysaml2's \`parse_authn_request_response\`,
python3-saml's \`process_response\`), SAML single-logout services (python3-saml's \`process_slo\`), LTI 1.3
login initiations and launches (pylti1p3's \`OIDCLogin\` and \`MessageLaunch\`, or a class built on one) and OpenID 2.0
relying-party callbacks (python-openid's \`Consumer.complete(query, return_to)\`, which verifies the signed assertion; a
handler bound to another, \`post = get\`, is read as that one), need the
exemption by protocol: low, with words that say so; so is a view that only stores what the provider
posts and redirects (\`HttpResponseRedirect(reverse("finish"))\`), reading no user or session itself,
to a view of the project's that consumes it so or completes an OAuth sign-in with it. So is an exempt \`dispatch\` that
calls the inherited one on a subclass of django-oauth-toolkit's \`ProtectedResourceView\` or
\`ScopedProtectedResourceView\`, whose own \`dispatch\` rejects a request without a Bearer token in
\`Authorization\` before any handler runs. An
exempt \`dispatch\` of a base class is judged by the classes that inherit it. A wrapper that only
copies the wrapped view's flag (\`if getattr(func, "csrf_exempt", False): inner.csrf_exempt = True\`)
is not reported: the exemption is reported where the wrapped view declares it. A view that signs every
request in by the password in its body (\`request.user = authenticate(..., password=request.POST["password"])\`
on every path; or a single sign-on \`token=\` from the body, as OpenStack's WebSSO posts), or that reads no session user and checks such a password (\`user = authenticate(...)\`,
the password read from the body there or into a name first), is low: a cross-site page does not know the
password. A login view, which checks such a password (\`user = authenticate(request, ..., password=...)\`) and signs the
browser in as that user (\`login(request, user)\`), reading \`request.user\` or \`request.session\` only after \`login()\` in the
block that runs it or into a record of the attempt (a logger call, \`AuditLog.objects.create(...)\`), and handing the request
only to Django's sign-in functions, forms and renderers, is low and still reported: a forged post signs the browser in to an
account the forger knows (login CSRF). So is a function view that only stores display preferences in the visitor's
session (\`request.session["sidebar"] = {...}\` under keys written in the code that name no credential or person, calling
nothing but the session's methods, \`request.POST.get\`, responses and builtins, under no decorator but Django's
restricting ones): a forged request changes how the site looks to the user. So is one that opens the session whose key its body carries (\`SessionStore(request.POST["session"])\`,
the class \`settings.SESSION_ENGINE\` names) and refuses the request (\`raise PermissionDenied\`) unless it checks
out: a cross-domain sign-in hand-off, whose session key only the issuing page knows. Low too is a view that acts for nobody (a ping URL, a bot's webhook, a mail client's
autodiscover request): it reads no user or session from its request (the parameter Django passes it
in, whatever its name, or \`self.request\` in a class-based view and the methods it calls), has no
login or permission decorator (\`@login_required\`, \`@require_permission\`, or a project decorator
that reads the user) nor mixin, and hands the request only to project functions that do the same or
authenticate by a header token (such as a decorator calling Django REST framework's
\`TokenAuthentication\`). Low too is a view that looks up or checks a credential the request carries in
its body or a header, itself, through the methods of its class (a base's \`post\` calling the subclass's
\`authenticate\`) or the project's helpers, a few calls deep, and whose own code reads no session user: an
ORM lookup by a field named for a credential (\`EnrolledMachine.objects.get(node_key=data["node_key"])\`,
\`get_object_or_404(ApiKey, key=...)\`), which raises when no row matches, a call named for checking one
(\`verify_enrollment_secret(...)\`, \`check_api_key(request)\`) or looking one up
(\`APIToken.objects.get_active_with_key(password)\`), in every handler or in a \`dispatch\` that runs before
them (past \`dispatch\` overrides that only hand the request to the inherited one); a comparison with a
setting named for a secret (\`presented == settings.ACTION_SECRET\`) or \`hmac.compare_digest\` counts as a check;
or a middleware's \`process_view\` that checks one for every view a project decorator marks
(\`setattr(view, "api_auth_required", True)\`, read back with \`getattr\`); or a middleware of \`MIDDLEWARE\`
whose \`process_request\` (or \`__call__\`) tests \`request.path.startswith("/api/")\` and checks one, for a
view every URL pattern of which lies under that prefix. Code that sends
\`WWW-Authenticate\` makes the browser cache an HTTP Basic password and send it cross-site: no guard then.
A function picked from a table of them, a module-level dict literal
(\`GATEWAYS.get(name, {}).get("receive", fallback)(request)\`, \`HANDLERS[kind](request)\`), is each
function the lookup may pick, the fallback included. A method the view picks by name (\`getattr(self, f"_format_{kind}")\`, every
method of the class when the name is built at run time) and a static method of the project's
\`AppConfig\` reached through \`apps.get_app_config("label")\` are followed too. A forged request to it does only what anybody can do by calling it; a
function view that never reads its request at all acts for nobody just the same. Low too is a view
that only reads, even for a signed-in user (a polled import status, a CSV export, a 404 that logs the
path, a \`TemplateView\` whose \`post\` renders its context): every call it makes looks data up
(\`get_object_or_404\`, \`.filter\`, \`.values_list\`), formats it or builds the response, its
decorators are Django's or only read, and the project's functions and methods it calls (a method it
cannot place is judged by every project method of that name) do the same; no \`save\`, \`create\`,
\`update\`, \`delete\`, session access, form or unknown call (a decorator made from a project class,
\`@login_if_enabled(login_required, settings.FLAG)\`, reads when what it is given and its \`__init__\` and
\`__call__\` do). A forged request changes nothing there,
and a cross-site page cannot read the answer. A view that completes an OAuth sign-in through
social-core (\`do_complete\`, which rejects a callback with the wrong \`state\`, also when bound by
the project's optional-import helper that calls \`importlib.import_module\`:
\`do_complete = optional_import("do_complete", from_module="social_core.actions")\`) or requests-oauthlib
(an \`OAuth2Session\` made with the stored \`state\` whose \`fetch_token(authorization_response=...)\` compares
it, in the view or in the project's authentication backend that \`authenticate(request, <keyword>=...)\`
reaches by a keyword only it takes) is low severity, and so
is a GraphQL view of graphene-django or Strawberry (\`csrf_exempt(GraphQLView.as_view())\`, or a
subclass with an exempt \`dispatch\`) in a project whose schemas are all built without a
\`mutation\`: a query changes nothing, and its answer cannot be read across sites. Each of
these findings carries a fix that fits it. A view that runs Django's check itself, to answer a failure
its own way (\`CsrfViewMiddleware(...).process_view(request, ...)\`, \`csrf_protect(view)(request)\`, a
local function under \`@csrf_protect\` or a decorator made with \`decorator_from_middleware\` from the
CSRF middleware, or \`get_token(request)\` compared with a posted value), in every handler, a method
it calls or a function of the project's it calls (\`_enforce_csrf(request)\`), is low too (in a generic
edit view that keeps Django's \`post\`, its handler is the \`form_valid\` that \`post\` calls), with words that say it re-checks. An exempt view that reads a cookie named for a credential
itself (\`request.COOKIES["sessionid"]\`, \`request.COOKIES.get("auth_token")\`) signs the forged
request in by that cookie: high (a cookie named for where to go after signing in, such as
\`login_redirect\` or \`auth_return_to\`, holds a URL and is no credential). An exempt function view that no URL pattern routes and nothing
else in the project imports or calls is low too, when the scan reads the whole URL tree: \`ROOT_URLCONF\`
names a scanned URL conf (a \`settings.py.sample\` beside no \`settings.py\` is read as the settings it stands for),
and every \`include()\` of the project's and every view in the URL confs is read. django-ipware's \`get_client_ip(request)\` reads no user. Record the reason
where the exemption is: \`# csrflint: ignore[django-csrf-exempt] -- webhook verifies the Stripe
signature\`.

${GUARDED_EXEMPTIONS_DOC}`,
    references: [
      { title: 'Django: CSRF protection, csrf_exempt', url: 'https://docs.djangoproject.com/en/stable/ref/csrf/#django.views.decorators.csrf.csrf_exempt' },
      { title: 'Django: decorating class-based views', url: 'https://docs.djangoproject.com/en/stable/topics/class-based-views/intro/#decorating-the-class' },
    ],
  },
  check(context) {
    const exempt = new ExemptNames(context.project);
    reportModuleByModule(context, keptReports, exempt.projectWide, (module, report) => {
      const moduleContext = { ...context, report };
      reportExemptDecorators(moduleContext, exempt, module);
      reportExemptCalls(moduleContext, exempt, module);
      reportExemptAttributes(moduleContext, module);
      reportLibraryEntryPoints(moduleContext, module);
    });
  },
});

/** Each module's findings, kept across a language server's edits of modules they did not read. */
const keptReports = new WeakMap<Project, KeptReports>();

/** Recognises `csrf_exempt` under any name, resolving only the identifiers that may stand for it. */
class ExemptNames {
  private readonly identifiers: Set<string>;
  /** Names bound to lists that hold it (`decorators = [csrf_exempt, login_required]`). */
  private readonly listNames = new Set<string>();

  constructor(private readonly project: Project) {
    this.identifiers = project.identifiersFor([DJANGO.csrfExempt]);
    for (const module of project.modules) {
      for (const { target, value } of module.facts.assignments) {
        const holds = (value?.kind === 'list' || value?.kind === 'tuple') && value.items.some((item) => this.identifiers.has(finalIdentifier(item) ?? ''));
        if (holds && target.kind === 'name') this.listNames.add(target.id);
      }
    }
  }

  /** What the names found across the project are: each module's judgement depends on them. */
  get projectWide(): string {
    return JSON.stringify([[...this.identifiers].sort(), [...this.listNames].sort()]);
  }

  is(module: SourceModule, expr: Expr, scope: number): boolean {
    if (!this.identifiers.has(finalIdentifier(expr) ?? '')) return false;
    return this.project.resolve(module, expr, scope) === DJANGO.csrfExempt;
  }

  /** `csrf_exempt` itself, or a list or tuple holding it (`method_decorator([csrf_exempt, ...])`). */
  held(module: SourceModule, expr: Expr, scope: number): boolean {
    if (this.is(module, expr, scope)) return true;
    const items = expr.kind === 'list' || expr.kind === 'tuple' ? expr.items : undefined;
    if (items) return items.some((item) => this.is(module, item, scope));
    if (!this.listNames.has(finalIdentifier(expr) ?? '')) return false;
    const value = dereference(this.project, { module, scope, expr });
    if (value.expr.kind !== 'list' && value.expr.kind !== 'tuple') return false;
    return value.expr.items.some((item) => this.is(value.module, item, value.scope));
  }
}

function reportExemptDecorators({ project, report }: RuleContext, exempt: ExemptNames, module: SourceModule): void {
  for (const definition of module.facts.definitions) {
    // Judged once per definition: a function under thousands of decorators must not cost their square.
    let target: ExemptTarget | undefined;
    for (const decorator of definition.decorators) {
      if (!exempt.is(module, decorator.expression, definition.scope)) continue;
      target ??= exemptTarget(project, module, definition);
      const spelling = exemptSpelling(decorator.expression, '@');
      if (target.effect === 'none') continue;
      const unrouted = target.effect === 'exempts' && !target.reason && target.credentialCookie === undefined && unroutedFunctionView(project, module, definition);
      report({ file: module, range: decorator.range, ...exemptReport(spelling, target), ...(unrouted ? UNROUTED_VIEW : {}) });
    }
  }
}

const UNROUTED_VIEW = {
  severity: 'low',
  hint: 'no URL pattern of the project routes it, and nothing else in the project names it: while that holds no request reaches it; route it only after removing the exemption',
} as const;

const treeCompleteByProject = new WeakMap<Project, boolean>();

/**
 * A function view no URL pattern routes, in a project whose URL tree the scan reads whole from
 * \`ROOT_URLCONF\` (see \`djangoUrlTreeComplete\`), and that no module imports or its own module
 * calls or binds to another name: dead code, which no request reaches.
 */
function unroutedFunctionView(project: Project, module: SourceModule, definition: Definition): boolean {
  if (definition.kind !== 'function' || module.symbols.definitionOfScope(definition.scope) !== undefined) return false;
  if (routedEndpoints(project).some((endpoint) => endpoint.definition === definition)) return false;
  let complete = treeCompleteByProject.get(project);
  if (complete === undefined) treeCompleteByProject.set(project, (complete = djangoUrlTreeComplete(project)));
  return complete && !namedElsewhere(project, module, definition.name);
}

function namedElsewhere(project: Project, module: SourceModule, name: string): boolean {
  const importsIt = (other: SourceModule) => other.facts.imports.some((statement) => (statement.star && other.symbols.importedModule(statement) === module.name) || statement.names.some((imported) => imported.importedName === name));
  if (project.modules.some(importsIt)) return true;
  const mentions = (expr: Expr) => [...walkExpr(expr)].some((part) => part.kind === 'name' && part.id === name);
  return module.facts.calls.some(({ call }) => mentions(call)) || module.facts.assignments.some(({ value }) => value !== null && mentions(value));
}

/** `@csrf_exempt`, or `@exempt (csrf_exempt)` when an alias hides the name. */
function exemptSpelling(expr: Expr, prefix: string, suffix = ''): string {
  const written = describeExpr(expr);
  const spelled = `\`${prefix}${written}${suffix}\``;
  return written === 'csrf_exempt' || written.endsWith('.csrf_exempt') ? spelled : `${spelled} (csrf_exempt)`;
}

/**
 * What an exemption reaches. Django reads `csrf_exempt` from the view callable; for a class-based
 * view `as_view()` copies it from `dispatch` only, so on any other method it does nothing. Django
 * REST framework exempts its views already and checks CSRF in `SessionAuthentication` instead.
 */
interface ExemptTarget {
  description: string;
  effect: 'exempts' | 'none' | 'drf';
  /** Why the exempted code may not need the check: a signature it verifies, a header credential, nothing to change. */
  reason?: ExemptionReason;
  /** A cookie named for a credential that the exempted code reads itself (`request.COOKIES["sessionid"]`). */
  credentialCookie?: string;
}

function exemptTarget(project: Project, module: SourceModule, definition: Definition, methodName?: string): ExemptTarget {
  const target = exemptTargetKind(project, module, definition, methodName);
  if (target.effect !== 'exempts') return target;
  // An exempt `dispatch` hands every request to the class's handlers: they are what it exempts.
  const owner = definition.name === 'dispatch' ? enclosingClass(module, definition) : undefined;
  const view = owner ?? definition;
  const libraryHeader = owner && callsInheritedDispatch(module, definition) ? headerTokenViewOf(project, module.symbols.definitionName(owner)) : undefined;
  if (libraryHeader) return { ...target, reason: { kind: 'header-token', header: libraryHeader.header, by: libraryHeader.library } };
  if (view.kind === 'function' && (acceptsOnlySafeMethods(project, module, view) || rejectsUnsafeMethodsInBody(project, module, view, requestParameter(view)))) return { ...target, reason: { kind: 'safe-methods-only' } };
  const scriptMethods = view.kind === 'function' ? methodsNoFormSends(project, module, view) : undefined;
  const cors = scriptMethods && credentialedCors(project, module);
  if (scriptMethods) return { ...target, reason: { kind: 'no-form-methods', methods: scriptMethods, ...(cors ? { credentialedCors: cors } : {}) } };
  const ajaxGuard = view.kind === 'function' ? requestedWithGuard(project, module, view) : handlersRequestedWithGuard(project, module, view);
  if (ajaxGuard) return { ...target, reason: { kind: 'requested-with', guard: ajaxGuard } };
  if (familyHandlesOnlySafeMethods(project, module, view) || allowsOnlySafeMethodNames(project, module, view)) return { ...target, reason: { kind: 'safe-methods-only' } };
  const handling = handlers(project, module, view);
  const recheck = csrfRecheck(project, handling.length > 0 ? handling : formValidHandling(project, module, view));
  if (recheck !== undefined) return { ...target, reason: { kind: 'csrf-recheck', check: recheck } };
  const reason = classReason(project, module.symbols.definitionName(view), handling) ?? readOnlyGraphqlClass(project, module, definition) ?? subclassesReason(project, module, view) ?? handOffReason(project, handling);
  if (reason) return { ...target, reason };
  const [only] = handling;
  const preferenceKeys = view.kind === 'function' && handling.length === 1 && only ? sessionPreferenceKeys(project, only) : undefined;
  if (preferenceKeys) return { ...target, reason: { kind: 'session-preference', keys: preferenceKeys } };
  const cookie = handling.map((handler) => credentialCookieRead(handler.module, handler.definition)).find((name) => name !== undefined);
  return cookie === undefined ? target : { ...target, credentialCookie: cookie };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A function view under `@require_GET`, `@require_safe` or `@require_http_methods(["GET", "HEAD"])`: Django answers POST with 405 before it runs. */
function acceptsOnlySafeMethods(project: Project, module: SourceModule, view: Definition): boolean {
  const methods = requiredHttpMethods(project, module, view);
  return methods !== undefined && methods.length > 0 && methods.every((method) => SAFE_METHODS.has(method));
}

/** What an HTML form can send: any other method needs a script, and from another origin a CORS preflight. */
const FORM_METHODS = new Set(['GET', 'POST']);

/**
 * The unsafe methods of a function view under `@require_http_methods(["DELETE"])` (PUT, PATCH...),
 * or that answers any other method with 405 in its own body (`if request.method != "DELETE"`),
 * when it lets no POST through: a cross-site form cannot reach it, and a cross-site script only after a
 * preflight the server must allow.
 */
function methodsNoFormSends(project: Project, module: SourceModule, view: Definition): string[] | undefined {
  const methods = requiredHttpMethods(project, module, view) ?? methodsAllowedInBody(project, module, view, requestParameter(view));
  if (methods === undefined) return undefined;
  const unsafe = methods.filter((method) => !SAFE_METHODS.has(method));
  return unsafe.length > 0 && unsafe.every((method) => !FORM_METHODS.has(method)) ? unsafe : undefined;
}

/** The request parameter of a function view, a static method kept in a class included: the first that is not `self`. */
function requestParameter(view: Definition): string | undefined {
  return view.parameters.find((parameter) => parameter.unpack === undefined && parameter.name !== 'self')?.name;
}

/**
 * A class-based view each of whose unsafe handlers turns away a request without `X-Requested-With`
 * (see `requestedWithGuard`), past a `dispatch` that only hands the request to the inherited one.
 */
function handlersRequestedWithGuard(project: Project, module: SourceModule, view: Definition): string | undefined {
  const handling = handlers(project, module, view).filter(({ module: handlerModule, definition }) => definition.name !== 'dispatch' || !callsInheritedDispatch(handlerModule, definition));
  const guards = handling.map((handler) => requestedWithGuard(project, handler.module, handler.definition));
  const [first] = guards;
  return first !== undefined && guards.every((guard) => guard !== undefined) ? first : undefined;
}

/**
 * A Django class-based view whose `http_method_names` (its own or the nearest base's) names only safe
 * methods: `View.dispatch` answers any other method 405 before a handler runs. A forged POST still
 * reaches the `dispatch` overrides on the way, so none of them may act for the session user.
 */
function allowsOnlySafeMethodNames(project: Project, module: SourceModule, view: Definition): boolean {
  if (view.kind !== 'class') return false;
  const className = module.symbols.definitionName(view);
  if (!project.inheritsFrom(className, (name) => name.startsWith('django.views.'))) return false;
  const methods = httpMethodNames(project, className);
  if (methods === undefined || methods.length === 0 || !methods.every((method) => SAFE_METHODS.has(method.toUpperCase()))) return false;
  return inheritedDispatches(project, className).every((site) => !readsSessionUser(site.module, site.definition));
}

/** The literal `http_method_names` list of a class or of the nearest scanned base that sets it. */
function httpMethodNames(project: Project, className: string): string[] | undefined {
  let methods: string[] | undefined;
  project.inheritsFrom(className, (name) => {
    const sites = project.assignmentsTo(`${name}.http_method_names`);
    if (sites.length === 0) return false;
    const value = sites.length === 1 ? sites[0]?.assignment.value : undefined;
    const items = value && (value.kind === 'list' || value.kind === 'tuple') ? value.items : [];
    methods = items.every((item) => item.kind === 'string') ? items.map((item) => (item.kind === 'string' ? item.value : '')) : undefined;
    return true;
  });
  return methods;
}

/** An exempt `dispatch` that hands the request on to the inherited one (`super().dispatch(...)`), whose checks then still run. */
function callsInheritedDispatch(module: SourceModule, dispatch: Definition): boolean {
  return module.symbols.itemsWithin(module.facts.calls, dispatch.bodyScope).some(({ call }) => call.callee.kind === 'attribute' && call.callee.attribute === 'dispatch');
}

/** Why a view (a function, or a class with its handlers) may not need the check: the handlers' reason, GET only, or secret URLs. */
function classReason(project: Project, viewName: string, handling: ReturnType<typeof handlers>): ExemptionReason | undefined {
  return (
    exemptionReason(project, handling) ??
    (handling.length === 0 && handlesOnlySafeMethods(project, viewName) ? { kind: 'safe-methods-only' } : undefined) ??
    urlSecretReason(project, viewName) ??
    pathPrefixReason(project, viewName)
  );
}

/**
 * An exempted class-based view, and each subclass that inherits its exempt `dispatch`, that handles
 * GET (a stub handling nothing says nothing yet) and no unsafe method, past `dispatch` overrides
 * that only prepare the request for the inherited one: a POST runs what a GET runs, then gets 405.
 */
function familyHandlesOnlySafeMethods(project: Project, module: SourceModule, view: Definition): boolean {
  if (view.kind !== 'class') return false;
  const className = module.symbols.definitionName(view);
  const exempted = project.findMethod(className, 'dispatch')?.definition;
  const family = [className, ...scannedSubclasses(project, className).filter((subclass) => project.findMethod(subclass, 'dispatch')?.definition === exempted)];
  const handlesSafely = (member: string) => {
    const site = project.findDefinition(member);
    const onlyDispatch = site !== undefined && handlers(project, site.module, site.definition).every(({ definition }) => definition.name === 'dispatch');
    return onlyDispatch && handlesOnlySafeMethods(project, member) && dispatchesIgnoringMethod(project, member);
  };
  return family.some((member) => project.findMethod(member, 'get') !== undefined) && family.every(handlesSafely);
}

/**
 * A base class whose exempt `dispatch` only prepares the request for its subclasses' handlers
 * (a SAML service provider's base, whose assertion consumer subclass has the `post`): the
 * exemption needs no check when every class that inherits it, the base included, has a reason
 * of its own or handles no unsafe method.
 */
function subclassesReason(project: Project, module: SourceModule, view: Definition): ExemptionReason | undefined {
  if (view.kind !== 'class') return undefined;
  const baseName = module.symbols.definitionName(view);
  const exempted = project.findMethod(baseName, 'dispatch')?.definition;
  const family = [baseName, ...scannedSubclasses(project, baseName).filter((subclass) => project.findMethod(subclass, 'dispatch')?.definition === exempted)];
  let found: ExemptionReason | undefined;
  for (const className of family) {
    const site = project.findDefinition(className);
    if (!site) return undefined;
    const handling = handlers(project, site.module, site.definition);
    if (handling.every(({ definition }) => definition === exempted)) {
      if (handlesOnlySafeMethods(project, className)) continue;
      return undefined;
    }
    const reason = classReason(project, className, handling);
    // A template-method base (`post` calls `self._post`, which only subclasses define) handles nothing on its own.
    if (!reason && className === baseName && family.length > 1 && callsMissingOwnMethod(project, className, handling)) continue;
    if (!reason) return undefined;
    found ??= reason;
  }
  return found;
}

/** A handler calling `self.<name>()` that the class neither defines nor inherits from a scanned base. */
function callsMissingOwnMethod(project: Project, className: string, handling: ReturnType<typeof handlers>): boolean {
  return handling.some(({ module, definition }) =>
    module.symbols.itemsWithin(module.facts.calls, definition.bodyScope).some(({ call }) => {
      const { callee } = call;
      return callee.kind === 'attribute' && callee.object.kind === 'name' && callee.object.id === 'self' && project.findMethod(className, callee.attribute) === undefined && !project.inheritsFrom(className, (name) => project.findDefinition(name) === undefined && !SAFE_DJANGO_VIEW.test(name));
    }),
  );
}

const UNSAFE_HANDLERS = ['dispatch', 'post', 'put', 'patch', 'delete'];

/** A generic edit view that handles POST with Django's `post`: the project's `form_valid` it calls. */
function formValidHandling(project: Project, module: SourceModule, view: Definition): ReturnType<typeof handlers> {
  if (view.kind !== 'class') return [];
  const className = module.symbols.definitionName(view);
  const formValid = formValidOfDjangoPost(project, className);
  return formValid ? [{ ...withRequestName(formValid.module, formValid.definition), ownerClass: className }] : [];
}

/** The functions that handle the exempted requests: the view, or a class-based view's method handlers. */
function handlers(project: Project, module: SourceModule, definition: Definition): Array<{ module: SourceModule; definition: Definition; ownerClass?: string; requestName?: string }> {
  if (definition.kind === 'function') return [withRequestName(module, definition, enclosingClass(module, definition) !== undefined && !routedItself(project, definition))];
  const className = module.symbols.definitionName(definition);
  return UNSAFE_HANDLERS.flatMap((name) => findHandlerMethod(project, className, name) ?? []).map((site) => ({ ...withRequestName(site.module, site.definition), ownerClass: className }));
}

/**
 * Django passes the request first to a function view and right after `self` to a method: `request`,
 * `req`, `r` alike. A method written `(self, *args, **kwargs)` gets it in `args`, and reads it as
 * `self.request`: the name of `*args` stands for it.
 */
function withRequestName(module: SourceModule, definition: Definition, inClass = enclosingClass(module, definition) !== undefined): { module: SourceModule; definition: Definition; requestName?: string } {
  // A `@staticmethod` handler gets the request first, like a function view.
  const isMethod = inClass && !definition.decorators.some(({ expression }) => expression.kind === 'name' && expression.id === 'staticmethod');
  const positional = definition.parameters.filter((parameter) => parameter.unpack === undefined);
  const starArgs = isMethod && positional.length === 1 ? definition.parameters.find((parameter) => parameter.unpack === '*') : undefined;
  const requestName = positional[isMethod ? 1 : 0]?.name ?? starArgs?.name;
  return requestName === undefined ? { module, definition } : { module, definition, requestName };
}

/** Django's class-based views that handle only GET, HEAD and OPTIONS until a subclass adds a handler, and the mixins that add none. */
const SAFE_DJANGO_VIEW = /^django\.views\.(generic\.)?(base\.|list\.|detail\.)?(View|TemplateView|ListView|DetailView)$|^django\.contrib\.auth\.mixins\.|^builtins\.object$/;

/**
 * Views of other libraries that handle only GET, each with all its bases: django-oscar's checkout
 * `ThankYouView` is a `DetailView` adding `get` and `get_object` (a shop's receipt page subclasses it).
 */
const LIBRARY_GET_ONLY_VIEWS = new Set(['oscar.apps.checkout.views.ThankYouView']);

/**
 * A Django class-based view whose classes, scanned, Django's own or a library's known to handle GET
 * only, define no handler for an unsafe method (no `post` method nor `post = get`): Django answers those with 405 before any
 * code of the view runs. A base from another library may add one (`FormView` does): not known.
 */
function handlesOnlySafeMethods(project: Project, className: string): boolean {
  if (!project.inheritsFrom(className, (name) => (SAFE_DJANGO_VIEW.test(name) && name.startsWith('django.views.')) || LIBRARY_GET_ONLY_VIEWS.has(name))) return false;
  const unknownBase = (name: string) => project.findDefinition(name) === undefined && !SAFE_DJANGO_VIEW.test(name) && !LIBRARY_GET_ONLY_VIEWS.has(name);
  const assignsHandler = (name: string) => UNSAFE_HANDLERS.some((method) => project.assignmentsTo(`${name}.${method}`).length > 0);
  return !project.inheritsFrom(className, (name) => unknownBase(name) || assignsHandler(name));
}

/** The header a wrapper made in the same function requires (`inner`, reading `request.identity` that only a token middleware sets). */
function wrapperHeader(project: Project, module: SourceModule, scope: number, wrapper: Expr): string | undefined {
  if (wrapper.kind !== 'name') return undefined;
  const definition = module.facts.definitions.find((candidate) => candidate.scope === scope && candidate.kind === 'function' && candidate.name === wrapper.id);
  return definition && wrapperHeaderTokenRead(project, module, definition);
}

/**
 * A wrapper made in a decorator that tests the exemption of the function it receives
 * (`if getattr(func, "csrf_exempt", False): inner.csrf_exempt = True`): the assignment, under that
 * `if`, carries over an exemption the wrapped view already has, reported where it is declared.
 * The facts keep no `if` conditions: a conditional assignment in a function that reads the
 * attribute of one of its parameters stands for it.
 */
function testsWrappedExemption(project: Project, module: SourceModule, scope: number, wrapper: Expr): boolean {
  const decorator = module.symbols.definitionOfScope(scope);
  if (decorator?.kind !== 'function') return false;
  const parameters = new Set(decorator.parameters.map((parameter) => parameter.name));
  // `if ...: view.csrf_exempt = True` on the received view itself is an exemption of its own.
  if (wrapper.kind !== 'name' || parameters.has(wrapper.id)) return false;
  if (module.facts.scopes[scope]?.reads.some((read) => read.endsWith('.csrf_exempt') && parameters.has(read.slice(0, -'.csrf_exempt'.length)))) return true;
  return module.facts.calls.some(({ call, scope: callScope }) => {
    const [object, attribute] = call.args;
    if (callScope !== scope || object?.value.kind !== 'name' || !parameters.has(object.value.id)) return false;
    if (attribute?.value.kind !== 'string' || attribute.value.value !== 'csrf_exempt') return false;
    const callee = project.resolve(module, call.callee, scope);
    return callee === 'builtins.getattr' || callee === 'builtins.hasattr';
  });
}

/** Django's URL pattern functions: their view argument is what requests reach. */
const URL_PATTERN_FUNCTIONS = new Set(['path', 're_path', 'url']);

const endpointsByProject = new WeakMap<Project, RoutedEndpoint[]>();

/**
 * Every URL the project's URL confs route to the view holds a secret (`telegram/hook/<slug:token>/`,
 * `(?P<secret>...)`): a forged request cannot know the URL. A view no URL conf routes may be routed
 * elsewhere: not judged so.
 */
function urlSecretReason(project: Project, viewName: string): ExemptionReason | undefined {
  const site = project.findDefinition(viewName);
  if (!site) return undefined;
  const routes = routedEndpoints(project).filter((endpoint) => endpoint.definition === site.definition).map((endpoint) => endpoint.route);
  const publicFields = publicIdentifierFields(project);
  const secrets = routes.map((route) => (route === null ? undefined : secretUrlVariable(route, (name) => publicFields.has(name))));
  const [first] = secrets;
  return first !== undefined && secrets.every((secret) => secret !== undefined) ? { kind: 'url-secret', variable: first } : undefined;
}

/**
 * Every URL the project's URL confs route to the view lies under a path prefix whose middleware
 * turns away a request without a credential before any view runs (see `pathPrefixGuards`).
 * A view no URL conf routes may be routed elsewhere: not judged so.
 */
function pathPrefixReason(project: Project, viewName: string): ExemptionReason | undefined {
  const site = project.findDefinition(viewName);
  if (!site) return undefined;
  const guards = pathPrefixGuards(project, site.module.projectRoot);
  if (guards.length === 0) return undefined;
  const routes = routedEndpoints(project).filter((endpoint) => endpoint.definition === site.definition).map((endpoint) => endpoint.route);
  if (routes.length === 0) return undefined;
  const guard = guards.find(({ prefix }) => routes.every((route) => route !== null && routeUnderPrefix(route, prefix)));
  return guard && { kind: 'request-credential', check: guard.check };
}

/**
 * A view that stores what a provider posts and redirects to a view of the project that checks it
 * (python3-saml's assertion consumer, an OAuth completer): the check runs there, on the stored
 * message, so the exemption lets through what the protocol lets through and no more.
 */
function handOffReason(project: Project, handling: ReturnType<typeof handlers>): ExemptionReason | undefined {
  const [only, ...others] = handling;
  if (!only || others.length > 0) return undefined;
  const urlName = redirectHandOffTarget(project, only);
  const endpoint = urlName === undefined ? undefined : namedViews(project).get(urlName)?.endpoints[0];
  if (!endpoint || endpoint.definition === only.definition) return undefined;
  const viewName = endpoint.module.symbols.definitionName(endpoint.definition);
  const reason = exemptionReason(project, redirectedHandlers(project, endpoint.module, endpoint.definition));
  // Only a check of the posted message itself travels with it; the browser's cookie is the target's own.
  if (reason?.kind !== 'protocol-endpoint' && reason?.kind !== 'oauth-callback') return undefined;
  return { ...reason, via: viewName.slice(viewName.lastIndexOf('.') + 1) };
}

/** What answers the GET a redirect makes the browser send: the function view, or a class's `dispatch` and `get`. */
function redirectedHandlers(project: Project, module: SourceModule, definition: Definition): ReturnType<typeof handlers> {
  if (definition.kind === 'function') return handlers(project, module, definition);
  const className = module.symbols.definitionName(definition);
  return ['dispatch', 'get'].flatMap((name) => project.findMethod(className, name) ?? []).map((site) => ({ ...withRequestName(site.module, site.definition), ownerClass: className }));
}

const namedViewsByProject = new WeakMap<Project, Map<string, NamedDjangoView>>();

function namedViews(project: Project): Map<string, NamedDjangoView> {
  // Built from every URL conf: an answer kept across an edit must be asked again after every edit.
  project.noteEveryModuleRead();
  let named = namedViewsByProject.get(project);
  if (!named) {
    named = djangoNamedViews(project, routedEndpoints(project));
    namedViewsByProject.set(project, named);
  }
  return named;
}

/** Where the project routes its Django views (places and routes, unjudged), found once per project: which views each module routes depends on every URL conf. */
function routedEndpoints(project: Project): RoutedEndpoint[] {
  project.noteEveryModuleRead();
  let endpoints = endpointsByProject.get(project);
  if (!endpoints) {
    endpoints = djangoRoutes(project);
    endpointsByProject.set(project, endpoints);
  }
  return endpoints;
}

function exemptTargetKind(project: Project, module: SourceModule, definition: Definition, methodName?: string): ExemptTarget {
  const owner = definition.kind === 'class' ? definition : enclosingClass(module, definition);
  const method = definition.kind === 'class' ? methodName : owner ? definition.name : undefined;
  if (definition.kind === 'function' && hasDrfApiViewDecorator(project, module, definition)) return { description: `view \`${definition.name}\``, effect: 'drf' };
  if (!owner) return { description: `view \`${definition.name}\``, effect: 'exempts' };
  const ownerName = module.symbols.definitionName(owner);
  const ownerDescription = method ? `\`${owner.name}.${method}\`` : `\`${owner.name}\``;
  if (project.inheritsFrom(ownerName, (name) => name.startsWith('rest_framework.'))) return { description: ownerDescription, effect: 'drf' };
  if (method === 'dispatch') return { description: `class-based view \`${owner.name}\`${subclassReach(project, ownerName)}`, effect: 'exempts' };
  const isDjangoView = project.inheritsFrom(ownerName, (name) => name.startsWith('django.views.'));
  if (!isDjangoView) return { description: ownerDescription, effect: 'exempts' };
  // A function kept in a view class and routed itself (`path("cb/", Oauth.callback)`) is a view of its own: Django reads the flag from it.
  return routedItself(project, definition) ? { description: `view \`${owner.name}.${definition.name}\``, effect: 'exempts' } : { description: ownerDescription, effect: 'none' };
}

/** Whether a URL pattern of the project routes to the function itself, not through a class's `as_view()`. */
function routedItself(project: Project, definition: Definition): boolean {
  return definition.kind === 'function' && routedEndpoints(project).some((endpoint) => endpoint.definition === definition);
}

const LISTED_SUBCLASSES = 3;

/**
 * Which subclasses an exempt `dispatch` reaches: `as_view()` copies the flag from the class's own
 * `dispatch`, so a subclass that overrides it (without the decorator) is checked again.
 */
function subclassReach(project: Project, className: string): string {
  const exempted = project.findMethod(className, 'dispatch')?.definition;
  const overriding = scannedSubclasses(project, className).filter((subclass) => {
    const dispatch = project.findMethod(subclass, 'dispatch')?.definition;
    return dispatch !== undefined && dispatch !== exempted;
  });
  if (overriding.length === 0) return scannedSubclasses(project, className).length > 0 ? ' (and every subclass)' : '';
  const names = overriding.slice(0, LISTED_SUBCLASSES).map((name) => `\`${name.slice(name.lastIndexOf('.') + 1)}\``).join(', ');
  const more = overriding.length > LISTED_SUBCLASSES ? ` and ${overriding.length - LISTED_SUBCLASSES} more` : '';
  return ` (and its subclasses, except those that override \`dispatch\`: ${names}${more})`;
}

function scannedSubclasses(project: Project, className: string): string[] {
  const family = project.classFamily(new Set([className]));
  family.delete(className);
  return [...family].sort();
}

/**
 * `csrf_exempt(view)` in a class's own `as_view()`: every view the class (and its subclasses)
 * builds is exempt, which Django REST framework's `APIView.as_view()` does already.
 */
function asViewOverrideReport(project: Project, module: SourceModule, spelling: string, method: Definition): ExemptReport | undefined {
  const owner = method.name === 'as_view' ? enclosingClass(module, method) : undefined;
  if (!owner) return undefined;
  const ownerName = module.symbols.definitionName(owner);
  if (project.inheritsFrom(ownerName, (name) => name.startsWith('rest_framework.'))) {
    return exemptReport(spelling, { description: `\`${owner.name}.as_view\``, effect: 'drf' });
  }
  return exemptReport(spelling, { description: `every view \`${owner.name}.as_view()\` builds, its subclasses' included`, effect: 'exempts' });
}

/**
 * The function a `csrf_exempt(view)` call sits in when it wraps a local name: a decorator of the
 * project's own (`def api_view(function): ... return csrf_exempt(wrapper)`), outermost first so
 * that a decorator factory is found by the name its users write. A name bound outside every
 * enclosing function (an imported view wrapped in a function that builds URL patterns) makes none.
 */
function enclosingDecorator(module: SourceModule, scope: number, wrapped: string): Definition | undefined {
  const binding = module.symbols.lookup(wrapped, scope);
  if (binding !== undefined && module.symbols.definitionOfScope(binding.scope)?.kind !== 'function') return undefined;
  let found: Definition | undefined;
  for (let definition = module.symbols.definitionOfScope(scope); definition?.kind === 'function'; definition = module.symbols.definitionOfScope(definition.scope)) {
    found = definition;
  }
  return found;
}

const LISTED_VIEWS = 5;

/** `csrf_exempt` inside a decorator exempts every view the decorator is put on: name them. */
function decoratorExemptReport(project: Project, module: SourceModule, spelling: string, decorator: Definition): ExemptReport {
  const decoratorName = module.symbols.definitionName(decorator);
  const decorated = project.modules.flatMap((candidate) =>
    candidate.facts.definitions
      .filter((definition) =>
        definition.decorators.some(({ expression }) => {
          const target = expression.kind === 'call' ? expression.callee : expression;
          return (target.kind === 'name' || target.kind === 'attribute') && target.kind !== undefined && project.resolve(candidate, target, definition.scope) === decoratorName;
        }),
      )
      .map((definition) => ({ module: candidate, definition })),
  );
  const views = decorated.map(({ module: candidate, definition }) => `\`${definition.name}\` (${candidate.path}:${definition.range.line})`);
  if (onlyOnDrfViews(project, decoratorName, decorated)) {
    return exemptReport(spelling, { description: `decorator \`${decorator.name}\`, put only on Django REST framework views,`, effect: 'drf' });
  }
  const listed = views.slice(0, LISTED_VIEWS).join(', ');
  const more = views.length > LISTED_VIEWS ? ` and ${views.length - LISTED_VIEWS} more` : '';
  const message = `${spelling} in decorator \`${decorator.name}\` turns off CSRF protection for every view it decorates`;
  const swap = sessionSwapOfDecorator(project, module, decorator);
  if (swap) return { message, ...exemptionDetails(RULE_ID, { kind: 'header-token', header: swap.header, swappedBy: swap.swappedBy }, 'the views it decorates') };
  return {
    message,
    ...(views.length > 0 ? { hint: `views decorated with \`${decorator.name}\`: ${listed}${more}` } : {}),
  };
}

/**
 * A decorator put only on `@api_view` functions, and never called by hand: DRF decides the CSRF
 * check of what it wraps (SessionAuthentication checks it), so the exemption changes nothing.
 */
function onlyOnDrfViews(project: Project, decoratorName: string, decorated: ReadonlyArray<{ module: SourceModule; definition: Definition }>): boolean {
  if (decorated.length === 0 || !decorated.every(({ module, definition }) => hasDrfApiViewDecorator(project, module, definition))) return false;
  return !project.modules.some((candidate) => candidate.facts.calls.some(({ call, scope }) => project.resolve(candidate, call.callee, scope) === decoratorName));
}

/** The view a `csrf_exempt(...)` call wraps: `views.hook`, or `HookView.as_view()`, which exempts all of the view as `dispatch` would. */
function wrappedView(project: Project, module: SourceModule, expr: Expr, scope: number): { module: SourceModule; definition: Definition } | undefined {
  const isAsView = expr.kind === 'call' && expr.callee.kind === 'attribute' && expr.callee.attribute === 'as_view';
  const target = isAsView && expr.kind === 'call' && expr.callee.kind === 'attribute' ? expr.callee.object : expr;
  const name = project.resolve(module, target, scope);
  return name === undefined ? undefined : project.findDefinition(name);
}

/** A GraphQL view class of the project (or its `dispatch`), in a project whose GraphQL schemas define no mutation. */
function readOnlyGraphqlClass(project: Project, module: SourceModule, definition: Definition): ExemptionReason | undefined {
  const owner = definition.kind === 'class' ? definition : enclosingClass(module, definition);
  if (!owner || !isGraphqlView(project, module.symbols.definitionName(owner)) || !schemasAreReadOnly(project, module)) return undefined;
  return { kind: 'read-only-graphql', view: owner.name };
}

/** `GraphQLView.as_view()` in a project whose GraphQL schemas define no mutation. */
function readOnlyGraphql(project: Project, module: SourceModule, view: Expr, scope: number): ExemptionReason | undefined {
  const graphqlView = graphqlViewOf(project, module, view, scope);
  if (graphqlView === undefined || !schemasAreReadOnly(project, module)) return undefined;
  return { kind: 'read-only-graphql', view: graphqlView.slice(graphqlView.lastIndexOf('.') + 1) };
}

function hasDrfApiViewDecorator(project: Project, module: SourceModule, definition: Definition): boolean {
  return definition.decorators.some(({ expression }) => {
    const callee = expression.kind === 'call' ? expression.callee : expression;
    return project.resolve(module, callee, definition.scope) === 'rest_framework.decorators.api_view';
  });
}

/** `csrf_exempt(set_language)`: a library view that only stores a display preference (see `PREFERENCE_VIEWS`). */
function preferenceViewReport(spelling: string, view: string, preference: PreferenceView): ExemptReport {
  return {
    message: `${spelling} turns off CSRF protection for \`${view}\``,
    severity: 'low',
    hint: `\`${view}\` ${preference.changes}`,
    fix: 'Remove the exemption and send the CSRF token with the language form; Django protects this view by default.',
  };
}

type ExemptReport = Pick<RuleReport, 'message' | 'severity' | 'hint' | 'fix' | 'guard'>;

function exemptReport(spelling: string, target: ExemptTarget): ExemptReport {
  if (target.effect === 'drf') {
    return {
      message: `${spelling} on ${target.description} changes nothing: Django REST framework views are exempt already`,
      severity: 'low',
      hint: 'DRF checks CSRF in SessionAuthentication for cookie-authenticated requests; the decorator can go',
      fix: 'Remove the decorator: Django REST framework exempts its views and SessionAuthentication checks CSRF itself.',
      // Whatever the view comes to do, DRF decides its CSRF check: the decorator can never let a forged request through.
      guard: 'drf-view',
    };
  }
  const message = `${spelling} turns off CSRF protection for ${target.description}`;
  if (target.reason) return { message, ...exemptionDetails(RULE_ID, target.reason) };
  if (target.credentialCookie === undefined) return { message };
  return {
    message,
    severity: 'high',
    hint: `the view reads the \`${target.credentialCookie}\` cookie itself and acts on it: the browser adds that cookie to a forged cross-site request too, so the forged request is signed in with no CSRF check`,
  };
}

function reportExemptCalls(context: RuleContext, exempt: ExemptNames, module: SourceModule): void {
  const decorators = decoratorsByCall(module);
  for (const site of module.facts.calls) {
    const decorator = decorators.get(site.call.id);
    const found = exemptCall(context.project, exempt, module, site.call, site.scope, decorator?.definition);
    if (found) context.report({ file: module, range: decorator?.range ?? site.call.range, ...found });
  }
}

function exemptCall(project: Project, exempt: ExemptNames, module: SourceModule, call: CallExpr, scope: number, decorated?: Definition): ExemptReport | undefined {
  if (exempt.is(module, call.callee, scope)) {
    const [view] = call.args;
    const spelling = exemptSpelling(call.callee, '', '(...)');
    const decorator = view && view.value.kind === 'name' ? enclosingDecorator(module, scope, view.value.id) : undefined;
    if (decorator) return asViewOverrideReport(project, module, spelling, decorator) ?? decoratorExemptReport(project, module, spelling, decorator);
    const preference = view && preferenceView(project.resolve(module, view.value, scope));
    if (preference) return preferenceViewReport(spelling, describeExpr(view.value), preference);
    const wrapped = view && wrappedView(project, module, view.value, scope);
    const target = wrapped ? exemptTarget(project, wrapped.module, wrapped.definition, wrapped.definition.kind === 'class' ? 'dispatch' : undefined) : undefined;
    const description = view ? `\`${describeExpr(view.value)}\`` : 'the wrapped view';
    const effect = target?.effect === 'drf' ? 'drf' : 'exempts';
    const reason = target?.reason ?? (view && readOnlyGraphql(project, module, view.value, scope));
    return exemptReport(spelling, { description, effect, ...(reason ? { reason } : {}) });
  }
  const exemptArgument = call.args.find((argument) => !argument.name && !argument.unpack && exempt.held(module, argument.value, scope));
  if (!exemptArgument) return undefined;
  const callee = project.resolve(module, call.callee, scope);
  if (callee !== DJANGO.methodDecorator) {
    const target = decorated ? `\`${decorated.name}\`` : 'the views it decorates';
    return { message: `\`csrf_exempt\` is passed to \`${describeExpr(call.callee)}(...)\`, which turns off CSRF protection for ${target}` };
  }
  if (!decorated) return { message: '`method_decorator(csrf_exempt)` turns off CSRF protection for the views it decorates' };
  const nameArgument = call.args.find((argument) => argument.name === 'name');
  const methodName = nameArgument?.value.kind === 'string' ? nameArgument.value.value : undefined;
  const target = exemptTarget(project, module, decorated, methodName);
  return target.effect === 'none' ? undefined : exemptReport('`method_decorator(csrf_exempt)`', target);
}

/** Decorators written as calls (`@method_decorator(...)`), with what they decorate, by call id. */
function decoratorsByCall(module: SourceModule): Map<number, { definition: Definition; range: SourceRange }> {
  const byCall = new Map<number, { definition: Definition; range: SourceRange }>();
  for (const definition of module.facts.definitions) {
    for (const decorator of definition.decorators) {
      if (decorator.expression.kind === 'call') byCall.set(decorator.expression.id, { definition, range: decorator.range });
    }
  }
  return byCall;
}

/** `view.csrf_exempt = True` and `setattr(view, "csrf_exempt", True)`: what `@csrf_exempt` does inside. */
function reportExemptAttributes({ project, report }: RuleContext, module: SourceModule): void {
  for (const assignment of module.facts.assignments) {
    const { target, value } = assignment;
    if (target.kind !== 'attribute' || target.attribute !== 'csrf_exempt' || !value || assignment.operator !== '=') continue;
    if (truthiness(project, { module, scope: assignment.scope, expr: value }) !== 'truthy') continue;
    if (assignment.conditional && testsWrappedExemption(project, module, assignment.scope, target.object)) continue;
    const message = `setting \`${describeExpr(target)}\` turns off CSRF protection for \`${describeExpr(target.object)}\``;
    const header = wrapperHeader(project, module, assignment.scope, target.object);
    report({ file: module, range: assignment.range, message, ...(header === undefined ? {} : exemptionDetails(RULE_ID, { kind: 'header-token', header })) });
  }
  for (const { call, scope } of module.facts.calls) {
    const [object, attribute, value] = call.args;
    if (!object || !attribute || !value || call.args.length !== 3) continue;
    if (attribute.value.kind !== 'string' || attribute.value.value !== 'csrf_exempt') continue;
    if (project.resolve(module, call.callee, scope) !== 'builtins.setattr') continue;
    if (truthiness(project, { module, scope, expr: value.value }) !== 'truthy') continue;
    if (exemptedByCallToo(project, module, scope, object.value)) continue;
    report({ file: module, range: call.range, message: `\`setattr(${describeExpr(object.value)}, "csrf_exempt", ...)\` turns off CSRF protection for \`${describeExpr(object.value)}\`` });
  }
}

/**
 * `_wrapped = csrf_exempt(_wrapped)` in the same function: the `setattr` is its fallback (in an
 * `except` for an import that failed, say), the same exemption, reported once where the call is.
 */
function exemptedByCallToo(project: Project, module: SourceModule, scope: number, object: Expr): boolean {
  const written = describeExpr(object);
  return module.facts.calls.some(
    ({ call, scope: callScope }) => callScope === scope && call.args[0] !== undefined && describeExpr(call.args[0].value) === written && project.resolve(module, call.callee, callScope) === DJANGO.csrfExempt,
  );
}

/** `path("rpc/", RPCEntryPoint.as_view())`, `path("rpc/", server.view)`: a view the library exempts itself. */
function reportLibraryEntryPoints({ project, report }: RuleContext, module: SourceModule): void {
  for (const { call, scope } of module.facts.calls) {
    if (!URL_PATTERN_FUNCTIONS.has(finalIdentifier(call.callee) ?? '')) continue;
    for (const argument of call.args.filter((candidate) => candidate.name === undefined || candidate.name === 'view')) {
      const entry = EXEMPT_ENTRY_POINTS.find((candidate) => routesTo(project, module, argument.value, scope, candidate));
      if (!entry) continue;
      const message = `\`${describeExpr(argument.value)}\` is exempt from CSRF protection by ${entry.library}: the URL pattern routes requests to it unchecked`;
      if (entry.bodyTypes) {
        const cors = credentialedCors(project, module);
        const reason: ExemptionReason = { kind: 'body-type-gate', library: entry.library, types: entry.bodyTypes, ...(cors ? { credentialedCors: cors } : {}) };
        report({ file: module, range: argument.range, message, ...exemptionDetails(RULE_ID, reason) });
        continue;
      }
      report({
        file: module,
        range: argument.range,
        message,
        severity: 'low',
        hint: "the library exempts it because RPC clients cannot send a CSRF token; if its procedures act for the session user, an attacker's page can call them in the user's name",
        fix: 'Make the procedures that change state require a credential a browser does not send by itself (a token header, HTTP Basic), or keep them for anonymous calls only.',
      });
    }
  }
}

function routesTo(project: Project, module: SourceModule, view: Expr, scope: number, entry: ExemptEntryPoint): boolean {
  const { reachedBy } = entry;
  if (reachedBy.kind === 'function') {
    const name = view.kind === 'string' ? view.value : project.resolve(module, view, scope);
    return name === entry.name;
  }
  if (reachedBy.kind === 'as-view') {
    if (view.kind !== 'call' || view.callee.kind !== 'attribute' || view.callee.attribute !== 'as_view') return false;
    const className = project.resolve(module, view.callee.object, scope);
    return className !== undefined && project.isSubclassOf(className, new Set([entry.name]));
  }
  return view.kind === 'attribute' && view.attribute === reachedBy.attribute && project.isInstanceOf(module, view.object, scope, new Set([entry.name]));
}
