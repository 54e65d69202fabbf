import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { findRule } from '../src/rules/index.js';
import { writeCommittedProject, writeProject } from './support/projects.js';

const PROJECT = {
  'pyproject.toml': '[project]\nname = "shop"\nversion = "1.0.0"\n',
  'shop/__init__.py': [
    'from flask import Flask',
    '',
    'from shop.extensions import csrf',
    'from shop.views import bp',
    '',
    '',
    'def create_app():',
    '    app = Flask(__name__)',
    '    csrf.init_app(app)',
    '    app.register_blueprint(bp)',
    '    return app',
    '',
  ].join('\n'),
  'shop/extensions.py': 'from flask_wtf.csrf import CSRFProtect\n\ncsrf = CSRFProtect()\n',
  'shop/views.py': [
    'from flask import Blueprint',
    '',
    'from shop.extensions import csrf',
    '',
    'bp = Blueprint("shop", __name__)',
    '',
    '',
    '@bp.route("/hook", methods=["POST"])',
    '@csrf.exempt',
    'def hook():',
    '    return "ok"',
    '',
  ].join('\n'),
  'shop/broken.py': 'from flask import abort\n\ndef oops(:\n',
  'scripts/admin.py': 'from flask import Flask, session\n\nadmin = Flask("admin")\n\n\n@admin.post("/purge")\ndef purge():\n    return session.pop("user", "purged")\n',
};

const committed = writeCommittedProject;

describe('partial scans keep whole-project facts', () => {
  test('a file given alone is judged with the rest of its project; elsewhere, only a protection missing from the project is reported', async () => {
    const directory = writeProject(PROJECT);
    const factory = await check({ paths: ['shop/__init__.py'], cwd: directory });
    assert.deepEqual(factory.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), ['flask-csrf-protect-missing scripts/admin.py:3']);
    assert.deepEqual(factory.errors, []);
    assert.equal(factory.stats.filesSeen, 1);

    const views = await check({ paths: ['shop/views.py'], cwd: directory });
    // A change to any file can remove the project's protection, so what the project misses is reported wherever it lands.
    assert.deepEqual(views.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), ['flask-csrf-protect-missing scripts/admin.py:3', 'flask-csrf-exempt shop/views.py:9']);
  });

  test('a file given alone that holds none of the rules\' words is answered without reading its project', async () => {
    const directory = writeProject({ ...PROJECT, 'shop/money.py': 'def cents(amount):\n    return round(amount * 100)\n' });
    const result = await check({ paths: ['shop/money.py'], cwd: directory });
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.errors, []);
    assert.deepEqual({ ...result.stats, durationMs: 0 }, { filesSeen: 1, filesParsed: 0, filesCached: 0, filesSkipped: 1, durationMs: 0, testFindingsHidden: 0, guardedFindingsHidden: 0, pathsExcluded: 0, pathsIgnored: 0 });
  });

  test('a file given alone is judged by the rules whose words it holds, which read only the files they need', async () => {
    const settings = { ...PROJECT, 'shop/settings.py': 'class Production:\n    WTF_CSRF_TIME_LIMIT = 3600\n' };
    const directory = committed({ ...settings, 'shop/loading.py': 'def configure(app, settings):\n    app.config.from_object(settings)\n' });
    const result = await check({ paths: ['shop/loading.py'], cwd: directory });
    assert.deepEqual(result.findings, []);
    // `from_object`, a word of flask-wtf-csrf-disabled alone: the rule reads the named file and the one module that spells a key.
    assert.deepEqual({ parsed: result.stats.filesParsed, cached: result.stats.filesCached }, { parsed: 2, cached: 0 });

    // Where no file of the project spells a `WTF_CSRF` key, that rule can find nothing: the file is not even parsed.
    const keyless = committed({ ...PROJECT, 'shop/loading.py': 'def configure(app, settings):\n    app.config.from_object(settings)\n' });
    const skipped = await check({ paths: ['shop/loading.py'], cwd: keyless });
    assert.deepEqual(skipped.findings, []);
    assert.deepEqual({ parsed: skipped.stats.filesParsed, cached: skipped.stats.filesCached }, { parsed: 0, cached: 0 });
  });

  test('a file given alone that holds some rules\' words reports what the whole project reports in it', async () => {
    const directory = committed({ ...PROJECT, 'shop/loading.py': 'class Insecure:\n    WTF_CSRF_ENABLED = False\n\n\ndef configure(app):\n    app.config.from_object(Insecure)\n' });
    const alone = await check({ paths: ['shop/loading.py'], cwd: directory });
    const whole = await check({ paths: ['.'], cwd: directory });
    const inLoading = whole.findings.filter((finding) => finding.path === 'shop/loading.py');
    // Unchanged since the commit, it causes nothing elsewhere.
    assert.deepEqual(alone.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), [...inLoading.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`)]);
    assert.deepEqual(inLoading.map((finding) => `${finding.rule} ${finding.line}`), ['flask-wtf-csrf-disabled 2']);
  });

  test('a file that holds only words a rule reads facts from, not words it reports at, is answered without reading its project', async () => {
    const api = [
      'from rest_framework.views import APIView',
      '',
      'from shop.auth import CookieAuthentication',
      '',
      '',
      'class Orders(APIView):',
      '    authentication_classes = [CookieAuthentication]',
      '',
    ].join('\n');
    const auth = [
      'from rest_framework.authentication import BaseAuthentication',
      '',
      '',
      'class CookieAuthentication(BaseAuthentication):',
      '    def authenticate(self, request):',
      '        return (request._request.user, None)',
      '',
    ].join('\n');
    const directory = committed({ 'pyproject.toml': PROJECT['pyproject.toml'], 'shop/__init__.py': '', 'shop/api.py': api, 'shop/auth.py': auth });
    const rules = [findRule('drf-csrf-enforcement-disabled')!];
    const whole = await check({ paths: ['.'], cwd: directory, rules });
    assert.deepEqual(whole.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), ['drf-csrf-enforcement-disabled shop/auth.py:5']);
    const alone = await check({ paths: ['shop/api.py'], cwd: directory, rules });
    assert.deepEqual(alone.findings, []);
    assert.deepEqual({ parsed: alone.stats.filesParsed, cached: alone.stats.filesCached }, { parsed: 0, cached: 0 });
    const reporting = await check({ paths: ['shop/auth.py'], cwd: directory, rules });
    assert.deepEqual(reporting.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), ['drf-csrf-enforcement-disabled shop/auth.py:5']);
  });

  test('the same project scanned whole reports every file', async () => {
    const directory = writeProject(PROJECT);
    const whole = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(whole.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), [
      'flask-csrf-protect-missing scripts/admin.py:3',
      'flask-csrf-exempt shop/views.py:9',
    ]);
    assert.deepEqual(whole.errors.map((error) => error.path), ['shop/broken.py']);
  });

  test('a folder given from inside a project still reads the project around it', async () => {
    const directory = writeProject(PROJECT);
    const folder = await check({ paths: ['shop'], cwd: directory });
    assert.deepEqual(folder.findings.map((finding) => finding.path), ['scripts/admin.py', 'shop/views.py']);
    assert.equal(folder.stats.filesSeen, 4);
    assert.equal(folder.stats.filesParsed, 5);
  });
});
