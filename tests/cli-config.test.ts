import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

const EXEMPT_VIEWS = `from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def hook(request):
    return HttpResponse(request.user.orders.create().pk)
`;

const FLASK_APP = `from flask import Flask

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False
`;

interface JsonFinding {
  rule: string;
  path: string;
  line: number;
  suppressed: boolean;
  suppression?: { kind: string; reason?: string };
}

function findingsOf(args: string[], cwd: string): JsonFinding[] {
  const run = runCli(['check', '--format', 'json', ...args], cwd);
  assert.ok(run.status === 0 || run.status === 1, run.stderr);
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

const shown = (findings: JsonFinding[]) => findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.path}:${finding.line} ${finding.rule}`);

describe('configuration', () => {
  test('[tool.csrflint] in pyproject.toml selects rules; the command line overrides it', () => {
    const directory = writeProject({ 'pyproject.toml': '[tool.csrflint]\nignore = ["CSRF102"]\n', 'shop/views.py': EXEMPT_VIEWS, 'app.py': FLASK_APP });
    assert.deepEqual(shown(findingsOf([], directory)), ['app.py:4 flask-wtf-csrf-disabled']);
    assert.deepEqual(shown(findingsOf(['--select', 'django-csrf-exempt,CSRF201'], directory)), ['app.py:4 flask-wtf-csrf-disabled']);
    assert.deepEqual(shown(findingsOf(['--isolated'], directory)), ['app.py:4 flask-wtf-csrf-disabled', 'shop/views.py:5 django-csrf-exempt']);
  });

  test('the nearest configuration to the scanned path wins; --config names another', () => {
    const directory = writeProject({
      'csrflint.toml': 'ignore = ["flask-wtf-csrf-disabled"]\n',
      'service/.csrflint.toml': 'select = ["flask-wtf-csrf-disabled"]\n',
      'service/app.py': FLASK_APP,
      'service/views.py': EXEMPT_VIEWS,
      'strict.toml': 'select = ["django-csrf-exempt"]\n',
    });
    assert.deepEqual(shown(findingsOf(['service'], directory)), ['service/app.py:4 flask-wtf-csrf-disabled']);
    assert.deepEqual(shown(findingsOf(['--config', 'strict.toml', 'service'], directory)), ['service/views.py:5 django-csrf-exempt']);
  });

  test('exclude globs in the configuration are relative to its folder; on the command line, to the working directory', () => {
    const directory = writeProject({ 'proj/pyproject.toml': '[tool.csrflint]\nextend-exclude = ["legacy/**"]\n', 'proj/legacy/views.py': EXEMPT_VIEWS, 'proj/shop/views.py': EXEMPT_VIEWS, 'proj/app.py': FLASK_APP });
    assert.deepEqual(shown(findingsOf(['proj'], directory)), ['proj/app.py:4 flask-wtf-csrf-disabled', 'proj/shop/views.py:5 django-csrf-exempt']);
    assert.deepEqual(shown(findingsOf(['proj', '--extend-exclude', 'proj/shop/**'], directory)), ['proj/app.py:4 flask-wtf-csrf-disabled']);
    assert.deepEqual(shown(findingsOf(['proj', '--per-file-ignores', 'proj/app.py:CSRF201'], directory)), ['proj/shop/views.py:5 django-csrf-exempt']);
  });

  test('an unknown key, a wrong type or broken TOML is one line naming the file and the key, exit 2', () => {
    const cases: Array<[string, RegExp]> = [
      ['[tool.csrflint]\nselect = ["CSRF102"]\nexclud = ["x"]\n', /pyproject\.toml: unknown key 'exclud' in \[tool\.csrflint\] /],
      ['[tool.csrflint]\ninclude-tests = "yes"\n', /pyproject\.toml: \[tool\.csrflint\] 'include-tests' must be true or false/],
      ['[tool.csrflint]\nselect = ["CSRF999"]\n', /pyproject\.toml: unknown rule 'CSRF999'/],
      ['[tool.csrflint\n', /pyproject\.toml:1:15: not valid TOML/],
    ];
    for (const [pyproject, message] of cases) {
      const run = runCli(['check'], writeProject({ 'pyproject.toml': pyproject, 'app.py': FLASK_APP }));
      assert.equal(run.status, 2, pyproject);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.equal(run.stderr.split('\n').length, 3, run.stderr);
    }
  });

  test("keys named like Object.prototype's members are unknown keys too, and an array of tables is no table", () => {
    const cases: Array<[string, RegExp]> = [
      ['[tool.csrflint]\nconstructor = 1\n', /pyproject\.toml: unknown key 'constructor' in \[tool\.csrflint\] /],
      ['[tool.csrflint]\ntoString = 1\n', /pyproject\.toml: unknown key 'toString' in \[tool\.csrflint\] /],
      ['[tool.csrflint]\n"__proto__" = { select = ["CSRF001"] }\n', /pyproject\.toml: unknown key '__proto__' in \[tool\.csrflint\] /],
      ['[[tool.csrflint]]\nselect = ["CSRF201"]\n', /pyproject\.toml: \[tool\.csrflint\] must be a table, not an array of tables/],
    ];
    for (const [pyproject, message] of cases) {
      const run = runCli(['check'], writeProject({ 'pyproject.toml': pyproject, 'app.py': FLASK_APP }));
      assert.equal(run.status, 2, pyproject);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
    }
    const known = runCli(['check', '--format', 'concise'], writeProject({ 'pyproject.toml': '[tool.csrflint]\nselect = ["CSRF201"]\n', 'app.py': FLASK_APP }));
    assert.equal(known.status, 1, known.stderr);
    assert.match(known.stdout, /^app\.py:4:/);
  });
});

describe('suppressions', () => {
  const SUPPRESSED = `from django.views.decorators.csrf import csrf_exempt


# csrflint: ignore[django-csrf-exempt] -- the sender signs each request with HMAC
@csrf_exempt
def signed_hook(request):
    return None


@csrf_exempt  # noqa: CSRF102
def unexplained_hook(request):
    return None


@csrf_exempt
def plain_hook(request):
    return request.user.orders.create()
`;

  test('a suppression with a reason silences exactly its finding, kept in JSON with the reason', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'hooks.py': SUPPRESSED });
    const findings = findingsOf([], directory);
    assert.deepEqual(
      findings.map(({ line, suppressed, suppression }) => ({ line, suppressed, suppression })),
      [
        { line: 5, suppressed: true, suppression: { kind: 'comment', reason: 'the sender signs each request with HMAC' } },
        { line: 10, suppressed: true, suppression: { kind: 'noqa' } },
        { line: 15, suppressed: false, suppression: undefined },
      ],
    );
    const concise = runCli(['check', '--format', 'concise'], directory);
    assert.deepEqual(concise.stdout.split('\n').filter((line) => line.startsWith('hooks.py')), ['hooks.py:15:1: CSRF102 [django-csrf-exempt] medium: `@csrf_exempt` turns off CSRF protection for view `plain_hook`']);
    assert.match(concise.stdout, /\n2 findings suppressed \(--show-suppressed shows them\)\.\n/);
    const all = runCli(['check', '--format', 'concise', '--show-suppressed'], directory);
    assert.match(all.stdout, /^hooks\.py:5:1: CSRF102 .* \(suppressed: the sender signs each request with HMAC\)$/m);
  });

  test('require-reason reports the suppression without a reason', () => {
    const directory = writeProject({ 'pyproject.toml': '[tool.csrflint]\nrequire-reason = true\n', 'hooks.py': SUPPRESSED.replace('# noqa: CSRF102', '# csrflint: ignore[CSRF102]') });
    assert.deepEqual(shown(findingsOf([], directory)), ['hooks.py:10 suppression-without-reason', 'hooks.py:15 django-csrf-exempt']);
    assert.deepEqual(shown(findingsOf(['--no-require-reason'], directory)), ['hooks.py:15 django-csrf-exempt']);
  });

  test('--report-unused-suppressions reports a comment that silences nothing', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'hooks.py': `${SUPPRESSED}\n\ndef safe(request):  # csrflint: ignore[CSRF102] -- left over\n    return None\n` });
    assert.deepEqual(shown(findingsOf(['--report-unused-suppressions'], directory)), ['hooks.py:15 django-csrf-exempt', 'hooks.py:20 unused-suppression']);
  });
});

describe('baseline', () => {
  test('a written baseline hides its findings even after lines move; new findings still show', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'shop/views.py': EXEMPT_VIEWS });
    const written = runCli(['check', '--write-baseline', 'csrflint-baseline.json'], directory);
    assert.equal(written.status, 0);
    assert.equal(written.stdout, '');
    assert.match(written.stderr, /^csrflint: recorded 1 finding in csrflint-baseline\.json;/);
    const baseline = JSON.parse(readFileSync(path.join(directory, 'csrflint-baseline.json'), 'utf8')) as { findings: Array<{ path: string; rule: string }> };
    assert.deepEqual(baseline.findings.map(({ path: file, rule }) => [file, rule]), [['shop/views.py', 'django-csrf-exempt']]);

    const moved = `"""Views."""\n\n\n${EXEMPT_VIEWS}\n\n@csrf_exempt\ndef second_hook(request):\n    return HttpResponse("ok")\n`;
    writeFileSync(path.join(directory, 'shop', 'views.py'), moved);
    const findings = findingsOf(['--baseline', 'csrflint-baseline.json'], directory);
    assert.deepEqual(findings.map(({ line, suppressed, suppression }) => ({ line, suppressed, kind: suppression?.kind })), [
      { line: 8, suppressed: true, kind: 'baseline' },
      { line: 13, suppressed: false, kind: undefined },
    ]);
    const run = runCli(['check', '--format', 'concise', '--baseline', 'csrflint-baseline.json'], directory);
    assert.equal(run.status, 1);
    assert.deepEqual(run.stdout.split('\n').filter((line) => line.startsWith('shop/')).map((line) => line.split(':')[1]), ['13']);
  });

  test('a baseline named in the configuration is read relative to it, from any working directory', () => {
    const directory = writeProject({ 'proj/pyproject.toml': '[tool.csrflint]\nbaseline = "csrflint-baseline.json"\n', 'proj/shop/views.py': EXEMPT_VIEWS });
    assert.equal(runCli(['check', '--write-baseline', 'csrflint-baseline.json'], path.join(directory, 'proj')).status, 0);
    assert.equal(runCli(['check', 'proj'], directory).status, 0);
    assert.equal(runCli(['check'], path.join(directory, 'proj', 'shop')).status, 0);
  });

  test('a missing or foreign baseline file is a clear error, exit 2', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'views.py': EXEMPT_VIEWS, 'other.json': '{"tool": "eslint"}' });
    for (const file of ['missing.json', 'other.json']) {
      const run = runCli(['check', '--baseline', file], directory);
      assert.equal(run.status, 2);
      assert.match(run.stderr, new RegExp(`^csrflint: error: .*${file.replace('.', '\\.')}: not a csrflint baseline`));
    }
  });
});

describe('--diff-base', () => {
  function git(args: string[], cwd: string): void {
    const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  }

  test('reports only files changed since the ref, or new, while the rest of the project is still read', () => {
    const directory = writeProject({
      'pyproject.toml': '',
      'app/__init__.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
      'app/old.py': EXEMPT_VIEWS,
      'app/changed.py': EXEMPT_VIEWS,
      'app/config.py': 'from app import app\n\napp.config["WTF_CSRF_ENABLED"] = True\n',
    });
    git(['init', '-q', '-b', 'main'], directory);
    git(['add', '-A'], directory);
    git(['commit', '-qm', 'initial'], directory);
    writeFileSync(path.join(directory, 'app', 'changed.py'), `${EXEMPT_VIEWS}\n\n@csrf_exempt\ndef other(request):\n    return None\n`);
    writeFileSync(path.join(directory, 'app', 'config.py'), 'from app import app\n\napp.config["WTF_CSRF_ENABLED"] = False\n');
    writeFileSync(path.join(directory, 'app', 'new.py'), EXEMPT_VIEWS);
    assert.deepEqual(shown(findingsOf(['--diff-base', 'main'], directory)), [
      'app/changed.py:5 django-csrf-exempt',
      'app/changed.py:10 django-csrf-exempt',
      'app/config.py:3 flask-wtf-csrf-disabled',
      'app/new.py:5 django-csrf-exempt',
    ]);
  });

  test('an unknown ref or a folder outside git is a clear error, exit 2', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'views.py': EXEMPT_VIEWS });
    const outside = runCli(['check', '--diff-base', 'main'], directory);
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /^csrflint: error: --diff-base: git rev-parse failed: /);
    git(['init', '-q'], directory);
    const unknown = runCli(['check', '--diff-base', 'no-such-branch'], directory);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^csrflint: error: --diff-base: git diff failed: /);
  });
});
