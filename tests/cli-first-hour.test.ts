import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { findRule } from '../src/rules/index.js';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/paths.js';
import { writeProject } from './support/projects.js';

/** One medium finding (CSRF102) and one high (CSRF201), in two files. */
const PROJECT = {
  'pyproject.toml': '',
  'shop/views.py': `from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt  # Stripe signs its calls
def hook(request):
    return HttpResponse(request.user.orders.create().pk)


@csrf_exempt
def other_hook(request):
    return HttpResponse(request.user.orders.create().pk)
`,
  'blog/app.py': `from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
CSRFProtect(app)
app.config["WTF_CSRF_ENABLED"] = False
`,
};

describe('severity and exit codes', () => {
  test('concise and full show each finding\'s severity', () => {
    const directory = writeProject(PROJECT);
    const concise = runCli(['check', '--format', 'concise'], directory);
    const withoutMessage = (line: string) => line.split(': ').slice(0, 2).join(': ');
    assert.deepEqual(concise.stdout.split('\n').slice(0, 3).map(withoutMessage), [
      'blog/app.py:6:1: CSRF201 [flask-wtf-csrf-disabled] high',
      'shop/views.py:5:1: CSRF102 [django-csrf-exempt] medium',
      'shop/views.py:10:1: CSRF102 [django-csrf-exempt] medium',
    ]);
    const full = runCli(['check'], directory);
    assert.match(full.stdout, /^shop\/views\.py:5:1: CSRF102 \[django-csrf-exempt\] medium: /m);
  });

  test('--fail-on exits 1 only for findings at or above the level; every finding is still printed', () => {
    const directory = writeProject(PROJECT);
    const statusAt = (level: string) => runCli(['check', '--format', 'concise', '--fail-on', level], directory);
    assert.equal(statusAt('medium').status, 1);
    const high = statusAt('high');
    assert.equal(high.status, 1);
    const onlyMedium = writeProject({ 'pyproject.toml': '', 'shop/views.py': PROJECT['shop/views.py'] });
    const passing = runCli(['check', '--format', 'concise', '--fail-on', 'high'], onlyMedium);
    assert.equal(passing.status, 0);
    assert.equal(passing.stdout.split('\n').filter((line) => line.startsWith('shop/views.py')).length, 2);
    const wrong = runCli(['check', '--fail-on', 'critical'], onlyMedium);
    assert.equal(wrong.status, 2);
    assert.equal(wrong.stderr.split('\n')[0], "csrflint: error: unknown --fail-on 'critical' (expected low, medium or high)");
  });

  test('--quiet prints the findings alone; with nothing found, nothing at all', () => {
    const directory = writeProject(PROJECT);
    const quiet = runCli(['check', '-q', '--format', 'concise'], directory);
    assert.equal(quiet.status, 1);
    assert.equal(quiet.stdout.split('\n').filter((line) => line !== '').length, 3);
    assert.doesNotMatch(quiet.stdout, /Found|Checked/);
    const clean = runCli(['check', '--quiet'], writeProject({ 'pyproject.toml': '', 'app.py': 'x = 1\n' }));
    assert.deepEqual([clean.status, clean.stdout, clean.stderr], [0, '', '']);
  });

  test('--statistics prints a count per rule, most frequent first, then the summary', () => {
    const run = runCli(['check', '--statistics', '--format', 'concise'], writeProject(PROJECT));
    assert.equal(run.status, 1);
    const lines = run.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 2), ['2\tCSRF102\t[django-csrf-exempt]\tmedium', '1\tCSRF201\t[flask-wtf-csrf-disabled]\thigh']);
    assert.equal(lines[2], 'Found 3 findings (1 high, 2 medium).');
  });
});

describe('what the terminal is told', () => {
  test('an empty scan warns on stderr', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'docs/readme.txt': 'hello\n' });
    const run = runCli(['check', 'docs'], directory);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, 'csrflint: warning: No Python files found under the given path(s)\n');
  });

  test('a mistyped option gets a suggestion, in one line', () => {
    const directory = writeProject({ 'pyproject.toml': '' });
    for (const [typo, meant] of [['--formt', '--format'], ['--exlude', '--exclude'], ['--no-respect-gitignor', '--no-respect-gitignore'], ['--statistic', '--statistics']]) {
      const run = runCli(['check', typo!, 'x'], directory);
      assert.equal(run.status, 2);
      assert.equal(run.stderr.split('\n')[0], `csrflint: error: unknown option '${typo}'; did you mean '${meant}'?`);
    }
    const far = runCli(['check', '--zzzzzz'], directory);
    assert.equal(far.stderr.split('\n')[0], "csrflint: error: unknown option '--zzzzzz'");
  });

  test('-o with only --format NAME=FILE reports is a usage error, not silently ignored', () => {
    const directory = writeProject(PROJECT);
    const run = runCli(['check', '--format', 'sarif=out.sarif', '-o', 'out.txt'], directory);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^csrflint: error: -o out\.txt names no report: every --format has its own =FILE/);
    assert.ok(!existsSync(path.join(directory, 'out.sarif')));
    const together = runCli(['check', '--format', 'sarif=out.sarif', '--format', 'concise', '-o', 'out.txt'], directory);
    assert.equal(together.status, 1);
    assert.match(readFileSync(path.join(directory, 'out.txt'), 'utf8'), /^blog\/app\.py:6:1: CSRF201/);
  });

  test('when every report goes to a file, the terminal says where', () => {
    const directory = writeProject(PROJECT);
    const run = runCli(['check', '--format', 'sarif=csrflint.sarif', '--format', 'html=report/csrflint.html'], directory);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'csrflint: wrote sarif to csrflint.sarif\ncsrflint: wrote html to report/csrflint.html\n');
    assert.equal(runCli(['check', '-q', '--format', 'sarif=csrflint.sarif'], directory).stderr, '');
  });

  test('CSRF102 underlines the decorator alone, not the comment after it', () => {
    const run = runCli(['check', 'shop'], writeProject(PROJECT));
    assert.ok(run.stdout.includes('5 | @csrf_exempt  # Stripe signs its calls\n  | ^^^^^^^^^^^^ CSRF102\n'), run.stdout);
  });

  test('CSRF001 and CSRF002 point at the comment', () => {
    const views = 'from django.views.decorators.csrf import csrf_exempt\n\n\ndef view(request):  # csrflint: ignore[CSRF102]\n    return None\n';
    const run = runCli(['check', '--format', 'json', '--report-unused-suppressions', '--require-reason'], writeProject({ 'pyproject.toml': '', 'views.py': views }));
    const findings = (JSON.parse(run.stdout) as { findings: Array<{ code: string; line: number; column: number; endColumn: number }> }).findings;
    assert.deepEqual(findings.map(({ code, line, column, endColumn }) => [code, line, column, endColumn]), [
      ['CSRF001', 4, 21, 48],
      ['CSRF002', 4, 21, 48],
    ]);
  });
});

describe('--force-exclude', () => {
  const project = {
    'pyproject.toml': '[tool.csrflint]\nextend-exclude = ["legacy"]\n',
    'legacy/views.py': PROJECT['shop/views.py'],
    'shop/views.py': PROJECT['shop/views.py'],
  };

  test('excluded files named on the command line are checked without it, skipped with it', () => {
    const directory = writeProject(project);
    const named = ['check', '--format', 'concise', 'legacy/views.py', 'shop/views.py'];
    const files = (args: string[]) => new Set(runCli(args, directory).stdout.split('\n').filter((line) => line.includes('.py:')).map((line) => line.split(':')[0]));
    assert.deepEqual(files(named), new Set(['legacy/views.py', 'shop/views.py']));
    assert.deepEqual(files([...named, '--force-exclude']), new Set(['shop/views.py']));
    const onlyExcluded = runCli(['check', '--force-exclude', 'legacy/views.py'], directory);
    assert.equal(onlyExcluded.status, 0);
    assert.equal(onlyExcluded.stderr, 'csrflint: warning: No Python files found under the given path(s)\n');
  });

  test('force-exclude in the configuration, and default folders such as venv', () => {
    const directory = writeProject({ ...project, 'pyproject.toml': '[tool.csrflint]\nextend-exclude = ["legacy"]\nforce-exclude = true\n', 'venv/lib/views.py': PROJECT['shop/views.py'] });
    const run = runCli(['check', '--format', 'concise', 'legacy/views.py', 'venv/lib/views.py'], directory);
    assert.equal(run.status, 0);
  });

  test('the pre-commit hook passes --force-exclude', () => {
    const hooks = readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8');
    assert.match(hooks, /^ {2}entry: csrflint check --force-exclude\b/m);
  });
});

describe('cache and progress', () => {
  test('without a configuration, the cache is the project root\'s, not the folder the scan starts from', () => {
    const directory = writeProject({ 'setup.py': '', 'shop/views.py': PROJECT['shop/views.py'] });
    const cacheHome = writeProject({});
    runCli(['check', '.'], path.join(directory, 'shop'), { XDG_CACHE_HOME: cacheHome });
    runCli(['check', '.'], directory, { XDG_CACHE_HOME: cacheHome });
    assert.equal(readdirSync(path.join(cacheHome, 'csrflint', 'projects')).length, 1);
    assert.ok(!existsSync(path.join(directory, 'shop', '.csrflint_cache')));
    assert.ok(!existsSync(path.join(directory, '.csrflint_cache')));
  });

  test('the progress total is the number of files the summary says were checked', async () => {
    const directory = writeProject({ 'pyproject.toml': '', 'shop/views.py': PROJECT['shop/views.py'], 'shop/models.py': 'x = 1\n', 'shop/forms.py': 'y = 2\n', 'shop/templates/form.html': '<form method="post"></form>\n' });
    const updates: Array<[number, number]> = [];
    const result = await check({ paths: ['shop/views.py', 'shop/templates'], cwd: directory, onProgress: (done, total) => updates.push([done, total]) });
    assert.equal(result.stats.filesSeen, 2);
    assert.deepEqual(updates.at(-1), [2, 2]);
  });
});

describe('HTML report and npm package', () => {
  test('the HTML report gives each rule\'s documentation once, however many findings it has', () => {
    const directory = writeProject(PROJECT);
    const run = runCli(['check', '--format', 'html'], directory);
    const rule = findRule('django-csrf-exempt')!;
    const firstSentence = rule.doc.whyItMatters.split('\n')[0]!.slice(0, 40);
    assert.ok(firstSentence.length > 20 && !/[<>&`*_[]/.test(firstSentence), firstSentence);
    assert.equal(run.stdout.split(firstSentence).length - 1, 1);
    assert.equal(run.stdout.split('href="#rule-django-csrf-exempt"').length - 1, 3);
  });

  test('the package holds no source map without its source, and the schema the README links', () => {
    const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const files = (JSON.parse(pack.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
    assert.deepEqual(files.filter((file) => file.endsWith('.map')), []);
    assert.ok(files.includes('dist/src/cli/bin.js'));
    for (const linked of ['schemas/csrflint-result.schema.json', 'action.yml', 'docs/rules/django-csrf-exempt.md']) assert.ok(files.includes(linked), linked);
    assert.ok(!files.some((file) => file.startsWith('src/') || file.startsWith('tests/')));
  });
});
