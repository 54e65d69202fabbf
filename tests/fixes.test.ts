import assert from 'node:assert/strict';
import { linkSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { GuardedFileError } from '../src/discover/guarded-files.js';
import { check } from '../src/engine.js';
import { FileChangedError, planFixes, writeFixedFile } from '../src/fixes/apply-fixes.js';
import { applyEdits, fixesFor } from '../src/fixes/index.js';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

const FLASK_APP = `from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import StringField

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False
csrf = CSRFProtect(app)


class Config:
    WTF_CSRF_ENABLED = False
    WTF_CSRF_CHECK_DEFAULT = False


class ProfileForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField("name")


class SearchForm(FlaskForm):
    class Meta:
        locales = ["en"]
        csrf = False  # no token on search
`;

const FLASK_APP_FIXED = `from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from wtforms import StringField

app = Flask(__name__)
csrf = CSRFProtect(app)


class Config:
    pass


class ProfileForm(FlaskForm):
    class Meta:
        pass

    name = StringField("name")


class SearchForm(FlaskForm):
    class Meta:
        locales = ["en"]
`;

const DJANGO_SETTINGS = `SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
`;

const DJANGO_SETTINGS_FIXED = `SECRET_KEY = "x"
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
`;

const MANAGE = `import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
`;

const PROTECTED_SETTINGS = DJANGO_SETTINGS_FIXED;

const TEMPLATE = `<div>
  <form method="post" action="/profile/">
    <input name="email">
    <button>Save</button>
  </form>
</div>
`;

const TEMPLATE_FIXED = `<div>
  <form method="post" action="/profile/">
    {% csrf_token %}
    <input name="email">
    <button>Save</button>
  </form>
</div>
`;

const FLASK_PROTECTED_APP = `from flask import Flask, render_template
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
CSRFProtect(app)


@app.route("/profile/", methods=["GET", "POST"])
def profile():
    return render_template("profile.html")
`;

const FLASK_SEASURF_APP = FLASK_PROTECTED_APP.replace('from flask_wtf.csrf import CSRFProtect', 'from flask_seasurf import SeaSurf').replace('CSRFProtect(app)', 'SeaSurf(app)');

const FLASK_TEMPLATE_FIXED = TEMPLATE_FIXED.replace('{% csrf_token %}', '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">');

describe('check --fix', () => {
  test('a file hard-linked to another (one out of the tree, as an unpacked archive can make) is not fixed; its twin without a link is', () => {
    const CONFIG = 'class Config:\n    WTF_CSRF_ENABLED = False\n    X = 1\n';
    const APP = (module: string) => `from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\nfrom ${module} import Config\napp = Flask(__name__)\napp.config.from_object(Config)\nCSRFProtect(app)\n`;
    const outside = writeProject({ 'config.py': CONFIG });
    const root = writeProject({ 'pyproject.toml': '', 'shop/app.py': APP('config'), 'blog/app.py': APP('config'), 'blog/config.py': CONFIG });
    linkSync(path.join(outside, 'config.py'), path.join(root, 'shop', 'config.py'));
    const run = runCli(['check', '--no-cache', '--fix', '--format', 'concise', '.'], root);
    assert.equal(readFileSync(path.join(outside, 'config.py'), 'utf8'), CONFIG);
    assert.equal(readFileSync(path.join(root, 'shop', 'config.py'), 'utf8'), CONFIG);
    assert.equal(readFileSync(path.join(root, 'blog', 'config.py'), 'utf8'), 'class Config:\n    X = 1\n');
    assert.match(run.stderr, /shop\/config\.py has 2 hard links; csrflint does not write through them\ncsrflint: fixed 1 finding\n/);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^shop\/config\.py:2:/m);
  });

  test('applies the safe Flask fixes and leaves valid Python: a deleted setting, `pass` in an emptied class', () => {
    const root = writeProject({ 'app.py': FLASK_APP });
    const safeOnly = runCli(['check', '--no-cache', '--fix', '.'], root);
    assert.equal(readFileSync(path.join(root, 'app.py'), 'utf8'), FLASK_APP_FIXED.replace('class Config:\n    pass\n', 'class Config:\n    WTF_CSRF_CHECK_DEFAULT = False\n'));
    assert.equal(safeOnly.stderr, 'csrflint: fixed 4 findings\n');
    assert.equal(safeOnly.status, 1, 'WTF_CSRF_CHECK_DEFAULT = False is left to --unsafe-fixes');
    const run = runCli(['check', '--no-cache', '--fix', '--unsafe-fixes', '.'], root);
    assert.equal(readFileSync(path.join(root, 'app.py'), 'utf8'), FLASK_APP_FIXED);
    assert.equal(run.stderr, 'csrflint: fixed 1 finding\n');
    assert.equal(run.status, 0, run.stdout);
    assert.equal(runCli(['check', '--no-cache', '.'], root).status, 0);
  });

  test('adds CsrfViewMiddleware after SessionMiddleware only with --unsafe-fixes', () => {
    const root = writeProject({ 'manage.py': MANAGE, 'proj/__init__.py': '', 'proj/settings.py': DJANGO_SETTINGS });
    const safeOnly = runCli(['check', '--no-cache', '--fix', '.'], root);
    assert.equal(readFileSync(path.join(root, 'proj/settings.py'), 'utf8'), DJANGO_SETTINGS);
    assert.equal(safeOnly.status, 1);
    const unsafe = runCli(['check', '--no-cache', '--fix', '--unsafe-fixes', '.'], root);
    assert.equal(readFileSync(path.join(root, 'proj/settings.py'), 'utf8'), DJANGO_SETTINGS_FIXED);
    assert.equal(unsafe.stderr, 'csrflint: fixed 1 finding\n');
    assert.equal(unsafe.status, 0, unsafe.stdout);
  });

  test('adds {% csrf_token %} as the first child of a Django form that CsrfViewMiddleware checks', () => {
    const root = writeProject({ 'manage.py': MANAGE, 'proj/__init__.py': '', 'proj/settings.py': PROTECTED_SETTINGS, 'proj/templates/profile.html': TEMPLATE });
    // The middleware rejects the post: a broken form, reported (and fixed) with --report-broken-forms.
    const run = runCli(['check', '--no-cache', '--report-broken-forms', '--fix', '.'], root);
    assert.equal(readFileSync(path.join(root, 'proj/templates/profile.html'), 'utf8'), TEMPLATE_FIXED);
    assert.equal(run.status, 0, run.stdout);
  });

  test('adds the csrf_token hidden input as the first child of a Jinja form of a Flask app that CSRFProtect protects', () => {
    const root = writeProject({ 'app.py': FLASK_PROTECTED_APP, 'templates/profile.html': TEMPLATE });
    const run = runCli(['check', '--no-cache', '--report-broken-forms', '--fix', '.'], root);
    assert.equal(readFileSync(path.join(root, 'templates/profile.html'), 'utf8'), FLASK_TEMPLATE_FIXED);
    assert.equal(run.status, 0, run.stdout);
  });

  test('no token fix where the Flask app is protected by SeaSurf, whose field has another name', () => {
    const root = writeProject({ 'app.py': FLASK_SEASURF_APP, 'templates/profile.html': TEMPLATE });
    const run = runCli(['check', '--no-cache', '--report-broken-forms', '--fix', '.'], root);
    assert.equal(readFileSync(path.join(root, 'templates/profile.html'), 'utf8'), TEMPLATE);
    assert.equal(run.status, 1, run.stdout);
  });

  test('--diff prints the fixes as a unified diff and writes nothing; exit 1 when there is one, 0 when not', () => {
    const root = writeProject({ 'manage.py': MANAGE, 'proj/__init__.py': '', 'proj/settings.py': DJANGO_SETTINGS });
    const run = runCli(['check', '--no-cache', '--diff', '--unsafe-fixes', '.'], root);
    assert.equal(
      run.stdout,
      `--- a/proj/settings.py
+++ b/proj/settings.py
@@ -3,5 +3,6 @@
 MIDDLEWARE = [
     "django.middleware.security.SecurityMiddleware",
     "django.contrib.sessions.middleware.SessionMiddleware",
+    "django.middleware.csrf.CsrfViewMiddleware",
     "django.contrib.auth.middleware.AuthenticationMiddleware",
 ]
`,
    );
    assert.equal(run.stderr, 'csrflint: would fix 1 finding\n');
    assert.equal(run.status, 1);
    assert.equal(readFileSync(path.join(root, 'proj/settings.py'), 'utf8'), DJANGO_SETTINGS);
    const safeOnly = runCli(['check', '--no-cache', '--diff', '.'], root);
    assert.deepEqual([safeOnly.stdout, safeOnly.stderr, safeOnly.status], ['', 'csrflint: no fixes available\n', 0]);
  });

  test('--diff escapes file names and code for the terminal: no control sequence, no forged patch header', () => {
    const evilName = 'proj/templates/p\u001b]52;c;SGk=\u0007\n+++ b/forged.html.html';
    const template = TEMPLATE.replace('<input name="email">', '<input name="email">\u001b[2J\u202e');
    const root = writeProject({ 'manage.py': MANAGE, 'proj/__init__.py': '', 'proj/settings.py': PROTECTED_SETTINGS, [evilName]: template });
    const run = runCli(['check', '--no-cache', '--report-broken-forms', '--diff', '.'], root);
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u001b\u0007\u202e]/);
    assert.deepEqual(run.stdout.split('\n').filter((line) => /^(---|\+\+\+) /.test(line)), ['--- a/proj/templates/p\\x1B]52;c;SGk=\\x07\\x0A+++ b/forged.html.html', '+++ b/proj/templates/p\\x1B]52;c;SGk=\\x07\\x0A+++ b/forged.html.html']);
    assert.match(run.stdout, /^ {5}<input name="email">\\x1B\[2J\\u202E$/m);
  });

  test('--unsafe-fixes alone is a usage error', () => {
    const root = writeProject({ 'app.py': FLASK_APP });
    const run = runCli(['check', '--unsafe-fixes', '.'], root);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--unsafe-fixes needs --fix or --diff/);
  });

  test('a file changed since it was read is not overwritten', async () => {
    const root = writeProject({ 'app.py': FLASK_APP });
    const [planned] = await planFixes((await check({ paths: ['.'], cwd: root })).findings, root, 'safe');
    const edited = FLASK_APP.replace('class Config:', 'class Config:  # edited meanwhile');
    writeFileSync(path.join(root, 'app.py'), edited);
    assert.throws(() => writeFixedFile(planned!, [root]), FileChangedError);
    assert.equal(readFileSync(path.join(root, 'app.py'), 'utf8'), edited);
  });

  test('a fix is never written through a link', async () => {
    const root = writeProject({ 'app.py': FLASK_APP, 'elsewhere/target.py': FLASK_APP });
    const [planned] = await planFixes((await check({ paths: ['.'], cwd: root })).findings.filter((finding) => finding.path === 'app.py'), root, 'safe');
    unlinkSync(path.join(root, 'app.py'));
    symlinkSync(path.join(root, 'elsewhere/target.py'), path.join(root, 'app.py'));
    assert.throws(() => writeFixedFile(planned!, [root]), GuardedFileError);
    assert.equal(readFileSync(path.join(root, 'elsewhere/target.py'), 'utf8'), FLASK_APP);
  });
});

describe('suppression fix', () => {
  const finding = { rule: 'flask-wtf-csrf-disabled', severity: 'high', message: '', line: 2, column: 1, endLine: 2, endColumn: 10 };

  test('goes at the end of the finding line', async () => {
    const [, suppression] = await fixesFor(finding, 'x = 1\nWTF_CSRF_ENABLED = False\n', 'settings.py');
    assert.deepEqual(suppression, { title: 'Ignore flask-wtf-csrf-disabled on this line', applicability: 'suppression', edits: [{ start: 30, end: 30, newText: '  # csrflint: ignore[flask-wtf-csrf-disabled] -- <reason>' }] });
  });

  test('counts a lone carriage return as a line break, as Python and the analysis do', async () => {
    const text = '# a\rX = 1\n@csrf_exempt\ndef hook(request):\n    pass\n';
    const fixes = await fixesFor({ ...finding, rule: 'django-csrf-exempt', line: 3, endLine: 3, endColumn: 13 }, text, 'views.py');
    const suppression = fixes.find((fix) => fix.applicability === 'suppression');
    assert.deepEqual(suppression!.edits, [{ start: 22, end: 22, newText: '  # csrflint: ignore[django-csrf-exempt] -- <reason>' }]);
    assert.equal(applyEdits(text, suppression!.edits).split(/\r\n?|\n/)[2], '@csrf_exempt  # csrflint: ignore[django-csrf-exempt] -- <reason>');
  });

  test('goes on a line of its own above when the line ends inside a string', async () => {
    const text = 'x = 1\n    call(a, """one\ntwo""")\n';
    const [suppression] = await fixesFor(finding, text, 'settings.py');
    assert.deepEqual(suppression!.edits, [{ start: 6, end: 6, newText: '    # csrflint: ignore[flask-wtf-csrf-disabled] -- <reason>\n' }]);
  });

  test('in a template is a template comment', async () => {
    const [suppression] = await fixesFor({ ...finding, rule: 'template-form-missing-csrf-token', line: 1 }, '<form method="post">\n</form>\n', 'templates/a.html');
    assert.deepEqual(suppression!.edits, [{ start: 20, end: 20, newText: ' {# csrflint: ignore[template-form-missing-csrf-token] -- <reason> #}' }]);
  });

  test('is not offered on a line that already has a directive', async () => {
    assert.deepEqual(await fixesFor(finding, 'x = 1\nx = 2  # csrflint: ignore[a] -- b\n', 'settings.py'), []);
  });
});

describe('mechanical fixes, from the syntax tree', () => {
  const at = (rule: string, line: number, message = '') => ({ rule, severity: 'high', message, line, column: 1, endLine: line, endColumn: 2 });
  const fixed = async (rule: string, line: number, text: string, file = 'settings.py', message = '') => {
    const [fix] = await fixesFor(at(rule, line, message), text, file);
    return fix && fix.applicability !== 'suppression' ? applyEdits(text, fix.edits) : undefined;
  };

  test('CsrfViewMiddleware joins a list written on one line, and a tuple without a trailing comma', async () => {
    assert.equal(await fixed('django-csrf-middleware-missing', 1, "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware', 'x.Y']\n"), "MIDDLEWARE = ['django.contrib.sessions.middleware.SessionMiddleware', 'django.middleware.csrf.CsrfViewMiddleware', 'x.Y']\n");
    assert.equal(
      await fixed('django-csrf-middleware-missing', 1, 'MIDDLEWARE = (\n    "a.B",\n    "django.contrib.sessions.middleware.SessionMiddleware"\n)\n'),
      'MIDDLEWARE = (\n    "a.B",\n    "django.contrib.sessions.middleware.SessionMiddleware",\n    "django.middleware.csrf.CsrfViewMiddleware"\n)\n',
    );
  });

  test('an inserted line keeps the file\'s CRLF line breaks', async () => {
    const text = 'MIDDLEWARE = [\r\n    "django.contrib.sessions.middleware.SessionMiddleware",\r\n]\r\n';
    assert.equal(await fixed('django-csrf-middleware-missing', 1, text), 'MIDDLEWARE = [\r\n    "django.contrib.sessions.middleware.SessionMiddleware",\r\n    "django.middleware.csrf.CsrfViewMiddleware",\r\n]\r\n');
  });

  test('no middleware fix without SessionMiddleware in a written-out list', async () => {
    assert.equal(await fixed('django-csrf-middleware-missing', 1, 'MIDDLEWARE = ["a.B"]\n'), undefined);
    assert.equal(await fixed('django-csrf-middleware-missing', 1, 'MIDDLEWARE = base_middleware()\n'), undefined);
  });

  test('a setting the file reads elsewhere is not deleted; one sharing its line with another statement neither', async () => {
    assert.equal(await fixed('flask-wtf-csrf-disabled', 1, 'WTF_CSRF_ENABLED = False\nprint(WTF_CSRF_ENABLED)\n'), undefined);
    assert.equal(await fixed('flask-wtf-csrf-disabled', 1, 'WTF_CSRF_ENABLED = False; DEBUG = True\n'), undefined);
    assert.equal(await fixed('flask-wtf-csrf-disabled', 1, 'WTF_CSRF_ENABLED = os.environ.get("X")\n'), undefined);
  });

  test('the token a form gets is the one the project model says its server expects, never read from the message', async () => {
    const form = '<form method="post">\n</form>\n';
    const finding = { ...at('template-form-missing-csrf-token', 1, "Django's CsrfViewMiddleware checks every post"), endColumn: 21 };
    const [tokenFix] = await fixesFor({ ...finding, expectedToken: 'django-csrf-token-tag' }, form, 'app/templates/a.html');
    assert.deepEqual(tokenFix!.edits, [{ start: 20, end: 20, newText: '\n  {% csrf_token %}' }]);
    const [flaskFix] = await fixesFor({ ...finding, expectedToken: 'flask-wtf-hidden-input' }, form, 'app/templates/a.html');
    assert.deepEqual(flaskFix!.edits, [{ start: 20, end: 20, newText: '\n  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">' }]);
    assert.equal((await fixesFor(finding, form, 'app/templates/a.html')).length, 1, 'no expected token: only the suppression');
    assert.equal((await fixesFor({ ...finding, expectedToken: 'django-csrf-token-tag' }, form, 'app/jinja2/a.html')).length, 1);
  });
});
