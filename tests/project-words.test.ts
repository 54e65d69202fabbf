import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ProjectWordMemo } from '../src/analysis/project-word-memo.js';
import { check } from '../src/engine.js';
import { RULES } from '../src/rules/index.js';
import { projectWordsOf, rulesThatCanFindIn } from '../src/rules/project-words.js';
import { writeCommittedProject, writeProject } from './support/projects.js';

const rule = (id: string) => RULES.find((candidate) => candidate.id === id)!;
const file = (path: string, text: string) => ({ path, bytes: Buffer.from(text, 'utf8') });
const ids = (rules: readonly { id: string }[]) => rules.map(({ id }) => id);
const appRules = ['flask-csrf-protect-missing', 'quart-csrf-protection-missing', 'pyramid-csrf-protection-missing', 'tornado-xsrf-disabled', 'starlette-csrf-protection-missing', 'aiohttp-csrf-protection-missing'].map(rule);

describe('rulesThatCanFindIn', () => {
  test('a rule about a library runs only in a project whose code spells one of its import names', () => {
    const django = [file('/p/shop/views.py', 'from django.http import JsonResponse\n# adapted from Starlette\nUNITS = [("qt", "Quart")]\n')];
    assert.deepEqual(ids(rulesThatCanFindIn(django, appRules)), []);
    assert.deepEqual(ids(rulesThatCanFindIn([...django, file('/p/shop/asgi.py', 'from starlette.applications import Starlette\n')], appRules)), ['starlette-csrf-protection-missing']);
    assert.deepEqual(ids(rulesThatCanFindIn([...django, file('/p/shop/api.py', 'import fastapi\n')], appRules)), ['starlette-csrf-protection-missing']);
  });

  test('Flask is found in any case, as the name `Flask` used without import means flask.Flask', () => {
    assert.deepEqual(ids(rulesThatCanFindIn([file('/p/excerpt.py', 'app = Flask(__name__)\n')], appRules)), ['flask-csrf-protect-missing']);
  });

  test('Tornado is found by its import or by an xsrf setting or method on any object', () => {
    assert.deepEqual(ids(rulesThatCanFindIn([file('/p/server.py', 'self.settings["xsrf_cookies"] = False\n')], appRules)), ['tornado-xsrf-disabled']);
  });

  test('a module named after the package is the package: its path counts', () => {
    assert.deepEqual(ids(rulesThatCanFindIn([file('/p/vendor/aiohttp/web.py', 'class Application:\n    pass\n')], appRules)), ['aiohttp-csrf-protection-missing']);
  });

  test('a file read unfaithfully (another encoding) may hold any word', () => {
    assert.deepEqual(ids(rulesThatCanFindIn([{ path: '/p/utf7.py', bytes: undefined }], appRules)), ids(appRules));
  });

  test('a rule with neither project words nor packages runs in every project; a package every project may name gives no words', () => {
    assert.equal(projectWordsOf(rule('django-csrf-exempt')), undefined);
    assert.deepEqual(ids(rulesThatCanFindIn([file('/p/a.py', 'x = 1\n')], [rule('django-csrf-exempt')])), ['django-csrf-exempt']);
    assert.equal(projectWordsOf({ ...rule('django-csrf-exempt'), packages: ['flask'] }), undefined);
  });
});

describe('the project words of rules that need no import of their library', () => {
  const wordRules = ['flask-form-csrf-disabled', 'flask-wtf-csrf-disabled', 'flask-seasurf-csrf-disabled', 'pyramid-csrf-disabled', 'drf-csrf-enforcement-disabled', 'drf-basic-authentication-first'].map(rule);

  test('each shape a finding needs holds a word of its rule', () => {
    const found = (text: string, at = '/p/app/config.py') => ids(rulesThatCanFindIn([file(at, text)], wordRules));
    assert.deepEqual(found('class Signup(FlaskForm):\n    pass\n'), ['flask-form-csrf-disabled']);
    assert.deepEqual(found('WTF_CSRF_ENABLED = False\n'), ['flask-wtf-csrf-disabled']);
    assert.deepEqual(found('app.config["CSRF_DISABLE"] = True\n'), ['flask-seasurf-csrf-disabled']);
    assert.deepEqual(found('csrf = SeaSurf(app)\nTESTING = True\n'), ['flask-seasurf-csrf-disabled']);
    assert.deepEqual(found('config.set_default_csrf_options(require_csrf=False)\n'), ['pyramid-csrf-disabled']);
    assert.deepEqual(found('kwargs["require_csrf"] = False\n'), ['pyramid-csrf-disabled']);
    assert.deepEqual(found('from rest_framework.authentication import SessionAuthentication\n'), ['drf-csrf-enforcement-disabled']);
    assert.deepEqual(found('REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["vendor.auth.Cookie"]}\n'), ['drf-csrf-enforcement-disabled', 'drf-basic-authentication-first']);
    assert.deepEqual(found('class Session:\n    pass\n', '/p/vendor/rest_framework/authentication.py'), ['drf-csrf-enforcement-disabled']);
  });

  test("a whole project's run skips the rules none of its files holds a word of, and parses the same files", async () => {
    const ran: string[] = [];
    const spied = wordRules.map((wordRule) => ({ ...wordRule, check: () => void ran.push(wordRule.id) }));
    const django = {
      'pyproject.toml': '[project]\nname = "shop"\nversion = "1.0.0"\n',
      'shop/settings.py': 'MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\n',
      'shop/views.py': 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef hook(request):\n    return None\n',
      // Passed over by the prefilter and imported by no module: no rule sees it, so its word does not count.
      'shop/menu.py': 'DRINKS = ["flask of tea"]\n',
    };
    const skipped = await check({ paths: ['.'], cwd: writeProject(django), rules: [...spied, rule('django-csrf-exempt')] });
    assert.deepEqual(ran, []);
    const ungated = spied.map(({ projectWords: _words, ...ruleRun }) => ruleRun);
    const all = await check({ paths: ['.'], cwd: writeProject(django), rules: [...ungated, rule('django-csrf-exempt')] });
    assert.equal(ran.length, ungated.length);
    assert.deepEqual(skipped.findings, all.findings);
    assert.equal(skipped.stats.filesParsed, all.stats.filesParsed);
    ran.length = 0;
    await check({ paths: ['.'], cwd: writeProject({ ...django, 'shop/forms.py': 'from flask_wtf import FlaskForm\n' }), rules: spied });
    assert.deepEqual(ran, ['flask-form-csrf-disabled']);
  });
});

describe('a file given alone in a project that names no library of the rules its words select', () => {
  const project = {
    'pyproject.toml': '[project]\nname = "shop"\nversion = "1.0.0"\n',
    'shop/__init__.py': '',
    'shop/settings.py': 'MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddleware"]\n',
    'shop/views.py': 'from django.http import JsonResponse\n\n\ndef profile(request):\n    return JsonResponse({"login": request.user.username})\n',
  };

  test('is answered without reading the project, as the whole scan reports nothing there', async () => {
    const directory = writeCommittedProject(project);
    const whole = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(whole.findings.filter((finding) => finding.path === 'shop/views.py'), []);
    const alone = await check({ paths: ['shop/views.py'], cwd: directory });
    assert.deepEqual(alone.findings, []);
    assert.deepEqual(alone.errors, []);
    assert.deepEqual({ parsed: alone.stats.filesParsed, cached: alone.stats.filesCached }, { parsed: 0, cached: 0 });
  });

  test('is read with its project when another file names such a library', async () => {
    const directory = writeProject({ ...project, 'scripts/admin.py': 'from flask import Flask, session\n\nadmin = Flask("admin")\n\n\n@admin.post("/purge")\ndef purge():\n    return session.pop("user", "purged")\n' });
    const alone = await check({ paths: ['shop/views.py'], cwd: directory });
    // No commit to compare with: what the project misses is reported wherever it lands.
    assert.deepEqual(alone.findings.map((finding) => `${finding.rule} ${finding.path}:${finding.line}`), ['flask-csrf-protect-missing scripts/admin.py:3']);
  });

  test('still reports a syntax error in the file', async () => {
    const broken = 'from django.http import JsonResponse\n\n\ndef profile(request:\n    return JsonResponse({"login": request.user.username})\n';
    const directory = writeCommittedProject({ ...project, 'shop/views.py': broken });
    const alone = await check({ paths: ['shop/views.py'], cwd: directory });
    assert.deepEqual(alone.errors.map((error) => error.path), ['shop/views.py']);
  });
});

describe('what the project-word search found in each file, kept between runs', () => {
  test('a listener is told every rule a file holds a word of; a file searched before counts its rules unread', () => {
    const told = new Map<string, string[]>();
    const files = [file('/p/a.py', 'import flask\n'), file('/p/b.py', 'import flask, tornado\n')];
    assert.deepEqual(ids(rulesThatCanFindIn(files, appRules, (path, found) => told.set(path, ids(found)))), ['flask-csrf-protect-missing', 'tornado-xsrf-disabled']);
    assert.deepEqual(Object.fromEntries(told), { '/p/a.py': ['flask-csrf-protect-missing'], '/p/b.py': ['flask-csrf-protect-missing', 'tornado-xsrf-disabled'] });
    assert.deepEqual(ids(rulesThatCanFindIn([{ path: '/p/b.py', rulesFound: ['tornado-xsrf-disabled'] }, file('/p/c.py', 'x = 1\n')], appRules)), ['tornado-xsrf-disabled']);
  });

  test('an entry holds while the file keeps its identity, and only for the same search', () => {
    const directory = writeProject({ 'pyproject.toml': '[project]\nname = "shop"\n', 'shop/app.py': 'import flask\n' });
    const cache = path.join(directory, '.cache');
    const source = path.join(directory, 'shop/app.py');
    const settled = BigInt(Date.now() + 3_600_000) * 1_000_000n;
    const first = new ProjectWordMemo(cache, 'search', settled);
    assert.equal(first.rulesFoundIn(source), undefined);
    first.remember(source, ['flask-csrf-protect-missing']);
    first.save();
    assert.deepEqual(new ProjectWordMemo(cache, 'search', settled).rulesFoundIn(source), ['flask-csrf-protect-missing']);
    assert.equal(new ProjectWordMemo(cache, 'another search', settled).rulesFoundIn(source), undefined);
    // Changed in the last seconds: searched again.
    assert.equal(new ProjectWordMemo(cache, 'search').rulesFoundIn(source), undefined);
    writeFileSync(source, 'import flask, tornado\n');
    assert.equal(new ProjectWordMemo(cache, 'search', settled).rulesFoundIn(source), undefined);
  });
});
