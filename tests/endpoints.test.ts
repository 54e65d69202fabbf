import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/paths.js';
import { copyFixture, writeProject } from './support/projects.js';

/**
 * `tests/endpoint-fixtures/<framework>/`: a small project whose views carry `# endpoint: <csrf> <METHODS> [route]`
 * on their def or class line; a view routed several times there (a viewset's list and detail routes) lists each, joined by ` ; `.
 */
const ENDPOINT_FIXTURES = path.join(REPO_ROOT, 'tests', 'endpoint-fixtures');
const ANNOTATION = /#\s*endpoint:\s*(.*?)\s*$/;
const ANNOTATED_ROW = /^(\S+)\s+(\S+)(?:\s+(\S+))?$/;

interface EndpointRow {
  app: string;
  protection: string | null;
  path: string;
  line: number;
  view: string;
  route: string | null;
  methods: string[];
  csrf: string;
  reason: string | null;
  context: string;
  findings: Array<{ fingerprint: string; rule: string }>;
}

interface InventoryJson {
  endpoints: EndpointRow[];
  unroutedFindings: unknown[];
}

const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'csrflint-endpoints.schema.json'), 'utf8')) as object);

function pythonFiles(directory: string, relative = ''): string[] {
  return readdirSync(path.join(directory, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) return pythonFiles(directory, child);
    return entry.name.endsWith('.py') ? [child] : [];
  });
}

/** What the fixture's annotations say the inventory is: `path:line csrf METHODS route`. */
function annotatedInventory(directory: string): string[] {
  return pythonFiles(directory).flatMap((file) =>
    readFileSync(path.join(directory, file), 'utf8')
      .split('\n')
      .flatMap((text, index) => {
        const rows = ANNOTATION.exec(text)?.[1]?.split(' ; ') ?? [];
        return rows.map((row) => {
          const match = ANNOTATED_ROW.exec(row);
          assert.ok(match, `${file}:${index + 1}: an endpoint annotation is \`<csrf> <METHODS> [route]\`, not \`${row}\``);
          return `${file}:${index + 1} ${match[1]} ${match[2]} ${match[3] ?? '-'}`;
        });
      }),
  );
}

function inventoryOf(directory: string, extra: string[] = []): InventoryJson {
  const run = runCli(['endpoints', '.', '--format', 'json', ...extra], directory);
  assert.equal(run.status, 0, run.stderr);
  const inventory = JSON.parse(run.stdout) as InventoryJson;
  assert.ok(validate(inventory), JSON.stringify(validate.errors));
  return inventory;
}

const FRAMEWORK_FIXTURES = readdirSync(ENDPOINT_FIXTURES).sort();

describe('csrflint endpoints: the exact inventory of each framework fixture', () => {
  for (const framework of FRAMEWORK_FIXTURES) {
    test(framework, () => {
      // Copied out of the repository's tests/ folder, the fixture is production code, as a user's project is.
      const directory = copyFixture(path.join(ENDPOINT_FIXTURES, framework));
      const { endpoints, unroutedFindings } = inventoryOf(directory);
      // Django routes are relative to the URL conf: they carry no leading slash, and annotations omit them.
      const actual = endpoints.map((endpoint) => `${endpoint.path}:${endpoint.line} ${endpoint.csrf} ${endpoint.methods.join(',')} ${framework === 'django' ? '-' : (endpoint.route ?? '-')}`);
      assert.deepEqual(actual.sort(), annotatedInventory(directory).sort());
      assert.deepEqual(unroutedFindings, []);
    });
  }
});

describe('csrflint endpoints: findings and inventory agree', () => {
  for (const framework of FRAMEWORK_FIXTURES) {
    test(`${framework}: every finding names an endpoint, every unprotected or exempt endpoint has a finding or a reason`, () => {
      const directory = copyFixture(path.join(ENDPOINT_FIXTURES, framework));
      const { endpoints } = inventoryOf(directory);
      const check = runCli(['check', '.', '--format', 'json'], directory);
      const findings = (JSON.parse(check.stdout) as { findings: Array<{ fingerprint: string; rule: string; line: number }> }).findings;
      const named = new Set(endpoints.flatMap((endpoint) => endpoint.findings.map((finding) => finding.fingerprint)));
      assert.deepEqual(findings.filter((finding) => !named.has(finding.fingerprint)), []);
      const unexplained = endpoints.filter((endpoint) => (endpoint.csrf === 'unprotected' || endpoint.csrf === 'exempt') && endpoint.findings.length === 0 && endpoint.reason === null);
      assert.deepEqual(unexplained, []);
      assert.ok(endpoints.every((endpoint) => endpoint.context === 'production'));
    });
  }
});

describe('csrflint endpoints: a CsrfViewMiddleware the scan cannot read', () => {
  test('its views are neither protected nor unprotected: unknown, naming the entry, with the settings finding', () => {
    const directory = copyFixture(path.join(REPO_ROOT, 'tests/fixtures/django-csrf-middleware-missing/dropin-lookalike'));
    const [comment, ...others] = inventoryOf(directory).endpoints as Array<EndpointRow & { evidence: { path: string; line: number } | null }>;
    assert.deepEqual(others, []);
    assert.equal(comment?.csrf, 'unknown');
    assert.equal(comment?.protection, "`verbose_csrf_middleware.CsrfViewMiddleware` (outside the scan) in place of CsrfViewMiddleware: protected only if it checks tokens as Django's does");
    assert.deepEqual(comment?.evidence, { path: 'blog/settings.py', line: 7 });
    assert.deepEqual(comment?.findings.map((finding) => finding.rule), ['django-csrf-middleware-missing']);
  });

  test('--only unknown keeps them, and every format names the state', () => {
    const directory = copyFixture(path.join(ENDPOINT_FIXTURES, 'django-dropin-middleware'));
    assert.deepEqual(inventoryOf(directory, ['--only', 'unknown']).endpoints.map((endpoint) => endpoint.view), ['archive_note']);
    const table = runCli(['endpoints', '.'], directory).stdout;
    assert.match(table, /^unknown +POST +notes\/<int:pk>\/archive\/ +archive_note /m);
    assert.ok(table.includes('2 endpoints, 1 state-changing, 0 exempt, 0 unprotected, 1 unknown.'), table);
    assert.ok(runCli(['endpoints', '.', '--format', 'markdown'], directory).stdout.includes('| **unknown** | POST | `notes/<int:pk>/archive/` | `archive_note` |'));
    assert.match(runCli(['endpoints', '.', '--format', 'csv'], directory).stdout, /,archive_note,notes\/<int:pk>\/archive\/,POST,session cookie,unknown,/);
    const totals = (JSON.parse(runCli(['endpoints', '.', '--format', 'json'], directory).stdout) as { totals: Record<string, number> }).totals;
    assert.equal(totals.unknown, 1);
  });
});

describe('csrflint endpoints: options and formats', () => {
  const django = copyFixture(path.join(ENDPOINT_FIXTURES, 'django'));

  test('the Django routes are joined through include() and DRF routers', () => {
    const routes = inventoryOf(django).endpoints.map((endpoint) => `${endpoint.view} ${endpoint.route ?? '-'}`);
    assert.deepEqual(routes.sort(), ['InboxView inbox/', 'ItemViewSet api/items/', 'ItemViewSet api/items/<pk>/', 'ProfileView profile/', 'SignIn login/', 'TokenOnlyViewSet api/tokens/', 'add_to_cart cart/add/', 'cancel orders/<int:pk>/cancel/', 'export orders/export/$', 'home ', 'pay_hook hooks/pay/'].sort());
  });

  test('--only keeps the endpoints in the named states', () => {
    const { endpoints } = inventoryOf(django, ['--only', 'unprotected,exempt']);
    assert.deepEqual([...new Set(endpoints.map((endpoint) => endpoint.csrf))], ['exempt']);
    assert.equal(endpoints.length, 4);
  });

  test('an unknown state or format is a usage error', () => {
    assert.equal(runCli(['endpoints', '.', '--only', 'broken'], django).status, 2);
    const run = runCli(['endpoints', '.', '--format', 'sarif'], django);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown --format 'sarif' for endpoints/);
  });

  test('the table groups by app, puts exempt first and ends with the totals', () => {
    const run = runCli(['endpoints', '.'], django);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'shop.urls (django)');
    assert.match(lines[2]!, /^exempt /);
    assert.ok(lines.includes('11 endpoints, 9 state-changing, 4 exempt, 0 unprotected, 0 unknown.'), run.stdout);
  });

  test('csv has a header and one row per endpoint, quoted where needed', () => {
    const run = runCli(['endpoints', '.', '--format', 'csv'], django);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'framework,app,path,line,view,route,methods,credentials,csrf,protection,evidence,reason,context,findings');
    assert.equal(lines.length, 12);
    assert.ok(lines.some((line) => line.includes('"DRF view (csrf_exempt by as_view)"') || line.includes('DRF view (csrf_exempt by as_view)')));
  });

  test('markdown has a table per app and escapes what would break a cell', () => {
    const run = runCli(['endpoints', '.', '--format', 'markdown'], django);
    assert.match(run.stdout, /^# CSRF endpoint inventory\n\n11 endpoints, 9 state-changing, 4 exempt, 0 unprotected, 0 unknown\.\n\n## shop\.urls \(django\)\n/);
    assert.ok(run.stdout.includes('| **exempt** | POST | `orders/<int:pk>/cancel/` | `cancel` |'), run.stdout);
  });
});

describe('csrflint endpoints: Django admin sites', () => {
  test("an AdminSite's own admin_view keeps csrf_protect by calling the base's, exempts the views, or leaves them to the middleware", () => {
    const { endpoints } = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'django-admin')));
    const protection = (view: string) => endpoints.find((endpoint) => endpoint.view === view)?.protection;
    assert.equal(protection('audit_site'), 'AdminSite (csrf_protect on every admin view)');
    assert.equal(protection('kiosk_site'), 'csrf_exempt(...)');
    assert.equal(protection('lobby_site'), 'CsrfViewMiddleware');
  });
});

describe('csrflint endpoints: Pyramid', () => {
  test("a test's set_default_csrf_options is no evidence that the production configurator checks CSRF", () => {
    const { endpoints } = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'pyramid')));
    const hook = endpoints.find((endpoint) => endpoint.view === 'hook') as (EndpointRow & { evidence: { path: string; line: number } | null }) | undefined;
    assert.deepEqual([hook?.protection, hook?.evidence], ['no default CSRF check', { path: 'wiki/__init__.py', line: 6 }]);
  });

  test("a tutorial's copy of the views under docs/ belongs to the tutorial's configurator, not to the package's", () => {
    const main = ['from pyramid.config import Configurator', '', '', 'def main(global_config, **settings):', '    config = Configurator(settings=settings)', '    config.scan()', '    return config.make_wsgi_app()', ''].join('\n');
    const views = ['from pyramid.view import view_config', '', '', '@view_config(route_name="home", request_method="POST")', 'def home(request):', '    return {}', ''].join('\n');
    const directory = writeProject({
      'setup.py': 'from setuptools import setup\nsetup(name="blogr")\n',
      'blogr/__init__.py': main,
      'blogr/views.py': views,
      'docs/src/step1/__init__.py': main,
      'docs/src/step1/views.py': views,
    });
    const apps = inventoryOf(directory).endpoints.map((endpoint) => `${endpoint.path} ${endpoint.app}`);
    assert.deepEqual(apps.sort(), ['blogr/views.py blogr.main.config', 'docs/src/step1/views.py step1.main.config']);
  });
});

describe('csrflint endpoints: URL confs', () => {
  test('a URL conf whose patterns include themselves below a prefix is walked once, not until the stack overflows', () => {
    const directory = writeProject({
      'pyproject.toml': '[project]\nname = "board"\n',
      'board/__init__.py': '',
      'board/settings.py': 'ROOT_URLCONF = "board.urls"\nMIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\n',
      'board/views.py': 'def post_message(request):\n    return None\n',
      'board/urls.py': [
        'from django.conf import settings',
        'from django.urls import include, path',
        '',
        'from board import views',
        '',
        'urlpatterns = [path("messages/", views.post_message)]',
        'if settings.URL_PREFIX:',
        '    urlpatterns = [path("board/", include(urlpatterns))]',
        '',
      ].join('\n'),
    });
    const routes = inventoryOf(directory).endpoints.map((endpoint) => endpoint.route);
    assert.deepEqual(routes.sort(), ['board/messages/', 'messages/']);
  });
});

describe('csrflint endpoints: Tornado settings a method builds', () => {
  test('xsrf_cookies=True written in the dict a method returns protects the app, unless the update the scan cannot read turns it off', () => {
    const { endpoints } = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'tornado-route-tables')));
    const notes = endpoints.find((endpoint) => endpoint.view === 'NotesHandler') as (EndpointRow & { evidence: { path: string; line: number } }) | undefined;
    assert.equal(notes?.protection, 'xsrf_cookies, unless `settings.update(settings_overrides)` (lab/app.py:25) turns it off');
    assert.deepEqual(notes?.evidence, { path: 'lab/app.py', line: 24 });
  });
});

describe('csrflint endpoints: the credentials column', () => {
  test("DRF views: their own authentication classes, else DEFAULT_AUTHENTICATION_CLASSES, say what a browser sends", () => {
    const endpoints = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'drf-authentication'))).endpoints as Array<EndpointRow & { credentials: string }>;
    const credentials = Object.fromEntries(endpoints.map((endpoint) => [endpoint.view, endpoint.credentials]));
    assert.deepEqual(credentials, {
      EntryList: 'header token only',
      BrowserEntryList: 'session cookie',
      ScriptEntryList: 'HTTP Basic',
      ExpiringEntryList: 'header token only',
      SharedEntryList: 'unknown',
      ExtendedEntryList: 'header token only',
      ExportEntryList: 'unknown',
      close_period: 'header token only',
      reopen_period: 'session cookie',
    });
  });

  test('DRF authentication the scan cannot judge is named as the code writes it', () => {
    const endpoints = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'drf-authentication'))).endpoints;
    const protection = Object.fromEntries(endpoints.map((endpoint) => [endpoint.view, endpoint.protection]));
    assert.equal(protection.SharedEntryList, 'DRF authentication the scan cannot judge (`ledger.auth.SignedLinkAuthentication`); DRF checks CSRF in SessionAuthentication only');
    assert.equal(protection.ExportEntryList, 'DRF authentication the scan cannot judge (`links.classes_for("export")`); DRF checks CSRF in SessionAuthentication only');
  });

  test('DRF settings in a django-configurations class are read as module settings are', () => {
    const directory = writeProject({
      'pyproject.toml': '[project]\nname = "depot"\n',
      'depot/__init__.py': '',
      'depot/settings.py': [
        'from configurations import Configuration',
        '',
        '',
        'class Base(Configuration):',
        '    ROOT_URLCONF = "depot.urls"',
        '    MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]',
        '    REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"]}',
        '',
      ].join('\n'),
      'depot/views.py': ['from rest_framework.views import APIView', '', '', 'class Shipments(APIView):', '    def post(self, request):', '        return None', ''].join('\n'),
      'depot/urls.py': ['from django.urls import path', '', 'from depot.views import Shipments', '', 'urlpatterns = [path("shipments/", Shipments.as_view())]', ''].join('\n'),
    });
    const [endpoint] = inventoryOf(directory).endpoints as Array<EndpointRow & { credentials: string; evidence: unknown }>;
    assert.deepEqual([endpoint?.csrf, endpoint?.credentials, endpoint?.evidence], ['exempt', 'header token only', { path: 'depot/settings.py', line: 7 }]);
  });

  test("a Pyramid policy built on the imported module's BasicAuthAuthenticationPolicy is HTTP Basic, and says why it has no finding", () => {
    const directory = writeProject({
      'pyproject.toml': '[project]\nname = "store"\n',
      'store/__init__.py': ['from pyramid.config import Configurator', '', 'from store.auth import PasswordPolicy', '', '', 'def main(global_config, **settings):', '    config = Configurator(settings=settings)', '    config.set_authentication_policy(PasswordPolicy(check=None))', '    config.add_route("items", "/items")', '    config.scan()', '    return config.make_wsgi_app()', ''].join('\n'),
      'store/auth.py': ['from pyramid import authentication', '', '', 'class PasswordPolicy(authentication.BasicAuthAuthenticationPolicy):', '    pass', ''].join('\n'),
      'store/views.py': ['from pyramid.view import view_config', '', '', '@view_config(route_name="items", request_method="POST", renderer="json")', 'def add_item(request):', '    return {}', ''].join('\n'),
    });
    const [endpoint] = inventoryOf(directory).endpoints as Array<EndpointRow & { credentials: string }>;
    assert.deepEqual([endpoint?.view, endpoint?.csrf, endpoint?.credentials], ['add_item', 'unprotected', 'HTTP Basic']);
    assert.match(endpoint?.reason ?? '', /^HTTP Basic is its only ambient credential/);
  });

  test('a Django view whose own helpers take a password from the Authorization header is HTTP Basic; one that reads the session user, or a form password, is not', () => {
    const rows = (inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'django-basic-password'))).endpoints as Array<EndpointRow & { credentials: string }>).map((endpoint) => `${endpoint.view} ${endpoint.credentials}`);
    assert.deepEqual(rows.sort(), ['remote HTTP Basic', 'remote_as_member session cookie', 'sign_in session cookie']);
  });

  test('a Django view that reads its credential from a header (itself, or through a decorator of the project) is header token only, as the rules judge it; a signed-in view keeps the session cookie', () => {
    const rows = (inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'django-header-credentials'))).endpoints as Array<EndpointRow & { credentials: string }>).map((endpoint) => `${endpoint.view} ${endpoint.credentials}`);
    assert.deepEqual(rows.sort(), ['export_metrics header token only', 'pause_mine session cookie', 'pause_probe header token only']);
  });

  test('a Tornado app whose settings are passed in, in a project that never names xsrf_cookies, is unprotected, as the rule reports; where some code sets it, unknown', () => {
    const rowsOf = (name: string) =>
      (inventoryOf(copyFixture(path.join(REPO_ROOT, 'tests/fixtures/tornado-xsrf-disabled', name))).endpoints as EndpointRow[]).map((endpoint) => `${endpoint.view} ${endpoint.csrf}`).sort();
    assert.deepEqual(rowsOf('forwarded-settings'), ['LoginHandler unprotected', 'PageHandler unprotected']);
    assert.deepEqual(rowsOf('forwarded-settings-protected'), ['LoginHandler unknown', 'PageHandler unknown']);
  });

  test('a Django middleware list rebuilt with an entry inserted at a position read from the list keeps CsrfViewMiddleware: protected, as the rule (silent) says', () => {
    const rows = (inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'django-middleware-insertion'))).endpoints as EndpointRow[]).map((endpoint) => `${endpoint.view} ${endpoint.csrf} ${endpoint.protection}`);
    assert.deepEqual(rows, ['hide_post protected CsrfViewMiddleware']);
  });

  test('a Django middleware list cut at a position the scan cannot read may have lost CsrfViewMiddleware: unknown, as the rule has no finding', () => {
    const rows = (inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'django-middleware-uncertain'))).endpoints as EndpointRow[]).map((endpoint) => `${endpoint.view} ${endpoint.csrf}`);
    assert.deepEqual(rows, ['hide_post unknown']);
  });

  test('with no settings scanned, a Django view that requires a signed-in user (@login_required, LoginRequiredMixin) sends the session cookie; another is unknown', () => {
    const rows = (inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'django-login-credentials'))).endpoints as Array<EndpointRow & { credentials: string }>).map((endpoint) => `${endpoint.view} ${endpoint.credentials}`);
    assert.deepEqual(rows.sort(), ['BalanceView session cookie', 'add_entry session cookie', 'rates unknown']);
  });

  test('a DRF view that lists BasicAuthentication first is HTTP Basic; one whose first Basic class answers no challenge is not', () => {
    const directory = copyFixture(path.join(REPO_ROOT, 'tests/fixtures/drf-basic-authentication-first/basic-first'));
    const rows = (inventoryOf(directory).endpoints as Array<EndpointRow & { credentials: string }>).map((endpoint) => `${endpoint.view} ${endpoint.credentials}`);
    assert.deepEqual(rows.sort(), ['ExportView session cookie', 'ImportView HTTP Basic', 'ReconcileView HTTP Basic']);
  });

  test('a header-token app is explained by the header that authenticates, not by one logged for its name (User-Agent)', () => {
    const directory = writeProject({
      'pyproject.toml': '[project]\nname = "certs"\n',
      'certs/__init__.py': '',
      'certs/app.py': [
        'from flask import Flask, g, request',
        '',
        'app = Flask(__name__)',
        '',
        '',
        '@app.after_request',
        'def log_request(response):',
        '    app.logger.info({"user-agent": request.headers.get("User-Agent")})',
        '    return response',
        '',
        '',
        '@app.before_request',
        'def authenticate():',
        '    g.token = request.headers.get("Authorization")',
        '',
        '',
        '@app.route("/certificates", methods=["POST"])',
        'def create_certificate():',
        '    return "created"',
        '',
      ].join('\n'),
    });
    const [endpoint] = inventoryOf(directory).endpoints;
    assert.equal(endpoint?.reason, 'no ambient credential: only tokens sent in headers authenticate its users (header `Authorization` read, certs/app.py:14)');
  });
});

describe('csrflint endpoints: django.contrib.auth views', () => {
  test("include('django.contrib.auth.urls') lists each of Django's auth views below the include's prefix", () => {
    const directory = copyFixture(path.join(ENDPOINT_FIXTURES, 'django-auth-views'));
    writeFileSync(path.join(directory, 'tracker/urls.py'), ['from django.urls import include, path', '', 'urlpatterns = [path("accounts/", include("django.contrib.auth.urls"))]', ''].join('\n'));
    const rows = inventoryOf(directory).endpoints.map((endpoint) => `${endpoint.csrf} ${endpoint.methods.join(',')} ${endpoint.route ?? '-'} ${endpoint.view} ${endpoint.path}:${endpoint.line}`);
    assert.deepEqual(rows.sort(), [
      'protected GET,POST accounts/login/ LoginView tracker/urls.py:3',
      'protected GET,POST accounts/logout/ LogoutView tracker/urls.py:3',
      'protected GET,POST accounts/password_change/ PasswordChangeView tracker/urls.py:3',
      'protected GET,POST accounts/password_reset/ PasswordResetView tracker/urls.py:3',
      'protected GET,POST accounts/reset/<uidb64>/<token>/ PasswordResetConfirmView tracker/urls.py:3',
      'safe GET accounts/password_change/done/ PasswordChangeDoneView tracker/urls.py:3',
      'safe GET accounts/password_reset/done/ PasswordResetDoneView tracker/urls.py:3',
      'safe GET accounts/reset/done/ PasswordResetCompleteView tracker/urls.py:3',
    ]);
  });
});

describe('csrflint endpoints: Flask protectors', () => {
  test("a Flask-SeaSurf app's views name SeaSurf as their protector, not CSRFProtect", () => {
    const [endpoint] = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'flask-seasurf'))).endpoints;
    assert.deepEqual([endpoint?.view, endpoint?.csrf, endpoint?.protection], ['add_post', 'protected', 'SeaSurf']);
  });

  test("an app protected by a before_request hook of its own (set up in a helper) names the hook, not CSRFProtect; with CSRFProtect too, CSRFProtect", () => {
    const files = (protector: string[]) => ({
      'pyproject.toml': '[project]\nname = "scores"\n',
      'scores/__init__.py': [
        'from flask import Flask, abort, request, session',
        ...protector.slice(0, 1),
        '',
        '',
        'def init_request_processors(app):',
        '    @app.before_request',
        '    def check_nonce():',
        '        if request.method == "POST" and session.get("nonce") != request.form.get("nonce"):',
        '            abort(403)',
        '',
        '',
        'def create_app():',
        '    app = Flask(__name__)',
        ...protector.slice(1),
        '    init_request_processors(app)',
        '',
        '    @app.route("/scores", methods=["POST"])',
        '    def add_score():',
        '        return "added"',
        '',
        '    return app',
        '',
      ].join('\n'),
    });
    const [hooked] = inventoryOf(writeProject(files([]))).endpoints as Array<EndpointRow & { evidence: { path: string; line: number } | null }>;
    assert.deepEqual([hooked?.csrf, hooked?.protection, hooked?.evidence?.line], ['protected', '`before_request` hook `check_nonce`', 6]);
    const [both] = inventoryOf(writeProject(files(['from flask_wtf.csrf import CSRFProtect', '    CSRFProtect(app)']))).endpoints;
    assert.deepEqual([both?.csrf, both?.protection], ['protected', 'CSRFProtect']);
  });
});

describe('csrflint endpoints: Flask views authenticated by their own decorator', () => {
  test("Flask-HTTPAuth's login_required of an HTTPBasicAuth is HTTP Basic, of an HTTPTokenAuth or a decorator reading Authorization a header token; a view that reads no user (a model named User aside) none, one that reads a cookie of the request other cookie", () => {
    const endpoints = inventoryOf(copyFixture(path.join(ENDPOINT_FIXTURES, 'flask-view-credentials'))).endpoints as Array<EndpointRow & { credentials: string }>;
    const credentials = Object.fromEntries(endpoints.map((endpoint) => [endpoint.view, endpoint.credentials]));
    assert.deepEqual(credentials, { add_secret: 'HTTP Basic', add_token: 'header token only', add_key: 'header token only', add_note: 'session cookie', add_user: 'none', report_status: 'other cookie' });
  });
});

describe('csrflint endpoints: exemptions judged guarded', () => {
  test('a guarded exemption has no finding by default and its exempt row says why; with --report-guarded-exemptions the row names the finding', () => {
    const directory = copyFixture(path.join(ENDPOINT_FIXTURES, 'django-guarded-exemptions'));
    const rows = (shown: InventoryJson) => shown.endpoints.map((endpoint) => `${endpoint.view} ${endpoint.csrf} ${endpoint.findings.map((finding) => finding.rule).join(',') || '-'} ${endpoint.reason ?? '-'}`);
    assert.deepEqual(rows(inventoryOf(directory)).sort(), [
      'create_probe exempt - exemption judged guarded (header-token): --report-guarded-exemptions reports it',
      'pause_probe exempt django-csrf-exempt -',
    ]);
    assert.deepEqual(rows(inventoryOf(directory, ['--report-guarded-exemptions'])).sort(), ['create_probe exempt django-csrf-exempt -', 'pause_probe exempt django-csrf-exempt -']);
  });
});
