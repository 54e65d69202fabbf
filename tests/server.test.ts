import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import { checkProject } from '../src/engine.js';
import { runServer } from '../src/server/language-server.js';
import { diagnosticOf } from '../src/server/diagnostics.js';
import type { LoadKind, WarmProject } from '../src/warm-project.js';
import { LspClient } from './support/lsp-client.js';
import { FIXTURES } from './support/paths.js';
import { writeProject } from './support/projects.js';

const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'csrflint-server-cache-'));
const clients: LspClient[] = [];
after(() => {
  for (const client of clients) client.dispose();
});

function uriOf(root: string, relative: string): string {
  return pathToFileURL(path.join(root, relative)).href;
}

async function startServer(root: string, { watchesFiles = false } = {}): Promise<LspClient> {
  const client = LspClient.spawn(root, cacheHome);
  clients.push(client);
  await client.initialize(pathToFileURL(root).href, { watchesFiles });
  return client;
}

/** The server in this process, with the engine counted: how many analyses a sequence of edits costs. */
async function startCountingServer(root: string): Promise<{ client: LspClient; analyses: () => number; lastLoad: () => LoadKind | undefined; stop: () => Promise<number> }> {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  let calls = 0;
  let warmProject: WarmProject | undefined;
  const serving = runServer(toServer, fromServer, (options) => {
    calls++;
    warmProject = options.warmProject;
    return checkProject(options);
  });
  const client = new LspClient(fromServer, toServer);
  await client.initialize(pathToFileURL(root).href);
  const stop = async () => {
    client.dispose();
    toServer.end();
    return serving;
  };
  return { client, analyses: () => calls, lastLoad: () => warmProject?.lastLoad, stop };
}

const APP = `from flask import Flask, session

from extensions import protect

app = Flask(__name__)
protect(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")
`;

const PROTECTING_EXTENSIONS = `from flask_wtf.csrf import CSRFProtect


def protect(app):
    CSRFProtect(app)
`;

const UNPROTECTING_EXTENSIONS = `from flask_wtf.csrf import CSRFProtect


def protect(app):
    pass
`;

const SETTINGS = `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False
CSRFProtect(app)
`;

/** The files of a fixture folder, by path relative to it. */
function filesOf(folder: string, relative = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) Object.assign(files, filesOf(folder, child));
    else files[child] = readFileSync(path.join(folder, child), 'utf8');
  }
  return files;
}

/** What a fresh scan of the files finds, as the server publishes it: diagnostics by path, files without any left out. */
async function freshScanDiagnostics(files: Record<string, string>): Promise<Record<string, unknown[]>> {
  const { result } = await checkProject({ paths: ['.'], cwd: writeProject(files) });
  const byPath: Record<string, unknown[]> = {};
  for (const finding of result.findings) (byPath[finding.path] ??= []).push(diagnosticOf(finding));
  return byPath;
}

/** A file's diagnostics once they equal `expected` (an analysis publishes files one by one), else as they are after a while. */
async function settledDiagnostics(client: LspClient, uri: string, expected: unknown[]): Promise<unknown[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const diagnostics = client.diagnostics.get(uri) ?? [];
    if (JSON.stringify(diagnostics) === JSON.stringify(expected) || Date.now() > deadline) return diagnostics;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Applies unsaved edits one by one to a server started on the files, and asserts after each that
 * every file shows the findings of a fresh scan of the edited tree, from a warm project whose
 * modules were replaced (not loaded again). How many files had findings, over all edits.
 */
async function assertEditsMatchFreshScans(original: Record<string, string>, opened: string[], edits: Array<[string, string, string]>): Promise<number> {
  const root = writeProject(original);
  const { client, lastLoad, stop } = await startCountingServer(root);
  for (const file of new Set([...opened, ...edits.map(([, edited]) => edited)])) {
    await client.open(uriOf(root, file), original[file]!);
    await client.waitForPublications(uriOf(root, file), 1);
  }
  const current = { ...original };
  let version = 1;
  let findingsSeen = 0;
  for (const [edit, file, text] of edits) {
    const uri = uriOf(root, file);
    const published = client.publications.filter((publication) => publication.uri === uri).length;
    current[file] = text;
    await client.change(uri, ++version, text);
    await client.waitForPublications(uri, published + 1);
    const expected = await freshScanDiagnostics(current);
    findingsSeen += Object.keys(expected).length;
    for (const relative of new Set([...Object.keys(original), ...Object.keys(expected)].map((name) => name.split(path.sep).join('/')))) {
      const want = expected[relative] ?? [];
      assert.deepEqual(await settledDiagnostics(client, uriOf(root, relative), want), want, `${edit}: ${relative}`);
    }
    assert.equal(lastLoad(), 'modules-replaced', edit);
  }
  assert.equal(await stop(), 1);
  return findingsSeen;
}

/**
 * A Flask project split over modules: `app` is protected by a helper through a protector of
 * another module, whose `exempt` a view of a third module uses; `admin` is protected through
 * an attribute that no module sets yet.
 */
const SPLIT_SHOP: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "split-shop"\nversion = "0.0.0"\n',
  [path.join('shop', '__init__.py')]: '',
  [path.join('shop', 'extensions.py')]: 'from flask_wtf.csrf import CSRFProtect\n\nguard = CSRFProtect()\n',
  [path.join('shop', 'setup.py')]: 'from shop.extensions import guard\n\n\ndef configure(app):\n    guard.init_app(app)\n',
  [path.join('shop', 'app.py')]: `from flask import Flask, session

from shop.setup import configure

app = Flask(__name__)
configure(app)


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")
`,
  [path.join('shop', 'state.py')]: 'guard = None\n',
  [path.join('shop', 'hooks.py')]: `from shop.app import app
from shop.extensions import guard


@app.route("/hook", methods=["POST"])
@guard.exempt
def hook():
    return "ok"
`,
  [path.join('shop', 'admin.py')]: `from flask import Flask, session

from shop import state

admin = Flask("admin")
state.guard.init_app(admin)


@admin.route("/settings", methods=["POST"])
def update_settings():
    return session.get("user", "saved")
`,
  [path.join('shop', 'wiring.py')]: 'from flask_wtf.csrf import CSRFProtect\n\nfrom shop import state\n\n\ndef protector():\n    return CSRFProtect\n',
  [path.join('shop', 'other.py')]: 'from flask import request\n\n\ndef unrelated():\n    return request.args.get("page", 1)\n',
};

/** A Django site split over modules: `urls.py` exempts a view of `views.py`, which exempts another through an alias. */
const SPLIT_DJANGO_SITE: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "split-site"\nversion = "0.0.0"\n',
  [path.join('proj', '__init__.py')]: '',
  [path.join('proj', 'settings.py')]: `SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "proj.urls"
`,
  [path.join('proj', 'urls.py')]: `from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from proj import views

urlpatterns = [
    path("hook/", csrf_exempt(views.hook)),
    path("profile/", views.profile),
]
`,
  [path.join('proj', 'views.py')]: `from django.http import HttpResponse

from proj.decorators import exempt


def hook(request):
    return HttpResponse("ok")


@exempt
def profile(request):
    return HttpResponse(request.POST.get("name", ""))
`,
  [path.join('proj', 'decorators.py')]: 'from django.views.decorators.csrf import csrf_exempt\n\nexempt = csrf_exempt\n',
  [path.join('proj', 'other.py')]: 'from django.http import HttpResponse\nfrom django.views.decorators.csrf import csrf_protect\n\n\n@csrf_protect\ndef unrelated(request):\n    return HttpResponse("other")\n',
};

/** Flask-WTF forms split over modules: a form's base, a factory that hands keywords on to it, and a view that calls the factory. */
const SPLIT_FORMS: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "split-forms"\nversion = "0.0.0"\n',
  [path.join('shop', '__init__.py')]: '',
  [path.join('shop', 'base.py')]: 'from flask_wtf import FlaskForm\n\n\nclass BaseForm(FlaskForm):\n    pass\n',
  [path.join('shop', 'forms.py')]: `from wtforms import StringField

from shop.base import BaseForm


class ProfileForm(BaseForm):
    class Meta:
        csrf = False

    name = StringField("name")
`,
  [path.join('shop', 'factory.py')]: 'from shop.forms import ProfileForm\n\n\ndef make_form(**kwargs):\n    return ProfileForm(**kwargs)\n',
  [path.join('shop', 'views.py')]: 'from shop.factory import make_form\n\n\ndef edit():\n    return make_form(meta={"csrf": False})\n',
  [path.join('shop', 'other.py')]: 'from flask_wtf import FlaskForm\n\n\nclass SearchForm(FlaskForm):\n    pass\n\n\ndef unrelated():\n    return "page"\n',
};

/**
 * Django settings split over modules: `prod` builds on `base`, whose REST framework settings take
 * their authentication classes from `auth.py`; a middleware sets a skip flag through `compat.py`'s alias of `setattr`.
 */
const SPLIT_DJANGO_SETTINGS: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "split-settings"\nversion = "0.0.0"\n',
  'manage.py': 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.prod")\n',
  [path.join('proj', '__init__.py')]: '',
  [path.join('proj', 'settings', '__init__.py')]: '',
  [path.join('proj', 'settings', 'base.py')]: `from proj.auth import AUTHENTICATION

SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions", "rest_framework"]
OPTIONAL = "debug_toolbar.middleware.DebugToolbarMiddleware"
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    OPTIONAL,
]
ROOT_URLCONF = "proj.urls"
REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": AUTHENTICATION}
`,
  [path.join('proj', 'settings', 'prod.py')]: 'from .base import *  # noqa: F403\n\nMIDDLEWARE.remove(OPTIONAL)  # noqa: F405\n',
  [path.join('proj', 'auth.py')]: 'AUTHENTICATION = [\n    "rest_framework.authentication.SessionAuthentication",\n    "rest_framework.authentication.BasicAuthentication",\n]\n',
  [path.join('proj', 'compat.py')]: 'assign = setattr\n',
  [path.join('proj', 'middleware.py')]: `from proj.compat import assign


class TrustInternal:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        assign(request, "_dont_enforce_csrf_checks", True)
        return self.get_response(request)
`,
  [path.join('proj', 'other.py')]: 'from django.http import HttpResponse\nfrom django.views.decorators.csrf import csrf_protect\n\n\n@csrf_protect\ndef unrelated(request):\n    return HttpResponse("other")\n',
};

/** A decorator of the project that exempts every view it wraps, on a view of another module. */
const EXEMPTING_DECORATOR_SITE: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "decorated-site"\nversion = "0.0.0"\n',
  [path.join('proj', '__init__.py')]: '',
  [path.join('proj', 'decorators.py')]: `from functools import wraps

from django.views.decorators.csrf import csrf_exempt


def api(view):
    @wraps(view)
    def wrapper(request):
        return view(request)

    return csrf_exempt(wrapper)
`,
  [path.join('proj', 'views.py')]: 'from django.http import HttpResponse\n\nfrom proj.decorators import api\n\n\n# csrf_exempt through @api: callers sign their requests.\n@api\ndef ping(request):\n    return HttpResponse("pong")\n',
  [path.join('proj', 'more.py')]: 'from django.http import HttpResponse\n\n\n# Checked by CsrfViewMiddleware.\ndef status(request):\n    return HttpResponse("up")\n',
};

/** A Pyramid view exempted through another module's alias of `view_config`. */
const ALIASED_PYRAMID_VIEW: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "aliased-view"\nversion = "0.0.0"\n',
  [path.join('proj', '__init__.py')]: `from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_default_csrf_options(require_csrf=True)
    config.scan()
    return config.make_wsgi_app()
`,
  [path.join('proj', 'compat.py')]: '# Every view says require_csrf itself.\nfrom pyramid.view import view_config as view\n',
  [path.join('proj', 'views.py')]: `from proj.compat import view


@view(route_name="hook", request_method="POST", require_csrf=False)
def hook(request):
    request.session["seen"] = True
    return {}
`,
  [path.join('proj', 'other.py')]: 'from pyramid.view import view_config\n\n\n@view_config(route_name="home", renderer="json")\ndef home(request):\n    return {"page": 1}\n',
};

describe('csrflint server', () => {
  test('an unsaved edit in extensions.py publishes the finding it causes in app.py, and clears it when undone', async () => {
    const root = writeProject({ 'app.py': APP, 'extensions.py': PROTECTING_EXTENSIONS });
    const client = await startServer(root);
    const app = uriOf(root, 'app.py');
    const extensions = uriOf(root, 'extensions.py');
    await client.open(app, APP);
    await client.open(extensions, PROTECTING_EXTENSIONS);
    await client.change(extensions, 2, UNPROTECTING_EXTENSIONS);
    const diagnostics = await client.waitForDiagnostics(app, (published) => published.length > 0);
    assert.deepEqual(diagnostics, [
      {
        range: { start: { line: 4, character: 6 }, end: { line: 4, character: 21 } },
        severity: 1,
        code: 'CSRF202',
        codeDescription: { href: 'https://github.com/csrflint/csrflint/blob/main/docs/rules/flask-csrf-protect-missing.md' },
        source: 'csrflint',
        message:
          'Flask application `app` is never protected against CSRF: no CSRFProtect(app), csrf.init_app(app) or SeaSurf(app) anywhere in the project\n' +
          'Hint: its users are authenticated by a session cookie (`flask.session` imported, app.py:1); views that accept state-changing requests without a form or token check: `update_profile` (app.py:10)\n' +
          'Fix: Protect the app: csrf = CSRFProtect(); csrf.init_app(app) (Flask-WTF), or SeaSurf(app).',
        data: { rule: 'flask-csrf-protect-missing', fingerprint: '9c3bcaaa78aae209' },
      },
    ]);
    assert.equal(readFileSync(path.join(root, 'extensions.py'), 'utf8'), PROTECTING_EXTENSIONS, 'unsaved text is never written');
    await client.change(extensions, 3, PROTECTING_EXTENSIONS);
    assert.deepEqual(await client.waitForDiagnostics(app, (published) => published.length === 0), []);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('an edit that keeps a module\'s imports and calls replaces just that module in the warm project, and re-judges the finding it causes in another file as the CLI does', async () => {
    const protectingNothing = PROTECTING_EXTENSIONS.replace('CSRFProtect(app)', 'CSRFProtect(None)');
    const root = writeProject({ 'app.py': APP, 'extensions.py': PROTECTING_EXTENSIONS });
    const { client, lastLoad, stop } = await startCountingServer(root);
    const app = uriOf(root, 'app.py');
    const extensions = uriOf(root, 'extensions.py');
    await client.open(app, APP);
    await client.open(extensions, PROTECTING_EXTENSIONS);
    await client.waitForPublications(extensions, 1);
    await client.change(extensions, 2, protectingNothing);
    const diagnostics = await client.waitForDiagnostics(app, (published) => published.length > 0);
    assert.equal(lastLoad(), 'modules-replaced');
    const cli = await checkProject({ paths: ['.'], cwd: writeProject({ 'app.py': APP, 'extensions.py': protectingNothing }) });
    assert.deepEqual(diagnostics, cli.result.findings.map(diagnosticOf));
    assert.equal(diagnostics.length, 1);
    await client.change(extensions, 3, PROTECTING_EXTENSIONS);
    assert.deepEqual(await client.waitForDiagnostics(app, (published) => published.length === 0), []);
    assert.equal(lastLoad(), 'modules-replaced');
    assert.equal(await stop(), 1);
  });

  test('edits to the modules others resolve names through (a protector removed, aliased, renamed, put back) leave every file with the findings of a fresh scan of the edited tree', async () => {
    const original = filesOf(path.join(FIXTURES, 'flask-csrf-protect-missing', 'extensions-module'));
    const extensions = path.join('shop', 'extensions.py');
    const setup = path.join('shop', 'setup.py');
    const findingsSeen = await assertEditsMatchFreshScans(original, [extensions, setup], [
      ['CSRFProtect removed', extensions, original[extensions]!.replace('csrf = CSRFProtect()', 'csrf = None')],
      ['put back', extensions, original[extensions]!],
      ['protector renamed, old name kept as an alias', extensions, original[extensions]!.replace('csrf = CSRFProtect()', 'guard = CSRFProtect()\ncsrf = guard')],
      ['the alias gone', extensions, original[extensions]!.replace('csrf = CSRFProtect()', 'guard = CSRFProtect()')],
      ['put back', extensions, original[extensions]!],
      ['init_app call removed from the helper', setup, original[setup]!.replace('    protector.init_app(app)\n', '')],
      ['put back', setup, original[setup]!],
      ['the protector class re-exported', extensions, `from flask_wtf.csrf import CSRFProtect as Protector\n${original[extensions]!}`],
      ['the helper protects through the re-export', setup, `from .extensions import Protector\n${original[setup]!.replace('protector.init_app(app)', 'Protector(app)')}`],
      ['the re-export now names another class', extensions, `from flask_wtf.csrf import CSRFError as Protector\n${original[extensions]!}`],
      ['the re-export put back', extensions, `from flask_wtf.csrf import CSRFProtect as Protector\n${original[extensions]!}`],
    ]);
    assert.ok(findingsSeen >= 3, 'the edits make findings appear, not only go');
  });

  test('the flow of apps keeps the share of each module that read no edited one, and the findings stay those of a fresh scan (helpers, attributes set elsewhere, unrelated modules)', async () => {
    const file = (name: string) => path.join('shop', name);
    const original = SPLIT_SHOP;
    const wired = `${original[file('wiring.py')]!}\nstate.guard = CSRFProtect()\n`;
    const findingsSeen = await assertEditsMatchFreshScans(original, [file('app.py'), file('admin.py')], [
      ['an unrelated module edited', file('other.py'), original[file('other.py')]!.replace('"page"', '"p"')],
      ['another module sets the attribute the admin app is protected through', file('wiring.py'), wired],
      ['the helper stops protecting', file('setup.py'), original[file('setup.py')]!.replace('guard.init_app(app)', 'pass')],
      ['the helper put back', file('setup.py'), original[file('setup.py')]!],
      ['the protector the helper uses is gone', file('extensions.py'), original[file('extensions.py')]!.replace('guard = CSRFProtect()', 'guard = None')],
      ['the protector put back', file('extensions.py'), original[file('extensions.py')]!],
      ['the attribute no longer set', file('wiring.py'), original[file('wiring.py')]!],
      ['an unrelated module edited again', file('other.py'), original[file('other.py')]!.replace('"page"', '"n"')],
    ]);
    assert.ok(findingsSeen >= 4, 'the edits make findings appear, not only go');
  });

  test('the Django exemption rule keeps the findings of each module that read no edited one, and they stay those of a fresh scan (a wrapped view, an alias of csrf_exempt, unrelated modules)', async () => {
    const file = (name: string) => path.join('proj', name);
    const original = SPLIT_DJANGO_SITE;
    const findingsSeen = await assertEditsMatchFreshScans(original, [file('urls.py')], [
      ['an unrelated module edited', file('other.py'), original[file('other.py')]!.replace('return HttpResponse("other")', 'page = "else"\n    return HttpResponse(page)')],
      ['the wrapped view reads the session cookie itself', file('views.py'), original[file('views.py')]!.replace('HttpResponse("ok")', 'HttpResponse(request.COOKIES["sessionid"])')],
      ['the wrapped view put back', file('views.py'), original[file('views.py')]!],
      ['the alias no longer csrf_exempt', file('decorators.py'), original[file('decorators.py')]!.replace('exempt = csrf_exempt', 'def exempt(view):\n    return view')],
      ['the alias put back', file('decorators.py'), original[file('decorators.py')]!],
      ['an unrelated module edited again', file('other.py'), original[file('other.py')]!.replace('return HttpResponse("other")', 'page = "more"\n    return HttpResponse(page)')],
    ]);
    assert.ok(findingsSeen >= 6, 'findings are there to keep');
  });

  test('Flask-WTF form findings are kept for each module that read no edited one, and stay those of a fresh scan (a base form, a factory forwarding keywords)', async () => {
    const file = (name: string) => path.join('shop', name);
    const original = SPLIT_FORMS;
    const findingsSeen = await assertEditsMatchFreshScans(original, [file('forms.py'), file('views.py')], [
      ['an unrelated module edited', file('other.py'), original[file('other.py')]!.replace('return "page"', 'page = "p"\n    return page')],
      ['the base is no longer a FlaskForm', file('base.py'), original[file('base.py')]!.replace('from flask_wtf import FlaskForm', 'from wtforms import Form as FlaskForm')],
      ['the base put back', file('base.py'), original[file('base.py')]!],
      ['the factory no longer hands its keywords on', file('factory.py'), original[file('factory.py')]!.replace('ProfileForm(**kwargs)', 'ProfileForm()')],
      ['the factory put back', file('factory.py'), original[file('factory.py')]!],
      ['an unrelated module edited again', file('other.py'), original[file('other.py')]!.replace('return "page"', 'page = "n"\n    return page')],
    ]);
    assert.ok(findingsSeen >= 8, 'findings are there to keep');
  });

  test('Django settings, skip flags and DRF authentication lists are kept for each module that read no edited one, and stay those of a fresh scan', async () => {
    const file = (...names: string[]) => path.join('proj', ...names);
    const original = SPLIT_DJANGO_SETTINGS;
    const base = file('settings', 'base.py');
    const findingsSeen = await assertEditsMatchFreshScans(original, [base, file('settings', 'prod.py'), file('middleware.py')], [
      ['an unrelated module edited', file('other.py'), original[file('other.py')]!.replace('return HttpResponse("other")', 'page = "else"\n    return HttpResponse(page)')],
      ['the alias the middleware sets its flag through is no longer setattr', file('compat.py'), 'def assign(target, name, value):\n    return None\n'],
      ['the alias put back', file('compat.py'), original[file('compat.py')]!],
      ['BasicAuthentication comes first in the list the settings import', file('auth.py'), original[file('auth.py')]!.replace('SessionAuthentication', 'TokenAuthentication').replace('"rest_framework.authentication.TokenAuthentication",\n    "rest_framework.authentication.BasicAuthentication"', '"rest_framework.authentication.BasicAuthentication",\n    "rest_framework.authentication.TokenAuthentication"')],
      ['the list put back', file('auth.py'), original[file('auth.py')]!],
      ['the entry prod removes becomes the CSRF middleware', base, original[base]!.replace('"debug_toolbar.middleware.DebugToolbarMiddleware"', '"django.middleware.csrf.CsrfViewMiddleware"').replace('    "django.middleware.csrf.CsrfViewMiddleware",\n    OPTIONAL', '    OPTIONAL')],
      ['manage.py names the base settings', 'manage.py', original['manage.py']!.replace('proj.settings.prod', 'proj.settings.base')],
      ['manage.py put back', 'manage.py', original['manage.py']!],
      ['the base put back', base, original[base]!],
      ['an unrelated module edited again', file('other.py'), original[file('other.py')]!.replace('return HttpResponse("other")', 'page = "more"\n    return HttpResponse(page)')],
    ]);
    assert.ok(findingsSeen >= 3, 'the edits make findings appear, not only go');
  });

  test('Pyramid exemptions are kept for each module that read no edited one, and stay those of a fresh scan (an alias of view_config in another module)', async () => {
    const file = (name: string) => path.join('proj', name);
    const original = ALIASED_PYRAMID_VIEW;
    const findingsSeen = await assertEditsMatchFreshScans(original, [file('views.py')], [
      ['an unrelated module edited', file('other.py'), original[file('other.py')]!.replace('return {"page": 1}', 'page = 2\n    return {"page": page}')],
      ['the alias now names another function', file('compat.py'), original[file('compat.py')]!.replace('from pyramid.view import view_config as view', 'from functools import partial as view')],
      ['the alias put back', file('compat.py'), original[file('compat.py')]!],
    ]);
    assert.ok(findingsSeen >= 2, 'findings are there to keep');
  });

  test('the views a project decorator exempts are named from every module: decorating a view in another module changes the hint', async () => {
    const file = (name: string) => path.join('proj', name);
    const original = EXEMPTING_DECORATOR_SITE;
    const decorated = 'from django.http import HttpResponse\n\nfrom proj.decorators import api\n\n\n# csrf_exempt through @api: callers sign their requests.\n@api\ndef status(request):\n    return HttpResponse("up")\n';
    const findingsSeen = await assertEditsMatchFreshScans(original, [file('decorators.py')], [
      ['another module decorates a view', file('more.py'), decorated],
      ['that decorator removed', file('more.py'), original[file('more.py')]!],
    ]);
    assert.ok(findingsSeen >= 2, 'the decorator is reported');
  });

  test('opening a file publishes its findings; the quick fixes are exact edits; hover shows the rule documentation', async () => {
    const root = writeProject({ 'settings.py': SETTINGS });
    const client = await startServer(root);
    const settings = uriOf(root, 'settings.py');
    await client.open(settings, SETTINGS);
    const [diagnostic] = await client.waitForDiagnostics(settings, (published) => published.length > 0);
    assert.deepEqual(diagnostic!.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 38 } });
    assert.equal(diagnostic!.code, 'CSRF201');
    const actions = await client.codeActions(settings, diagnostic!.range, [diagnostic!]);
    assert.deepEqual(
      actions.map(({ title, kind, isPreferred, edit }) => ({ title, kind, isPreferred, edit })),
      [
        {
          title: 'Remove `WTF_CSRF_ENABLED = False`',
          kind: 'quickfix',
          isPreferred: true,
          edit: { changes: { [settings]: [{ range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, newText: '' }] } },
        },
        {
          title: 'Ignore flask-wtf-csrf-disabled on this line',
          kind: 'quickfix',
          isPreferred: undefined,
          edit: { changes: { [settings]: [{ range: { start: { line: 4, character: 38 }, end: { line: 4, character: 38 } }, newText: '  # csrflint: ignore[flask-wtf-csrf-disabled] -- <reason>' }] } },
        },
      ],
    );
    const hover = await client.hover(settings, { line: 4, character: 10 });
    const contents = hover?.contents as { kind: string; value: string };
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /^# flask-wtf-csrf-disabled \(CSRF201\)\n/);
    assert.match(contents.value, /## Why it matters/);
    assert.equal(await client.hover(settings, { line: 0, character: 3 }), null);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('findings in test code follow include-tests from the configuration, as in the CLI', async () => {
    const hidden = writeProject({ 'app.py': SETTINGS, 'tests/conftest.py': SETTINGS });
    const shown = writeProject({ 'app.py': SETTINGS, 'tests/conftest.py': SETTINGS, '.csrflint.toml': 'include-tests = true\n' });
    for (const [root, expected] of [[hidden, []], [shown, ['CSRF201']]] as const) {
      const client = await startServer(root);
      await client.open(uriOf(root, 'tests/conftest.py'), SETTINGS);
      await client.open(uriOf(root, 'app.py'), SETTINGS);
      await client.waitForDiagnostics(uriOf(root, 'app.py'), (published) => published.length > 0);
      // One analysis publishes every file at once, all before the answer to a later request.
      assert.equal(await client.shutdownAndExit(), 0);
      assert.deepEqual((client.diagnostics.get(uriOf(root, 'tests/conftest.py')) ?? []).map((diagnostic) => diagnostic.code), expected);
    }
  });

  test('a Django form without a token gets {% csrf_token %} as its first child; the middleware fix is marked unsafe', async () => {
    const template = '<form method="post" action="/profile/">\n  <input name="email">\n</form>\n';
    const settings = 'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n]\n';
    const root = writeProject({
      'pyproject.toml': '[tool.csrflint]\nreport-broken-forms = true\n',
      'manage.py': 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': settings,
      'proj/templates/profile.html': template,
    });
    const client = await startServer(root);
    const settingsUri = uriOf(root, 'proj/settings.py');
    await client.open(settingsUri, settings);
    const [middleware] = await client.waitForDiagnostics(settingsUri, (published) => published.length > 0);
    const [unsafe] = await client.codeActions(settingsUri, middleware!.range);
    assert.deepEqual(unsafe, {
      title: "Add 'django.middleware.csrf.CsrfViewMiddleware' after SessionMiddleware (changes behaviour: posts without a token are rejected) [unsafe]",
      kind: 'quickfix',
      diagnostics: [middleware],
      edit: { changes: { [settingsUri]: [{ range: { start: { line: 1, character: 59 }, end: { line: 1, character: 59 } }, newText: '\n    "django.middleware.csrf.CsrfViewMiddleware",' }] } },
    });
    const protectedSettings = 'MIDDLEWARE = [\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware",\n]\n';
    await client.change(settingsUri, 2, protectedSettings);
    await client.waitForDiagnostics(settingsUri, (published) => published.length === 0);
    const templateUri = uriOf(root, 'proj/templates/profile.html');
    await client.open(templateUri, template, 'html');
    const [form] = await client.waitForDiagnostics(templateUri, (published) => published.length > 0);
    assert.equal(form!.code, 'CSRF401');
    const [tokenFix] = await client.codeActions(templateUri, form!.range);
    assert.deepEqual(tokenFix!.edit, { changes: { [templateUri]: [{ range: { start: { line: 0, character: 39 }, end: { line: 0, character: 39 } }, newText: '\n  {% csrf_token %}' }] } });
    assert.equal(tokenFix!.isPreferred, true);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('a file changed on disk (git checkout) re-judges the findings it can change elsewhere, through the watchers the server registers', async () => {
    const root = writeProject({ 'app.py': APP, 'extensions.py': PROTECTING_EXTENSIONS });
    const client = await startServer(root, { watchesFiles: true });
    const registration = await client.waitForRegistration('workspace/didChangeWatchedFiles');
    assert.deepEqual(registration.registerOptions, {
      watchers: [
        { globPattern: '**/*.{py,pyi,html,htm,jinja,jinja2,j2,djhtml}' },
        { globPattern: '**/*.{js,mjs,cjs,jsx,ts,tsx,vue,svelte}' },
        { globPattern: '**/pyproject.toml' },
        { globPattern: '**/csrflint.toml' },
        { globPattern: '**/.csrflint.toml' },
        { globPattern: '**/.gitignore' },
        { globPattern: '**/*', kind: 5 },
      ],
    });
    const app = uriOf(root, 'app.py');
    await client.open(app, APP);
    await client.waitForPublications(app, 1);
    assert.deepEqual(client.diagnostics.get(app), []);
    writeFileSync(path.join(root, 'extensions.py'), UNPROTECTING_EXTENSIONS);
    await client.filesChanged([{ uri: uriOf(root, 'extensions.py'), type: 2 }]);
    const [diagnostic] = await client.waitForDiagnostics(app, (published) => published.length > 0);
    assert.equal(diagnostic!.code, 'CSRF202');
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('a folder moved in (reported as the folder alone) is found: its files are analysed when opened', async () => {
    const root = writeProject({ 'app.py': APP, 'extensions.py': PROTECTING_EXTENSIONS });
    const client = await startServer(root, { watchesFiles: true });
    await client.waitForRegistration('workspace/didChangeWatchedFiles');
    const app = uriOf(root, 'app.py');
    await client.open(app, APP);
    await client.waitForPublications(app, 1);
    mkdirSync(path.join(root, 'billing'));
    writeFileSync(path.join(root, 'billing', '__init__.py'), '');
    writeFileSync(path.join(root, 'billing', 'settings.py'), SETTINGS);
    await client.filesChanged([{ uri: uriOf(root, 'billing'), type: 1 }]);
    const settings = uriOf(root, 'billing/settings.py');
    await client.open(settings, SETTINGS);
    const diagnostics = await client.waitForDiagnostics(settings, (published) => published.length > 0);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['CSRF201']);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('a saved configuration file applies at once: include-tests shows the findings in test code', async () => {
    const root = writeProject({ 'app.py': SETTINGS, 'tests/conftest.py': SETTINGS });
    const client = await startServer(root);
    const conftest = uriOf(root, 'tests/conftest.py');
    await client.open(conftest, SETTINGS);
    await client.waitForPublications(uriOf(root, 'app.py'), 1);
    assert.equal(client.diagnostics.get(conftest), undefined);
    writeFileSync(path.join(root, '.csrflint.toml'), 'include-tests = true\n');
    await client.open(uriOf(root, '.csrflint.toml'), 'include-tests = true\n', 'toml');
    await client.save(uriOf(root, '.csrflint.toml'));
    const diagnostics = await client.waitForDiagnostics(conftest, (published) => published.length > 0);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['CSRF201']);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('a file that does not parse gets one diagnostic where the parser stopped, beside the findings of the rest; the server goes on', async () => {
    const broken = `${SETTINGS}\n\ndef save(:\n    pass\n`;
    const root = writeProject({ 'settings.py': broken });
    const client = await startServer(root);
    const settings = uriOf(root, 'settings.py');
    await client.open(settings, broken);
    const diagnostics = await client.waitForDiagnostics(settings, (published) => published.length > 0);
    assert.deepEqual(
      diagnostics.map(({ range, severity, code, message }) => ({ range, severity, code, message })),
      [
        { range: { start: { line: 8, character: 9 }, end: { line: 8, character: 9 } }, severity: 2, code: undefined, message: 'csrflint could not read all of this file: missing ) at 9:10; analysed the rest' },
        { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 38 } }, severity: 1, code: 'CSRF201', message: diagnostics[1]!.message },
      ],
    );
    await client.change(settings, 2, SETTINGS);
    assert.deepEqual((await client.waitForDiagnostics(settings, (published) => published.length === 1)).map((diagnostic) => diagnostic.code), ['CSRF201']);
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('saving, closing or reopening a document whose text was analysed, and editing a file no rule reads, analyse nothing again', async () => {
    const utilities = 'def add(a, b):\n    return a + b\n';
    const root = writeProject({ 'settings.py': SETTINGS, 'utils.py': utilities });
    const { client, analyses, stop } = await startCountingServer(root);
    const settings = uriOf(root, 'settings.py');
    await client.open(settings, SETTINGS);
    await client.waitForDiagnostics(settings, (published) => published.length > 0);
    assert.equal(analyses(), 1);
    await client.save(settings);
    await client.waitForPublications(settings, 2);
    await client.close(settings);
    await client.open(settings, SETTINGS);
    await client.waitForPublications(settings, 3);
    const utils = uriOf(root, 'utils.py');
    await client.open(utils, utilities);
    await client.waitForPublications(utils, 1);
    await client.change(utils, 2, utilities.replace('a + b', 'a - b'));
    await client.waitForPublications(utils, 2);
    assert.equal(analyses(), 1);
    await client.change(utils, 3, 'WTF_CSRF_ENABLED = False\n');
    const [diagnostic] = await client.waitForDiagnostics(utils, (published) => published.length > 0);
    assert.equal(diagnostic!.code, 'CSRF201');
    assert.equal(analyses(), 2);
    assert.equal(await stop(), 1);
  });

  test('a Jinja form of a Flask app that CSRFProtect protects gets the csrf_token hidden input as its first child', async () => {
    const app = 'from flask import Flask, render_template\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\nCSRFProtect(app)\n\n\n@app.route("/profile/", methods=["GET", "POST"])\ndef profile():\n    return render_template("profile.html")\n';
    const template = '<form method="post">\n    <input name="email">\n</form>\n';
    const root = writeProject({ 'app.py': app, 'templates/profile.html': template, 'pyproject.toml': '[tool.csrflint]\nreport-broken-forms = true\n' });
    const client = await startServer(root);
    const templateUri = uriOf(root, 'templates/profile.html');
    await client.open(templateUri, template, 'jinja');
    const [form] = await client.waitForDiagnostics(templateUri, (published) => published.length > 0);
    assert.equal(form!.code, 'CSRF401');
    const [tokenFix] = await client.codeActions(templateUri, form!.range);
    assert.deepEqual(
      { title: tokenFix!.title, isPreferred: tokenFix!.isPreferred, edit: tokenFix!.edit },
      {
        title: 'Add a hidden csrf_token input ({{ csrf_token() }}) to the form',
        isPreferred: true,
        edit: { changes: { [templateUri]: [{ range: { start: { line: 0, character: 20 }, end: { line: 0, character: 20 } }, newText: '\n    <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">' }] } },
      },
    );
    assert.equal(await client.shutdownAndExit(), 0);
  });

  test('a crash analysing the project is logged to the client, and the server goes on', async () => {
    const root = writeProject({ 'settings.py': SETTINGS });
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    let calls = 0;
    const serving = runServer(toServer, fromServer, async (options) => {
      if (++calls === 1) throw new Error('boom in a rule');
      return checkProject(options);
    });
    const client = new LspClient(fromServer, toServer);
    await client.initialize(pathToFileURL(root).href);
    const settings = uriOf(root, 'settings.py');
    await client.open(settings, SETTINGS);
    assert.match(await client.waitForLog((message) => message.includes('failed')), /analysing .* failed: Error: boom in a rule/);
    await client.change(settings, 2, SETTINGS + '\n');
    const [diagnostic] = await client.waitForDiagnostics(settings, (published) => published.length > 0);
    assert.equal(diagnostic!.code, 'CSRF201');
    client.dispose();
    toServer.end();
    assert.equal(await serving, 1, 'ended without shutdown');
  });
});

describe('csrflint server: exemptions judged guarded', () => {
  test('are hidden as in check, and shown when the configuration asks for them', async () => {
    const views = [
      'from django.http import HttpResponse',
      'from django.views.decorators.csrf import csrf_exempt',
      '',
      '',
      '@csrf_exempt',
      'def create(request):',
      '    return HttpResponse(request.headers["X-Api-Key"] + request.POST["name"])',
      '',
      '',
      '@csrf_exempt',
      'def pause(request):',
      '    request.user.profile.pause()',
      '    return HttpResponse()',
      '',
    ].join('\n');
    for (const [config, lines] of [['', [9]], ['[tool.csrflint]\nreport-guarded-exemptions = true\n', [4, 9]]] as const) {
      const root = writeProject({ 'pyproject.toml': config, 'shop/views.py': views });
      const client = await startServer(root);
      const uri = uriOf(root, 'shop/views.py');
      await client.open(uri, views);
      const published = await client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
      assert.deepEqual(published.map((diagnostic) => diagnostic.range.start.line), lines);
      assert.equal(await client.shutdownAndExit(), 0);
    }
  });
});
