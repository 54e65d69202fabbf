import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { contextOfPath, words } from '../src/project/context.js';
import { writeProject } from './support/projects.js';

describe('context of a file path', () => {
  const cases: Array<[string, string]> = [
    ['tests/test_views.py', 'test'],
    ['shop/tests/helpers.py', 'test'],
    ['shop/test/helpers.py', 'test'],
    ['test_app.py', 'test'],
    ['app_test.py', 'test'],
    ['conftest.py', 'test'],
    ['shop/tests.py', 'test'],
    ['kotti/testing.py', 'test'],
    ['cms/test_utils/project/sampleapp/views.py', 'test'],
    ['wiki/testproject/settings.py', 'test'],
    ['demo/test_app/views.py', 'test'],
    ['bank/test_results/views.py', 'production'],
    ['qa/test_runs/api.py', 'production'],
    ['shop/testing_tools.py', 'production'],
    ['shop/testimonials/views.py', 'production'],
    ['contest/views.py', 'production'],
    ['attestation.py', 'production'],
    ['latest_settings.py', 'production'],
    ['config/settings/test.py', 'test'],
    ['mysite/settings/ci.py', 'test'],
    ['mysite/settings_testing.py', 'test'],
    ['config/settings/local.py', 'development'],
    ['mysite/settings/dev.py', 'development'],
    ['mysite/local_settings.py', 'development'],
    ['app/config/development.py', 'development'],
    ['config/settings/production.py', 'production'],
    ['shop/local.py', 'production'],
    ['shop/debug.py', 'production'],
    ['examples/tutorial/app.py', 'development'],
    ['docs/snippets/app.py', 'development'],
    ['shop/docs.py', 'production'],
    ['maint/benchmark/benchmark.py', 'development'],
    ['benchmarks/bench_views.py', 'development'],
    ['bench/run.py', 'development'],
    ['scripts/serve.py', 'production'],
    ['tools/run_server.py', 'production'],
    ['shop/benchmark.py', 'production'],
    ['profiles/community/github_mock/flaskapp.py', 'test'],
    ['services/mocks/payments.py', 'test'],
    ['shop/mockups/views.py', 'production'],
  ];
  for (const [file, context] of cases) {
    test(`${file} is ${context}`, () => assert.equal(contextOfPath(file), context));
  }

  test('identifier words split on case and punctuation', () => {
    assert.deepEqual(words('TestingConfig'), ['testing', 'config']);
    assert.deepEqual(words('HTTPTestCase'), ['http', 'test', 'case']);
    assert.deepEqual(words('settings_dev'), ['settings', 'dev']);
    assert.deepEqual(words('Contest'), ['contest']);
  });
});

describe('context of a finding', () => {
  const exempt = (name: string, indent = '') => `${indent}@csrf_exempt\n${indent}def ${name}(request):\n${indent}    pass\n`;

  test('test cases, test functions and classes named for tests or development', async () => {
    const directory = writeProject({
      'shop/__init__.py': '',
      'shop/base.py': 'from django.test import TestCase\n\n\nclass ShopTestCase(TestCase):\n    pass\n',
      'shop/views.py': [
        'from django.views.decorators.csrf import csrf_exempt',
        'from .base import ShopTestCase',
        '',
        exempt('live'),
        'class CheckoutChecks(ShopTestCase):',
        exempt('inside_test_case', '    '),
        'def test_exempt_views():',
        exempt('inside_test_function', '    '),
        'class DevelopmentTools:',
        exempt('inside_development_class', '    '),
      ].join('\n'),
    });
    const result = await check({ paths: ['.'], cwd: directory, includeTests: true });
    assert.deepEqual(
      result.findings.map((finding) => [finding.line, finding.context]),
      [
        [4, 'production'],
        [9, 'test'],
        [14, 'test'],
        [19, 'development'],
      ],
    );
  });

  test('a nested project root does not hide the tests/ or examples/ folder above it', async () => {
    const settings = 'INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
    const directory = writeProject({
      'setup.py': '',
      'pkg/test/manage.py': '',
      'pkg/test/settings.py': settings,
      'examples/tutorial/pyproject.toml': '',
      'examples/tutorial/site/settings.py': settings,
    });
    const result = await check({ paths: ['.'], cwd: directory, includeTests: true });
    assert.deepEqual(
      result.findings.map((finding) => [finding.path, finding.context]),
      [
        ['examples/tutorial/site/settings.py', 'development'],
        ['pkg/test/settings.py', 'test'],
      ],
    );
  });

  test('test findings are hidden by default and listed in hiddenFindings', async () => {
    const directory = writeProject({
      'app.py': `from django.views.decorators.csrf import csrf_exempt\n\n${exempt('live')}`,
      'tests/test_app.py': `from django.views.decorators.csrf import csrf_exempt\n\n${exempt('fake')}`,
    });
    const hidden = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(hidden.findings.map((finding) => finding.path), ['app.py']);
    assert.deepEqual(hidden.hiddenFindings.map((finding) => [finding.path, finding.context]), [['tests/test_app.py', 'test']]);
    assert.equal(hidden.stats.testFindingsHidden, 1);
    const shown = await check({ paths: ['.'], cwd: directory, includeTests: true });
    assert.deepEqual(shown.findings.map((finding) => finding.path), ['app.py', 'tests/test_app.py']);
    assert.deepEqual(shown.hiddenFindings, []);
  });
});
