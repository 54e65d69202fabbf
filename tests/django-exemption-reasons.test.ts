import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { findConfig } from '../src/config/config.js';
import { optionsFromConfig } from '../src/config/options.js';
import { check } from '../src/engine.js';
import type { Finding } from '../src/finding.js';
import { FIXTURES } from './support/paths.js';
import { copyFixture } from './support/projects.js';

/** The findings of one fixture case, by `path:line`. */
async function findingsOf(fixtureCase: string): Promise<Map<string, Finding>> {
  const copy = copyFixture(path.join(FIXTURES, fixtureCase));
  // The case's own configuration: those about guarded exemptions ask for them (`report-guarded-exemptions`).
  const result = await check({ ...optionsFromConfig(findConfig(copy)), paths: ['.'], cwd: copy, includeTests: true });
  return new Map(result.findings.map((finding) => [`${finding.path}:${finding.line}`, finding]));
}

function assertSeverities(findings: Map<string, Finding>, expected: Record<string, string>): void {
  for (const [place, severity] of Object.entries(expected)) assert.equal(findings.get(place)?.severity, severity, place);
}

describe('Django class-based views exempted for machine clients (shapes of the Django eval)', () => {
  test('a credential header read by subscript, or by a method the class calls (overrides included), is low; a session user keeps them medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/class-view-reasons');
    assertSeverities(findings, { 'agents/urls.py:8': 'low', 'agents/urls.py:10': 'medium', 'agents/urls.py:12': 'low', 'agents/urls.py:14': 'medium' });
    assert.equal(findings.get('agents/urls.py:8')?.hint?.includes('`HTTP_AUTHORIZATION` header'), true);
    assert.equal(findings.get('agents/urls.py:12')?.hint?.includes('`HTTP_X_AGENT_TOKEN` header'), true);
  });

  test('a class view that handles GET only changes nothing; one that adds `post = get` or inherits a FormView stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/class-view-reasons');
    assertSeverities(findings, { 'agents/urls.py:16': 'low', 'agents/views.py:80': 'low', 'agents/urls.py:18': 'medium', 'agents/urls.py:20': 'medium' });
    assert.equal(findings.get('agents/urls.py:16')?.hint?.startsWith('the view handles only GET'), true);
  });

  test('a view whose every URL pattern holds a secret is low and names it; a URL with an id only stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/class-view-reasons');
    assertSeverities(findings, { 'agents/views.py:87': 'low', 'agents/urls.py:25': 'low', 'agents/views.py:96': 'medium', 'agents/urls.py:27': 'medium' });
    assert.equal(findings.get('agents/views.py:87')?.hint?.includes('(`<token>`)'), true);
    assert.equal(findings.get('agents/urls.py:25')?.hint?.includes('(`<secret>`)'), true);
  });
});

describe('endpoints a protocol requires to take cross-site posts', () => {
  test('OAuth2 token, userinfo and Bearer-checked views and SAML assertion consumers are low with words that say why; a session view stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/protocol-endpoints');
    assertSeverities(findings, { 'provider/views.py:16': 'low', 'provider/views.py:24': 'low', 'provider/views.py:35': 'low', 'provider/views.py:49': 'low', 'provider/views.py:60': 'low', 'provider/views.py:69': 'medium' });
    assert.equal(findings.get('provider/views.py:16')?.hint?.startsWith('the view is an OAuth2 token endpoint (`self.create_token_response(...)`)'), true);
    assert.equal(findings.get('provider/views.py:35')?.hint?.startsWith('the view checks an OAuth2 Bearer token (`self.verify_request(...)`)'), true);
    assert.equal(findings.get('provider/views.py:49')?.hint?.includes('`InResponseTo`'), true);
    assertSeverities(findings, { 'provider/views.py:97': 'low', 'provider/views.py:107': 'medium' });
    assert.equal(findings.get('provider/views.py:97')?.hint?.startsWith('the view is an OAuth2 token endpoint'), true);
    assert.equal(findings.get('provider/views.py:93')?.hint?.includes('(`core.verify_signature`)'), true);
    assertSeverities(findings, { 'provider/views.py:122': 'low', 'provider/views.py:142': 'medium' });
    assert.equal(findings.get('provider/views.py:122')?.hint?.startsWith('the view consumes SAML assertions'), true, 'a base whose subclasses are an assertion consumer and a GET-only view');
    for (const finding of findings.values()) assert.equal(`${finding.message} ${finding.hint ?? ''}`.includes('<locals>'), false, finding.message);
  });
});

describe('an identity the project sets from a header', () => {
  test("a decorator whose wrapper requires request.identity, set only by a token middleware, is low; one that requires request.user stays medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/header-identity');
    assertSeverities(findings, { 'social/decorators.py:14': 'low', 'social/decorators.py:26': 'medium' });
    assert.equal(findings.get('social/decorators.py:14')?.hint?.includes('`authorization` header'), true);
  });
});

describe('reasons that hold for part of a view only (review round 2)', () => {
  test('an id in the URL, a token endpoint beside a session handler, and a header with a session fallback keep their views medium; the twins stay low', async () => {
    const findings = await findingsOf('django-csrf-exempt/review-severities');
    assertSeverities(findings, { 'ledger/views.py:14': 'medium', 'ledger/views.py:22': 'low', 'ledger/views.py:30': 'medium' });
    assertSeverities(findings, { 'ledger/views.py:82': 'medium', 'ledger/views.py:91': 'medium', 'ledger/views.py:104': 'low' });
  });

  test('a thread-local user, an aliased or wrapped request and a library dispatch act for the user: medium; a credential cookie read by name is high; a view reading input only stays low', async () => {
    const findings = await findingsOf('django-csrf-exempt/review-severities');
    assertSeverities(findings, { 'ledger/views.py:43': 'high', 'ledger/views.py:50': 'medium', 'ledger/views.py:57': 'medium', 'ledger/views.py:65': 'medium', 'ledger/views.py:73': 'medium', 'ledger/views.py:112': 'low' });
  });
});

describe('exempt views that only read (issue 9, Django eval: tendenci, rapidpro, ecommerce, OpenCiviWiki)', () => {
  test("a signed-in user's status lookup, a CSV export, a 404 that logs the path, a page rendered from its context and a generated code are low; their twins that save, delete, update or flush the session stay medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/read-only');
    const lowAndTwin = { 'status/views.py:22': 'low', 'status/views.py:33': 'medium', 'status/views.py:42': 'low', 'status/views.py:54': 'medium' };
    assertSeverities(findings, lowAndTwin);
    assertSeverities(findings, { 'status/views.py:65': 'low', 'status/views.py:77': 'medium', 'status/views.py:90': 'low', 'status/views.py:99': 'medium' });
    assertSeverities(findings, { 'status/views.py:109': 'low', 'status/views.py:127': 'medium', 'status/urls.py:18': 'low', 'status/urls.py:21': 'medium' });
    assert.equal(findings.get('status/views.py:22')?.hint?.startsWith('the view only reads'), true);
  });
});

describe('a SOAP report that parses its posted XML (issue 9, janeway metrics sushi shape)', () => {
  test('parsing the body with BeautifulSoup, dates from dateutil and a lookup in a @staticmethod only read: low; its twin whose staticmethod calls get_or_create stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/read-only-xml-report');
    assertSeverities(findings, { 'counter/views.py:12': 'low', 'counter/views.py:25': 'medium' });
    assert.equal(findings.get('counter/views.py:12')?.hint?.startsWith('the view only reads'), true);
  });
});

describe('a read-only search behind a decorator class (issue 9, CAPEv2 signature_calls / search_behavior shapes)', () => {
  test('a view under a project decorator class given Django\'s login_required, grouping with defaultdict and re2 matches, is low; its twins that save through a helper or through the decorator it is given, or change an item they put in the grouping, stay medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/read-only-search');
    assertSeverities(findings, { 'calls/views.py:34': 'low', 'calls/views.py:46': 'medium', 'calls/views.py:59': 'medium', 'calls/views.py:70': 'medium' });
    assert.equal(findings.get('calls/views.py:34')?.hint?.startsWith('the view only reads'), true);
  });
});

describe("Django's set_language exempted (issue 9, shuup admin and front urls)", () => {
  test('is low and says only the language changes, also in a function that builds URL patterns (no decorator); the project view exempted beside it stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/preference-views');
    assertSeverities(findings, { 'shop/urls.py:11': 'low', 'shop/urls.py:14': 'medium', 'shop/urls.py:20': 'low' });
    assert.equal(findings.get('shop/urls.py:11')?.message, '`csrf_exempt(...)` turns off CSRF protection for `set_language`');
    assert.equal(findings.get('shop/urls.py:11')?.hint, "`set_language` only switches the user's interface language: a forged request changes the language, nothing else");
    assert.equal(findings.get('shop/urls.py:14')?.message, '`csrf_exempt(...)` turns off CSRF protection for `views.set_currency`');
  });
});

describe("a generic edit view's inherited form_valid (issue 13, django-helpdesk CreateTicketIframeView)", () => {
  test("an exempt dispatch of a FormView whose form_valid goes up to one that saves, and of Django's CreateView, stay medium; a FormView whose form_valid only redirects is low", async () => {
    const findings = await findingsOf('django-csrf-exempt/inherited-form-valid');
    assertSeverities(findings, { 'tickets/views.py:21': 'medium', 'tickets/views.py:36': 'medium', 'tickets/views.py:46': 'low' });
    assert.equal(findings.get('tickets/views.py:46')?.hint?.startsWith('the view only reads'), true);
  });
});

describe('a function view that never reads its request (issue 9, OpenCiviWiki civi2csv)', () => {
  test('acts for nobody as a view reading only its input does: low; its twin acting for the signed-in user stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/read-only');
    assertSeverities(findings, { 'status/views.py:152': 'low', 'status/views.py:160': 'medium' });
    assert.equal(findings.get('status/views.py:152')?.hint?.startsWith('the view reads no user or session from its request'), true);
  });
});

describe('an API that signs each request in by the password in its body (issue 9, tendenci helpdesk api)', () => {
  test('is low when request.user is replaced on every path; a session fallback stays medium; a sign-in view that starts a session is low but still reported (login CSRF)', async () => {
    const findings = await findingsOf('django-csrf-exempt/body-credentials');
    assertSeverities(findings, { 'desk/api.py:10': 'low', 'desk/api.py:21': 'medium', 'desk/api.py:31': 'low' });
    assert.equal(findings.get('desk/api.py:31')?.guard, undefined);
    assert.equal(findings.get('desk/api.py:10')?.hint?.includes('username and password in its body'), true);
  });

  test('a view reading no session user that checks the password in its body (arches UserProfileView) names that check; its twin acting for the session user stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/body-credentials');
    assertSeverities(findings, { 'desk/profile_api.py:10': 'low', 'desk/profile_api.py:23': 'medium' });
    assert.equal(findings.get('desk/profile_api.py:10')?.hint?.startsWith('the view checks the username and password in its body (`authenticate(...)`)'), true);
  });
});

describe("a library base view that requires a header token on every request", () => {
  test("an exempt dispatch of a django-oauth-toolkit protected resource view that calls the inherited one is low and names it; one that skips it, and a plain View, stay medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/oauth-resource-views');
    assertSeverities(findings, { 'api/views.py:12': 'low', 'api/views.py:23': 'low', 'api/views.py:34': 'medium', 'api/views.py:45': 'medium' });
    assert.equal(findings.get('api/views.py:12')?.hint?.includes("inherits django-oauth-toolkit's check"), true);
    assert.equal(findings.get('api/views.py:12')?.hint?.includes('`Authorization` header'), true);
  });
});

describe('exempt views that re-check CSRF themselves (issue 9, okfde/froide)', () => {
  test("a view that runs CsrfViewMiddleware.process_view, csrf_protect or a decorator made from the middleware on its request, or compares get_token, is low and says it re-checks; one that only hands the token out or never runs the protected function stays medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/csrf-rechecks');
    assertSeverities(findings, { 'petitions/views.py:15': 'low', 'petitions/views.py:35': 'low', 'petitions/views.py:51': 'low', 'petitions/views.py:58': 'low' });
    assertSeverities(findings, { 'petitions/views.py:69': 'medium', 'petitions/views.py:77': 'medium' });
    assert.equal(findings.get('petitions/views.py:15')?.hint?.startsWith('the view re-checks CSRF itself (`@check_csrf`)'), true);
  });
});

describe('payment gateway callbacks that verify their signature (issue 9, tendenci/tendenci)', () => {
  test('a digest of a secret setting compared with the posted one, and a PayPal-style post-back answered VERIFIED, are low and say the view verifies a signature; a digest without a secret and a post-back whose answer is not checked stay medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/gateway-callbacks');
    assertSeverities(findings, { 'billing/views.py:9': 'low', 'billing/views.py:25': 'low', 'billing/views.py:17': 'medium', 'billing/views.py:35': 'medium' });
    assert.equal(findings.get('billing/views.py:9')?.hint?.startsWith('the view verifies a signature (`hashlib.md5(...) compared with the posted value`)'), true);
    assert.equal(findings.get('billing/views.py:25')?.hint?.includes('answered "VERIFIED"'), true);
  });
});

describe('a view acting for nobody through its own methods picked by name and its AppConfig (issue 9, bartTC/dpaste)', () => {
  test("getattr(self, f'_format_{kind}') follows every method of the class and apps.get_app_config(...) reaches the config's static methods: low when none reads a user; a picked method reading the user, or a config helper reading the session, keeps it medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/dispatched-methods');
    assertSeverities(findings, { 'pastes/urls.py:9': 'low', 'pastes/urls.py:12': 'medium', 'pastes/urls.py:15': 'medium' });
    assert.equal(findings.get('pastes/urls.py:9')?.hint?.includes('`public_url`'), true);
  });
});

describe('exempt function views that POST cannot reach, or that only set the language cookie (issue 9)', () => {
  test('@require_GET, @require_safe and a 405 for any other method written in the body are low; views that accept POST stay medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/safe-method-views');
    assertSeverities(findings, { 'prefs/views.py:10': 'low', 'prefs/views.py:18': 'low', 'prefs/views.py:26': 'low', 'prefs/views.py:36': 'medium', 'prefs/views.py:44': 'medium' });
    assert.equal(findings.get('prefs/views.py:26')?.guard, 'safe-methods-only');
    assert.equal(findings.get('prefs/views.py:10')?.hint?.includes('handles only GET'), true);
  });
  test('a view that only sets the language cookie (set_language) stays low; its twin that saves the choice on the user stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/safe-method-views');
    assertSeverities(findings, { 'prefs/views.py:54': 'low', 'prefs/views.py:65': 'medium' });
    assert.equal(findings.get('prefs/views.py:54')?.hint?.startsWith('the view reads no user'), true);
  });
});

describe('exempt views and the cookies they read (issue 9)', () => {
  test("django-ipware's get_client_ip(request) reads no user: low; the twin reading request.user stays medium", async () => {
    const findings = await findingsOf('django-csrf-exempt/cookie-credentials');
    assertSeverities(findings, { 'shop/views.py:10': 'low', 'shop/views.py:19': 'medium' });
  });
  test('a view that reads a credential cookie by name is high; a preference cookie stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/cookie-credentials');
    assertSeverities(findings, { 'shop/views.py:28': 'high', 'shop/views.py:36': 'high', 'shop/views.py:45': 'medium' });
    assert.equal(findings.get('shop/views.py:28')?.hint?.includes('`sessionid` cookie'), true);
  });
});

describe('exempt dispatch of class-based views: handler signatures and subclass wording (issue 9)', () => {
  test('handlers written (self, *args, **kwargs) are judged through self.request: reading no user is low, its twin reading self.request.user stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/class-reach');
    assertSeverities(findings, { 'hooks/views.py:11': 'low', 'hooks/views.py:22': 'medium', 'hooks/views.py:33': 'medium' });
  });
  test('"(and every subclass)" only for a class that has subclasses in the project', async () => {
    const findings = await findingsOf('django-csrf-exempt/class-reach');
    assert.equal(findings.get('hooks/views.py:22')?.message, '`method_decorator(csrf_exempt)` turns off CSRF protection for class-based view `OwnedPingView`');
    assert.equal(findings.get('hooks/views.py:33')?.message.endsWith('`BaseHookView` (and every subclass)'), true);
  });
});

describe('exempt views a cross-site form cannot reach: DELETE only, or X-Requested-With required (issue 9)', () => {
  test('@require_http_methods listing no POST, only DELETE, PUT or PATCH, is low and names the methods; its twin accepting POST stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/script-only-requests');
    assertSeverities(findings, { 'notes/views.py:11': 'low', 'notes/views.py:19': 'low', 'notes/views.py:28': 'medium' });
    assert.equal(findings.get('notes/views.py:11')?.hint?.includes('only `DELETE` besides safe methods'), true);
    assert.equal(findings.get('notes/views.py:19')?.hint?.includes('send `PUT` or `PATCH` only after a CORS preflight'), true);
  });
  test('a project decorator or the view turning away a request without X-Requested-With is low; noting the header or testing it without a rejection stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/script-only-requests');
    assertSeverities(findings, { 'notes/views.py:37': 'low', 'notes/views.py:46': 'low', 'notes/views.py:56': 'medium', 'notes/views.py:64': 'medium', 'notes/views.py:74': 'medium' });
    assert.equal(findings.get('notes/views.py:37')?.hint?.startsWith('`@ajax_required` makes the view turn away a request without the `X-Requested-With` header'), true);
    assert.equal(findings.get('notes/views.py:46')?.hint?.startsWith('the view turns away'), true);
  });
});

describe('functions kept in a view class and routed themselves (issue 9, archesproject/arches ExternalOauth.callback)', () => {
  test('method_decorator(csrf_exempt) on one exempts it; a callback whose authentication backend compares the OAuth state is low and names it; the twins stay medium', async () => {
    const copy = copyFixture(path.join(FIXTURES, 'django-csrf-exempt/class-held-views'));
    const result = await check({ ...optionsFromConfig(findConfig(copy)), paths: ['.'], cwd: copy, reportGuardedExemptions: true });
    const findings = new Map(result.findings.map((finding) => [`${finding.path}:${finding.line}`, finding]));
    assertSeverities(findings, { 'sso/views.py:17': 'low', 'sso/views.py:25': 'medium' });
    // The backend checks no state, but the callback reads the query string only: a forged POST does what a link does (inert today, low, still reported).
    assertSeverities(findings, { 'sso/views.py:33': 'low' });
    assert.equal(findings.get('sso/views.py:33')?.hint?.startsWith('the view reads its input from the query string only'), true);
    assert.equal(findings.get('sso/views.py:17')?.hint?.includes('`PortalBackend.authenticate: OAuth2Session(state=...).fetch_token(authorization_response=...)`'), true);
    assert.equal(findings.get('sso/views.py:25')?.message.includes('view `Portal.unlink`'), true);
    assert.equal(findings.has('sso/views.py:43'), false);
  });
});

describe('an exempt view that reads the query string only', () => {
  test('is low and inert (still reported): a forged POST does what a link does; one whose helper reads the body, or that reads the method, stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/query-only-callback');
    assertSeverities(findings, { 'social/views.py:9': 'low', 'social/views.py:19': 'medium', 'social/views.py:27': 'medium' });
    assert.equal(findings.get('social/views.py:9')?.hint?.startsWith('the view reads its input from the query string only'), true);
    assert.equal(findings.get('social/views.py:9')?.guard, undefined);
  });
});

describe('exempt views no URL pattern routes (issue 9, eval6: Patrowl rules/views.py)', () => {
  test('in a project whose URL tree is read whole from ROOT_URLCONF, an unrouted view nothing names is low; a routed one, or one another view calls, stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/unrouted-views');
    assertSeverities(findings, { 'tasks/views.py:9': 'low', 'tasks/views.py:17': 'medium', 'tasks/api.py:8': 'medium', 'tasks/api.py:15': 'medium' });
    assert.equal(findings.get('tasks/views.py:9')?.hint?.startsWith('no URL pattern of the project routes it'), true);
  });

  test('an include the scan cannot follow leaves the same unrouted view medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/unrouted-views-partial-tree');
    assertSeverities(findings, { 'tasks/views.py:9': 'medium', 'tasks/views.py:17': 'medium' });
  });

  test('a settings.py.sample beside no settings.py is read as the settings deployments run: its ROOT_URLCONF makes the tree whole, the unrouted view low', async () => {
    const findings = await findingsOf('django-csrf-exempt/settings-template');
    assertSeverities(findings, { 'notes/views.py:9': 'low', 'notes/api.py:8': 'medium' });
    assert.equal(findings.get('notes/views.py:9')?.hint?.startsWith('no URL pattern of the project routes it'), true);
  });

  test('beside a settings.py of its own, a settings.py.example is not read: the unrouted view stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/settings-template-beside-settings');
    assertSeverities(findings, { 'notes/views.py:9': 'medium', 'notes/api.py:8': 'medium' });
  });
});

describe('an exempt login view (issue 9, eval6: Patrowl users/views.py login)', () => {
  test('signing in by the body password and reading request.user only after login() or into an audit record is low, still reported (login CSRF); reading the session user before signing in stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/password-login');
    assertSeverities(findings, { 'accounts/views.py:12': 'low', 'accounts/views.py:27': 'medium' });
    assert.equal(findings.get('accounts/views.py:12')?.guard, undefined);
    assert.equal(findings.get('accounts/views.py:12')?.hint?.includes('(login CSRF)'), true);
  });
});

describe('an exempt view that only stores display preferences in the session (issue 9, eval6: Ghostwriter update_session)', () => {
  test('literal keys naming nobody, nothing else called: low and still reported; a key naming an account or a profile saved too stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/session-preferences');
    assertSeverities(findings, { 'board/views.py:8': 'low', 'board/views.py:25': 'medium', 'board/views.py:37': 'medium' });
    assert.equal(findings.get('board/views.py:8')?.guard, undefined);
    assert.equal(findings.get('board/views.py:8')?.hint?.startsWith("the view only stores display preferences in the visitor's session (`sidebar`)"), true);
  });
});

describe("native apps' sign-in by a provider's ID token in the body (issue 9, eval7: Sefaria sso/views.py google_mobile, apple_mobile)", () => {
  test('flushing the session is guarded; keeping it is low (login CSRF); the twin acting for the session user stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/provider-token-sign-in');
    assertSeverities(findings, { 'accounts/views.py:36': 'low', 'accounts/views.py:46': 'medium' });
    assert.equal(findings.has('accounts/views.py:21'), false);
    assert.equal(findings.get('accounts/views.py:36')?.guard, undefined);
    assert.equal(findings.get('accounts/views.py:36')?.hint?.includes('login CSRF'), true);
  });
});

describe('an exempt class whose only unsafe handler redirects (issue 9, eval7: micromasters DashboardView)', () => {
  test('a post that sends the browser back to its own URL is low even when the GET shows the user their page; the twin saving first stays medium', async () => {
    const findings = await findingsOf('django-csrf-exempt/redirect-only-post');
    assertSeverities(findings, { 'pages/views.py:22': 'low', 'pages/views.py:36': 'medium' });
    assert.equal(findings.get('pages/views.py:22')?.hint?.startsWith('the view reads nothing of its request (its own URL at most) and only redirects'), true);
  });
});
