import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { OPTIONS } from '../src/cli/args.js';
import { RULES } from '../src/rules/index.js';
import { runCli } from './support/cli.js';
import { REPO_ROOT } from './support/paths.js';
import { writeProject } from './support/projects.js';

const VULNERABLE_VIEWS = `from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def hook(request):
    return HttpResponse(request.user.orders.create().pk)
`;

const SAFE_VIEWS = `from django.http import HttpResponse


def hook(request):
    return HttpResponse("ok")
`;

const FLASK_APP = `from flask import Flask, session

app = Flask(__name__)
app.config["WTF_CSRF_ENABLED"] = False


@app.route("/profile", methods=["POST"])
def update_profile():
    return session.get("user", "saved")
`;

const packageVersion = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('csrflint check', () => {
  test('exits 0 and says so when nothing is found', () => {
    const run = runCli(['check'], writeProject({ 'shop/views.py': SAFE_VIEWS }));
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^No CSRF findings\.\nChecked 1 file \(1 skipped, 0 errors\) in \d+\.\d\d s\.\n$/);
    assert.equal(run.stderr, '');
  });

  test('exits 1 on findings; concise format is path:line:col: CODE [rule-id] severity: message', () => {
    const run = runCli(['check', '--format', 'concise'], writeProject({ 'shop/views.py': VULNERABLE_VIEWS }));
    assert.equal(run.status, 1);
    const [first, summary] = run.stdout.split('\n');
    assert.equal(first, 'shop/views.py:5:1: CSRF102 [django-csrf-exempt] medium: `@csrf_exempt` turns off CSRF protection for view `hook`');
    assert.equal(summary, 'Found 1 finding (1 medium).');
  });

  test('full format shows the construct underlined, the rule and its fix', () => {
    const run = runCli(['check'], writeProject({ 'shop/views.py': VULNERABLE_VIEWS }));
    assert.equal(run.status, 1);
    const expectedFrame = ['  |', '4 |', '5 | @csrf_exempt', '  | ^^^^^^^^^^^^ CSRF102', '6 | def hook(request):', '  |'].join('\n');
    assert.ok(run.stdout.includes(expectedFrame), run.stdout);
    assert.ok(run.stdout.includes('  = fix: Remove csrf_exempt'));
  });

  test('json format follows the result contract, paths relative to the working directory', () => {
    const directory = writeProject({ 'proj/shop/views.py': VULNERABLE_VIEWS, 'proj/app.py': FLASK_APP });
    const run = runCli(['check', '--format', 'json', 'proj'], directory);
    assert.equal(run.status, 1);
    const result = JSON.parse(run.stdout) as { version: string; findings: Array<Record<string, unknown>> };
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schemas', 'csrflint-result.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    assert.ok(validate(result), JSON.stringify(validate.errors));
    assert.equal(result.version, packageVersion);
    assert.deepEqual(
      result.findings.map(({ rule, path: file, line, column, endLine, endColumn }) => ({ rule, path: file, line, column, endLine, endColumn })),
      [
        { rule: 'flask-csrf-protect-missing', path: 'proj/app.py', line: 3, column: 7, endLine: 3, endColumn: 22 },
        { rule: 'flask-wtf-csrf-disabled', path: 'proj/app.py', line: 4, column: 1, endLine: 4, endColumn: 39 },
        { rule: 'django-csrf-exempt', path: 'proj/shop/views.py', line: 5, column: 1, endLine: 5, endColumn: 13 },
      ],
    );
  });

  test('a file with a syntax error is listed in errors and the rest is still analysed', () => {
    const broken = `${VULNERABLE_VIEWS}\ndef broken(:\n    pass\n`;
    const run = runCli(['check', '--format', 'json'], writeProject({ 'views.py': broken }));
    assert.equal(run.status, 1);
    const result = JSON.parse(run.stdout) as { findings: Array<{ line: number }>; errors: Array<{ path: string; message: string }> };
    assert.deepEqual(result.findings.map((finding) => finding.line), [5]);
    assert.deepEqual(result.errors, [{ path: 'views.py', message: 'missing ) at 9:12; analysed the rest' }]);
  });

  test('text formats write file problems to stderr', () => {
    const run = runCli(['check', '--format', 'concise'], writeProject({ 'data.py': new Uint8Array([0x78, 0x00, 0x79]) }));
    assert.equal(run.status, 0);
    assert.equal(run.stderr, 'csrflint: data.py: binary file (contains NUL bytes); skipped\n');
  });

  test('--select and --ignore take rule ids and codes', () => {
    const directory = writeProject({ 'shop/views.py': VULNERABLE_VIEWS, 'app.py': FLASK_APP });
    const rulesOf = (args: string[]) => (JSON.parse(runCli(['check', '--format', 'json', ...args], directory).stdout) as { findings: Array<{ rule: string }> }).findings.map((finding) => finding.rule);
    assert.deepEqual(rulesOf(['--select', 'CSRF102']), ['django-csrf-exempt']);
    assert.deepEqual(rulesOf(['--select', 'flask-wtf-csrf-disabled,django-csrf-exempt']), ['flask-wtf-csrf-disabled', 'django-csrf-exempt']);
    assert.deepEqual(rulesOf(['--ignore', 'CSRF202', '--ignore', 'django-csrf-exempt']), ['flask-wtf-csrf-disabled']);
  });

  test('test code is hidden unless --include-tests', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'tests/test_views.py': VULNERABLE_VIEWS });
    const hidden = runCli(['check', '--format', 'concise'], directory);
    assert.equal(hidden.status, 0);
    assert.match(hidden.stdout, /^No CSRF findings\.\n1 finding in test code hidden \(--include-tests shows them\)\.\n/);
    const shown = runCli(['check', '--format', 'concise', '--include-tests'], directory);
    assert.equal(shown.status, 1);
    assert.match(shown.stdout, /^tests\/test_views\.py:5:1: CSRF102 /);
  });

  test('exemptions judged guarded are hidden unless --report-guarded-exemptions or report-guarded-exemptions = true, and carry their guard', () => {
    const views = ['from django.http import HttpResponse', 'from django.views.decorators.csrf import csrf_exempt', '', '', '@csrf_exempt', 'def create(request):', '    return HttpResponse(request.headers["X-Api-Key"] + request.POST["name"])', ''].join('\n');
    const directory = writeProject({ 'pyproject.toml': '', 'shop/views.py': views });
    const hidden = runCli(['check', '--format', 'concise'], directory);
    assert.equal(hidden.status, 0);
    assert.match(hidden.stdout, /^No CSRF findings\.\n1 exemption judged guarded not shown: --report-guarded-exemptions lists them\.\n/);
    const json = (args: string[], cwd = directory) => JSON.parse(runCli(['check', '--format', 'json', ...args], cwd).stdout) as { findings: Array<{ guard?: string }>; hiddenFindings: Array<{ guard?: string }>; stats: { guardedFindingsHidden: number } };
    const byDefault = json([]);
    assert.deepEqual([byDefault.findings.length, byDefault.hiddenFindings.map((finding) => finding.guard), byDefault.stats.guardedFindingsHidden], [0, ['header-token'], 1]);
    const asked = json(['--report-guarded-exemptions']);
    assert.deepEqual([asked.findings.map((finding) => finding.guard), asked.hiddenFindings.length, asked.stats.guardedFindingsHidden], [['header-token'], 0, 0]);
    const configured = writeProject({ 'pyproject.toml': '[tool.csrflint]\nreport-guarded-exemptions = true\n', 'shop/views.py': views });
    assert.equal(json([], configured).findings.length, 1);
    assert.equal(json(['--no-report-guarded-exemptions'], configured).findings.length, 0);
  });

  test('--exit-zero reports findings and exits 0', () => {
    const run = runCli(['check', '--exit-zero', '--format', 'concise'], writeProject({ 'shop/views.py': VULNERABLE_VIEWS }));
    assert.equal(run.status, 0);
    assert.match(run.stdout, /CSRF102/);
  });

  test('color: never when piped, always on request, off under NO_COLOR', () => {
    const directory = writeProject({ 'shop/views.py': VULNERABLE_VIEWS });
    const ansi = /\u001b\[/;
    assert.doesNotMatch(runCli(['check'], directory).stdout, ansi);
    assert.match(runCli(['check', '--color', 'always'], directory).stdout, ansi);
    assert.doesNotMatch(runCli(['check', '--color', 'auto'], directory, { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout, ansi);
    assert.match(runCli(['check', '--color', 'always'], directory, { NO_COLOR: '1' }).stdout, ansi);
  });

  test('usage errors exit 2 with one line on stderr', () => {
    const directory = writeProject({ 'app.py': SAFE_VIEWS });
    for (const args of [['check', '--format', 'xml'], ['check', '--bogus'], ['check', 'missing-dir'], ['check', '--select', 'no-such-rule'], ['frobnicate']]) {
      const run = runCli(args, directory);
      assert.equal(run.status, 2, args.join(' '));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^csrflint: error: .+\nRun 'csrflint --help' for usage\.\n$/);
    }
  });
});

describe('csrflint rules, rule, --version, --help', () => {
  test('rules lists every rule; --format json is machine-readable', () => {
    const directory = writeProject({});
    const table = runCli(['rules'], directory);
    assert.equal(table.status, 0);
    for (const rule of RULES) assert.match(table.stdout, new RegExp(`^${rule.code}\\s+${rule.id}\\s+${rule.severity}`, 'm'));
    const listed = JSON.parse(runCli(['rules', '--format', 'json'], directory).stdout) as Array<{ id: string }>;
    assert.deepEqual(listed.map((rule) => rule.id), RULES.map((rule) => rule.id));
  });

  test('rule prints the doc, by id or by code', () => {
    const directory = writeProject({});
    const byId = runCli(['rule', 'django-csrf-exempt'], directory);
    assert.equal(byId.status, 0);
    assert.match(byId.stdout, /^# django-csrf-exempt \(CSRF102\)\n/);
    for (const heading of ['What it finds', 'Why it matters', 'Example', 'Use instead', 'When it is fine', 'References']) {
      assert.ok(byId.stdout.includes(`## ${heading}\n`), heading);
    }
    assert.ok(byId.stdout.includes('CWE-352'));
    assert.equal(runCli(['rule', 'csrf102'], directory).stdout, byId.stdout);
    assert.equal(runCli(['rule', 'nope'], directory).status, 2);
  });

  test('--version and --help', () => {
    const directory = writeProject({});
    assert.equal(runCli(['--version'], directory).stdout, `csrflint ${packageVersion}\n`);
    const help = runCli(['--help'], directory);
    assert.equal(help.status, 0);
    for (const [name, spec] of Object.entries(OPTIONS)) {
      const spellings = spec.type === 'boolean' ? [`--${name}`, `--[no-]${name}`, `--no-${name}`] : [`--${name}`];
      assert.ok(spellings.some((spelling) => help.stdout.includes(spelling)), name);
    }
  });
});
