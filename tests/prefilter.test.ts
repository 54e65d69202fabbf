import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { Prefilter } from '../src/prefilter.js';
import { RULES } from '../src/rules/index.js';
import { listFiles, readExpectations } from './support/expectations.js';
import { FIXTURES } from './support/paths.js';
import { writeProject } from './support/projects.js';

describe('prefilter', () => {
  test("every fixture file with a finding holds one of its rule's words", () => {
    for (const rule of RULES) {
      const prefilter = Prefilter.forRules([rule]);
      for (const file of listFiles(FIXTURES).filter((name) => name.endsWith('.py'))) {
        const text = readFileSync(file, 'utf8');
        if (!text.includes(`ruleid: ${rule.id}`) && !text.includes(`): ${rule.id}`)) continue;
        assert.ok(prefilter.matches(Buffer.from(text)), `${path.relative(FIXTURES, file)} does not pass the prefilter of ${rule.id}`);
      }
    }
  });

  test('every expected finding is in a file the prefilter passes', () => {
    const prefilter = Prefilter.forRules(RULES);
    for (const group of ['seed', ...RULES.map((rule) => rule.id)]) {
      const expectations = readExpectations(path.join(FIXTURES, group));
      for (const key of expectations.reported) {
        const file = key.split(' ')[1]!.replace(/:\d+$/, '');
        assert.ok(prefilter.matches(readFileSync(path.join(FIXTURES, group, file))), key);
      }
    }
  });

  test('a template rule run alone still reads the Python facts it names', async () => {
    const templateRule = RULES.find((rule) => rule.id === 'template-form-missing-csrf-token')!;
    const directory = writeProject({
      'pyproject.toml': '',
      'club/models.py': 'class Member:\n    name = ""\n',
      'club/forms.py': 'from wtforms import Form\n\n\nclass BaseForm(Form):\n    class Meta:\n        csrf_field_name = "nonce"\n',
      'club/templates/join.html': '<form method="post">{{ form.nonce() }}</form>\n',
    });
    const result = await check({ paths: ['.'], cwd: directory, rules: [templateRule] });
    assert.deepEqual(result.findings, []);
    assert.equal(result.stats.filesParsed, 1);
  });

  test('a file without any of the words is not parsed and yields nothing', async () => {
    const directory = writeProject({ 'models.py': 'class Order:\n    total = 0\n', 'views.py': 'def csrf_exempt_view(request):\n    return None\n' });
    const result = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(result.findings, []);
    assert.equal(result.stats.filesSeen, 2);
    assert.equal(result.stats.filesParsed, 1);
  });

  test('exact words are matched as Python spells them, not inside other names or in another case', () => {
    const prefilter = Prefilter.forRules(RULES);
    const vendoredJavaScriptNames = "GLOBALS = {u'MediaKeySession': 1, u'sessionStorage': 2, u'Session': 3, u'Router': 4, u'PermissionStatus': 5}\nvar.put(u'testing', 6)\n";
    assert.equal(prefilter.matches(Buffer.from(vendoredJavaScriptNames)), false);
    for (const spelling of ['from flask import session\n', 'import aiohttp_session\n', 'x = request.session\n', 'SESSION_TYPE = "redis"\n', 'classes = [SessionAuthentication]\n', '@bp.route("/")\n', 'app.router.add_post("/", post)\n', 'TESTING = True\n', 'app.testing = True\n', '@view_config(permission="edit")\n']) {
      assert.ok(prefilter.matches(Buffer.from(spelling)), spelling);
    }
  });

  test('a prefilter without words passes every file', () => {
    assert.ok(new Prefilter([]).matches(Buffer.from('x = 1\n')));
  });

  test('a module imported by a parsed one is parsed too, whatever it holds', async () => {
    const directory = writeProject({
      'pyproject.toml': '',
      'shop/__init__.py': '',
      'shop/base.py': 'from django.views import generic\n\n\nclass ShopView(generic.View):\n    pass\n',
      'shop/views.py': 'from django.views.decorators.csrf import csrf_exempt\n\nfrom shop.base import ShopView\n\n\nclass Orders(ShopView):\n    @csrf_exempt\n    def post(self, request):\n        pass\n',
    });
    const result = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(result.findings, [], 'csrf_exempt on post of a Django view does nothing; seeing that needs shop/base.py');
    assert.equal(result.stats.filesParsed, 2);
  });
});
