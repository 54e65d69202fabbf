import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gitExecutable } from '../src/cli/changed-files.js';
import { check, type CheckOptions } from '../src/engine.js';
import { blankJinjaTags } from '../src/python/jinja.js';
import { words } from '../src/project/context.js';
import { parseDirective } from '../src/suppress/directives.js';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

/**
 * Issue 11: whoever writes the scanned repository must not be able to hide a finding from csrflint
 * or turn csrflint against the machine that runs it. Each attack sits beside a real finding that
 * must still be reported.
 */
// The cache's signing key lives in the user's cache folder: a fresh one for these tests.
process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'csrflint-user-cache-'));

const IMPORT = 'from django.views.decorators.csrf import csrf_exempt\n';
const EXEMPT_VIEW = `${IMPORT}\n@csrf_exempt\ndef hook(request):\n    pass\n`;

async function findingsOf(directory: string, options: Partial<CheckOptions> = {}) {
  const result = await check({ paths: ['.'], cwd: directory, respectGitignore: false, ...options });
  return { findings: result.findings.filter((finding) => !finding.suppressed).map((finding) => `${finding.path}:${finding.line}`), errors: result.errors };
}

/** UTF-7 as Python writes a whole line: base64 of its UTF-16 code units between `+` and `-`. */
function utf7Line(line: string): string {
  if (line === '') return '';
  const units = Buffer.from(line, 'utf16le').swap16();
  return `+${units.toString('base64').replace(/=+$/, '')}-`;
}

describe('the source is read as Python reads it', () => {
  test('a lone carriage return ends a line, as it does for Python: the decorator after a comment is found', async () => {
    const directory = writeProject({ 'views.py': `${IMPORT}\n# webhook\r@csrf_exempt\ndef hook(request):\n    pass\n`, 'plain.py': EXEMPT_VIEW });
    assert.deepEqual((await findingsOf(directory)).findings, ['plain.py:3', 'views.py:4']);
  });

  test('a coding cookie on line 2 after a long comment on line 1 is honoured (UTF-7)', async () => {
    const source = `#${'-'.repeat(600)}\n# -*- coding: utf-7 -*-\n${IMPORT}\n+AEA-csrf_exempt\ndef hook(request):\n    pass\n`;
    const directory = writeProject({ 'views.py': source, 'plain.py': EXEMPT_VIEW });
    assert.deepEqual(await findingsOf(directory), { findings: ['plain.py:3', 'views.py:5'], errors: [] });
  });

  test('a UTF-7 file whose bytes hold no word the prefilter looks for is still parsed', async () => {
    const lines = ['from django.views.decorators.csrf import csrf_exempt', '', '@csrf_exempt', 'def hook(request):', '    pass'];
    const directory = writeProject({ 'views.py': `# coding: utf-7\n${lines.map(utf7Line).join('\n')}\n` });
    assert.deepEqual(await findingsOf(directory), { findings: ['views.py:4'], errors: [] });
  });

  test('a UTF-7 file named alone, as pre-commit names it, is parsed and not answered from its bytes', async () => {
    const lines = ['from django.views.decorators.csrf import csrf_exempt', '', '@csrf_exempt', 'def hook(request):', '    pass'];
    const directory = writeProject({ 'pyproject.toml': '', 'views.py': `# coding: utf-7\n${lines.map(utf7Line).join('\n')}\n`, 'other.py': 'x = 1\n' });
    assert.deepEqual(await findingsOf(directory, { paths: ['views.py'] }), { findings: ['views.py:4'], errors: [] });
  });

  test('an encoding csrflint cannot decode is a blocking error: exit code 2, even with no finding', () => {
    const directory = writeProject({ 'views.py': '# coding: cp037\nx = 1\n', 'plain.py': EXEMPT_VIEW });
    const run = runCli(['check', '.', '--no-cache', '--format', 'json'], directory);
    assert.equal(run.status, 2);
    const result = JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number }>; errors: unknown[] };
    assert.deepEqual(result.findings.map((finding) => `${finding.path}:${finding.line}`), ['plain.py:3']);
    assert.deepEqual(result.errors, [{ path: 'views.py', message: "declares the source encoding 'cp037', which csrflint cannot decode; its code was not checked", blocking: true }]);
  });
});

describe('a file over the size limit', () => {
  const FLASK_EXEMPT = 'from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\ncsrf = CSRFProtect(app)\n\n\n@app.route("/hook", methods=["POST"])\n@csrf.exempt\ndef hook():\n    return ""\n';
  const PADDED = `${FLASK_EXEMPT}#${'x'.repeat(20 * 1024)}\n`;

  test('fails the run (exit 2) like an undecodable file: its code was not checked', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'app.py': PADDED, 'templates/page.html': `<form method="post"></form>{#${'x'.repeat(20 * 1024)}#}` });
    const run = runCli(['check', '.', '--no-cache', '--format', 'json', '--max-file-size', '0.01'], directory);
    assert.equal(run.status, 2);
    const result = JSON.parse(run.stdout) as { findings: unknown[]; errors: Array<{ path: string; blocking?: boolean }> };
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.errors.map((error) => `${error.path} ${error.blocking}`), ['app.py true', 'templates/page.html true']);
  });

  test('with the limit raised, the same file is analysed and its finding reported (exit 1)', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'app.py': PADDED });
    const run = runCli(['check', '.', '--no-cache', '--format', 'json', '--max-file-size', '1'], directory);
    assert.equal(run.status, 1);
    const result = JSON.parse(run.stdout) as { findings: Array<{ rule: string; line: number }>; errors: unknown[] };
    assert.deepEqual(result.findings.map((finding) => `${finding.rule}:${finding.line}`), ['flask-csrf-exempt:9']);
    assert.deepEqual(result.errors, []);
  });
});

/**
 * Each input below took minutes (or, for the largest, hours) with the super-linear version; linear
 * code handles it in well under a second. The timeouts are generous bounds, not measurements.
 */
describe('every stage is linear in its input', () => {
  test('a suppression comment padded with blanks', { timeout: 30_000 }, () => {
    const padded = { line: 1, text: `# csrflint: ignore${' \t'.repeat(100_000)}-` };
    assert.equal(parseDirective(padded, padded.text), undefined);
    const reasoned = { line: 1, text: `# csrflint: ignore[CSRF102] --${' '.repeat(100_000)}webhook, signed${' '.repeat(100_000)}` };
    assert.deepEqual(parseDirective(reasoned, reasoned.text), { line: 1, column: 1, endColumn: reasoned.text.trimEnd().length + 1, rules: ['CSRF102'], reason: 'webhook, signed', kind: 'csrflint', standsAlone: true });
  });

  test('Jinja blanking with 200k unclosed tags', { timeout: 30_000 }, () => {
    const text = `x = 1 {{ y }}\n${'{{ {% {# '.repeat(200_000)}`;
    const blanked = blankJinjaTags(text);
    assert.equal(blanked.length, text.length);
    assert.ok(blanked.startsWith('x = 1 _______\n{{ {% {# '));
  });

  test('words of a class name of 300k capitals', { timeout: 30_000 }, () => {
    // No lowercase letter follows the capitals, so a backtracking split retries the whole run from every capital.
    assert.deepEqual(words(`${'A'.repeat(300_000)}_server`).map((word) => word.length), [300_000, 6]);
    assert.deepEqual(words('HTTPServerTestingConfig'), ['http', 'server', 'testing', 'config']);
  });

  test('a long class name, `verify` repeated 100k times and 8k decorators, beside a real finding', { timeout: 120_000 }, async () => {
    const longName = 'A'.repeat(200_000);
    const directory = writeProject({
      'plain.py': EXEMPT_VIEW,
      'names.py': `${IMPORT}\nclass ${longName}(object):\n    @csrf_exempt\n    def post(self, request):\n        ${'verify'.repeat(100_000)}(request)\n`,
      'decorated.py': `${IMPORT}\n${'@csrf_exempt\n'.repeat(8000)}def hook(request):\n    pass\n`,
    });
    const { findings } = await findingsOf(directory);
    assert.equal(findings.filter((finding) => finding.startsWith('decorated.py:')).length, 8000);
    assert.deepEqual(findings.filter((finding) => !finding.startsWith('decorated.py:')), ['names.py:4', 'plain.py:3']);
  });
});

/**
 * Globs from the repository's configuration and `.gitignore` were matched by backtracking regular
 * expressions (picomatch, the `ignore` package): each of these took minutes to hours.
 */
describe('long chains and many views stay within time and stack', () => {
  test('2000 modules star-importing each other in a ring, and 20k exempted views in one module, beside a real finding', { timeout: 240_000 }, async () => {
    const ring = Object.fromEntries(Array.from({ length: 2000 }, (_, index) => [`m${index}.py`, `from m${(index + 1) % 2000} import *\n${IMPORT}`]));
    const views = `${IMPORT}${Array.from({ length: 20_000 }, (_, index) => `@csrf_exempt\ndef v${index}(request):\n    pass\n`).join('')}`;
    const directory = writeProject({ ...ring, 'views.py': views, 'plain.py': EXEMPT_VIEW });
    const { findings, errors } = await findingsOf(directory);
    assert.deepEqual(errors, []);
    assert.equal(findings.filter((finding) => finding.startsWith('views.py:')).length, 20_000);
    assert.deepEqual(findings.filter((finding) => !finding.startsWith('views.py:')), ['plain.py:3']);
  });
});

/** Concise lines' `path:line`, from a CLI run killed after `timeoutMs` (then no line at all). */
function reportedWithin(timeoutMs: number, args: string[], directory: string): { status: number | null; findings: string[] } {
  const run = runCli(['check', ...args, '--no-cache', '--format', 'concise'], directory, {}, timeoutMs);
  return { status: run.status, findings: run.stdout.split('\n').filter((line) => / CSRF\d{3} /.test(line)).map((line) => line.split(':').slice(0, 2).join(':')) };
}

describe('a helper registering many routes, called many times', () => {
  test('600 calls of a helper making 600 add_url_rule each, the same and with different arguments: bounded, beside a real finding', { timeout: 120_000 }, () => {
    const rules = Array.from({ length: 600 }, (_, index) => `    bp_or_app.add_url_rule("/r${index}", "r${index}", view_func=view, methods=["POST"])\n`).join('');
    const head = 'from flask import Flask, request, session\n\napp = Flask(__name__)\n\n\ndef view():\n    return session["user"] + request.form["amount"]\n\n\n';
    const same = `${head}def register(bp_or_app):\n${rules}\n\n${'register(app)\n'.repeat(600)}`;
    const different = `${head}def register(bp_or_app, number):\n${rules}\n\n${Array.from({ length: 600 }, (_, index) => `register(app, ${index})\n`).join('')}`;
    for (const app of [same, different]) {
      const directory = writeProject({ 'app.py': app, 'plain.py': EXEMPT_VIEW });
      assert.deepEqual(reportedWithin(60_000, ['.'], directory), { status: 1, findings: ['app.py:3', 'plain.py:3'] });
    }
  });

  test('an exempt Flask view routed by a 600k-character rule of secret words with no closing `>`, beside a real finding', { timeout: 120_000 }, () => {
    const app = `from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\ncsrf = CSRFProtect(app)\n\n\n@app.route("<${'token'.repeat(120_000)}", methods=["POST"])\n@csrf.exempt\ndef hook():\n    return "ok"\n`;
    const directory = writeProject({ 'app.py': app, 'plain.py': EXEMPT_VIEW });
    assert.deepEqual(reportedWithin(30_000, ['.'], directory), { status: 1, findings: ['app.py:9', 'plain.py:3'] });
  });
});

/**
 * Globs from the repository's configuration and `.gitignore` were matched by backtracking regular
 * expressions (picomatch, the `ignore` package): each of these took minutes to hours.
 */
describe('globs from the repository are matched in time linear in the path', () => {
  test('pathological extend-exclude, per-file-ignores and .gitignore globs against long and deep names, beside a real finding', { timeout: 120_000 }, () => {
    const stars = '*a'.repeat(10) + '*b';
    const folders = 'a/**/'.repeat(7) + 'b';
    const longName = `${'a'.repeat(200)}.py`;
    const deepFile = `${'a/'.repeat(120)}views.py`;
    const directory = writeProject({
      'pyproject.toml': `[tool.csrflint]\nextend-exclude = ["${stars}", "${folders}"]\n\n[tool.csrflint.per-file-ignores]\n"${stars}" = ["CSRF102"]\n"${folders}" = ["CSRF102"]\n`,
      '.gitignore': `${folders}\n${stars}\n`,
      'plain.py': EXEMPT_VIEW,
      [longName]: EXEMPT_VIEW,
      [deepFile]: EXEMPT_VIEW,
    });
    assert.deepEqual(reportedWithin(60_000, ['.'], directory), { status: 1, findings: [deepFile + ':3', `${longName}:3`, 'plain.py:3'] });
  });
});

describe('a template with 200k comment openings', () => {
  test('a form beside 200k `{#` is reported, and suppression comments are looked for in linear time', { timeout: 120_000 }, () => {
    const flaskApp = 'from flask import Flask, render_template, request, session\n\napp = Flask(__name__)\n\n\n@app.route("/pay", methods=["GET", "POST"])\ndef pay():\n    if request.method == "POST":\n        return session["user"] + request.form["amount"]\n    return render_template("page.html")\n';
    const directory = writeProject({ 'app.py': flaskApp, 'templates/page.html': `<form method="post" action="/pay"><input name="amount">${'{#'.repeat(200_000)}</form>\n`, 'plain.py': EXEMPT_VIEW });
    assert.deepEqual(reportedWithin(60_000, ['.'], directory), { status: 1, findings: ['app.py:3', 'plain.py:3', 'templates/page.html:1'] });
  });
});

describe('the cache trusts only what this user wrote', () => {
  function entriesUnder(directory: string): string[] {
    return readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((name) => /[0-9a-f]{64}$/.test(name)).map((name) => path.join(directory, name));
  }

  test('forged and malformed entries committed to the tree hide nothing and crash nothing', async () => {
    const directory = writeProject({ 'views.py': EXEMPT_VIEW, 'other.py': EXEMPT_VIEW.replace('hook', 'other') });
    const cacheDirectory = path.join(directory, '.csrflint_cache');
    assert.deepEqual((await findingsOf(directory, { cacheDirectory })).findings, ['other.py:3', 'views.py:3']);
    const [first, second] = entriesUnder(cacheDirectory);
    const text = readFileSync(first!, 'utf8');
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>;
    const noFacts = { ok: true, problems: [], facts: Object.fromEntries(['scopes', 'bindings', 'imports', 'assignments', 'calls', 'definitions', 'returns', 'raises', 'syntaxProblems', 'directives'].map((list) => [list, []])) };
    writeFileSync(first!, `${JSON.stringify(header)}\n${JSON.stringify(noFacts)}`);
    const malformed = { ...noFacts, facts: { ...noFacts.facts, definitions: [1, null, 'x'], scopes: [{}] } };
    writeFileSync(second!, `${JSON.stringify({ ...header, key: path.basename(second!) })}\n${JSON.stringify(malformed)}`);
    const again = await findingsOf(directory, { cacheDirectory });
    assert.deepEqual(again, { findings: ['other.py:3', 'views.py:3'], errors: [] });
  });

  test('a committed cache folder that links out of the tree is not written through', async () => {
    const outside = writeProject({ 'keep.txt': 'x' });
    const directory = writeProject({ 'views.py': EXEMPT_VIEW });
    symlinkSync(outside, path.join(directory, '.csrflint_cache'));
    assert.deepEqual((await findingsOf(directory, { cacheDirectory: path.join(directory, '.csrflint_cache') })).findings, ['views.py:3']);
    assert.deepEqual(readdirSync(outside), ['keep.txt']);
  });
});

describe('settings files are read within bounds and never through a link out of the tree', () => {
  test('a .gitignore linked to /dev/zero or out of the tree ignores nothing', async () => {
    const outside = writeProject({ '.gitignore': 'views.py\n' });
    const directory = writeProject({ 'views.py': EXEMPT_VIEW, 'app/views.py': EXEMPT_VIEW, '.git/HEAD': '' });
    symlinkSync('/dev/zero', path.join(directory, '.gitignore'));
    symlinkSync(path.join(outside, '.gitignore'), path.join(directory, 'app', '.gitignore'));
    assert.deepEqual((await findingsOf(directory, { respectGitignore: true })).findings, ['app/views.py:3', 'views.py:3']);
  });

  test('a pyproject.toml linked to /dev/zero is a clear error, not gigabytes of memory', () => {
    const directory = writeProject({ 'views.py': EXEMPT_VIEW });
    symlinkSync('/dev/zero', path.join(directory, 'pyproject.toml'));
    const run = runCli(['check', '.', '--no-cache'], directory);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /pyproject\.toml: a link out of .*; not read/);
  });

  test('a FIFO named .gitignore does not hang the scan', async () => {
    const directory = writeProject({ 'views.py': EXEMPT_VIEW });
    const made = spawnSync('mkfifo', [path.join(directory, '.gitignore')]);
    if (made.status !== 0) return;
    assert.deepEqual((await findingsOf(directory, { respectGitignore: true })).findings, ['views.py:3']);
  });

  test('a configured baseline outside the project is refused; an unreadable one is not echoed', () => {
    const directory = writeProject({ 'proj/pyproject.toml': '[tool.csrflint]\nbaseline = "../secret.txt"\n', 'proj/views.py': EXEMPT_VIEW, 'secret.txt': 'TOPSECRET value\n' });
    const outside = runCli(['check', 'proj', '--no-cache'], directory);
    assert.equal(outside.status, 2);
    assert.match(outside.stderr, /'baseline' must name a file inside/);
    const garbage = runCli(['check', 'proj/views.py', '--isolated', '--no-cache', '--baseline', 'secret.txt'], directory);
    assert.equal(garbage.status, 2);
    assert.doesNotMatch(garbage.stderr, /TOPSECRET/);
  });

  test('a configured baseline reached through a linked folder out of the project is refused; through one inside it, read', () => {
    const directory = writeProject({ 'proj/views.py': EXEMPT_VIEW, 'proj/real/.keep': '', 'outside/.keep': '' });
    const project = path.join(directory, 'proj');
    assert.equal(runCli(['check', '.', '--no-cache', '--write-baseline', 'real/base.json'], project).status, 0);
    writeFileSync(path.join(directory, 'outside', 'base.json'), readFileSync(path.join(project, 'real', 'base.json')));
    symlinkSync(path.join(directory, 'outside'), path.join(project, 'b'));
    symlinkSync(path.join(project, 'real'), path.join(project, 'inb'));
    writeFileSync(path.join(project, 'pyproject.toml'), '[tool.csrflint]\nbaseline = "b/base.json"\n');
    const linkedOut = runCli(['check', '.', '--no-cache', '--format', 'concise'], project);
    assert.equal(linkedOut.status, 2, linkedOut.stdout);
    assert.match(linkedOut.stderr, /b\/base\.json: a link out of .*; not read/);
    writeFileSync(path.join(project, 'pyproject.toml'), '[tool.csrflint]\nbaseline = "inb/base.json"\n');
    const linkedIn = runCli(['check', '.', '--no-cache', '--format', 'json'], project);
    assert.equal(linkedIn.status, 0, linkedIn.stderr);
    const { findings } = JSON.parse(linkedIn.stdout) as { findings: Array<{ line: number; suppressed: boolean }> };
    assert.deepEqual(findings.map((finding) => `${finding.line} ${finding.suppressed}`), ['3 true']);
  });
});

describe('csrflint writes nothing through a link', () => {
  test('a committed report or baseline link is refused and its target left alone', () => {
    const outside = writeProject({ 'victim.txt': 'precious\n' });
    const directory = writeProject({ 'views.py': EXEMPT_VIEW });
    symlinkSync(path.join(outside, 'victim.txt'), path.join(directory, 'report.json'));
    symlinkSync(outside, path.join(directory, 'reports'));
    const runs = [['check', '-o', 'report.json'], ['check', '--format', 'sarif=reports/out.sarif'], ['check', '--write-baseline', 'report.json'], ['endpoints', '-o', 'reports/endpoints.json']];
    for (const [command, ...args] of runs) {
      const run = runCli([command!, '.', '--no-cache', ...args], directory);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /is a link; csrflint does not write through links/);
    }
    assert.deepEqual(readdirSync(outside), ['victim.txt']);
    assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'precious\n');
  });
});

describe('--diff-base runs git by its full path', () => {
  test('a git committed to the working directory is never the one run', () => {
    const directory = writeProject({ 'bin/git': '#!/bin/sh\necho pwned\n' });
    chmodSync(path.join(directory, 'bin', 'git'), 0o755);
    const found = gitExecutable(directory, { PATH: [path.join(directory, 'bin'), 'bin', ...(process.env.PATH ?? '').split(path.delimiter)].join(path.delimiter) });
    assert.ok(path.isAbsolute(found) && !found.startsWith(directory), found);
    assert.throws(() => gitExecutable(directory, { PATH: path.join(directory, 'bin') }), /not found on PATH/);
  });
});

describe('every string from the repository is escaped for the format it lands in', () => {
  const HOSTILE_NAME = 'hook\u001b]52;c;cHduZWQ=\u0007\n::error file=x.py::forged\u202e.py';

  test('text and GitHub output: no control sequence, no forged line, no bidi override', () => {
    const directory = writeProject({ [HOSTILE_NAME]: `${IMPORT}\n@csrf_exempt  # \u202e\u001b[8m hidden\ndef hook(request):\n    pass\n` });
    for (const format of ['concise', 'full', 'github']) {
      const run = runCli(['check', '.', '--no-cache', '--format', format], directory);
      assert.equal(run.status, 1, format);
      assert.doesNotMatch(run.stdout + run.stderr, /[\u001b\u0007\u202e]/, format);
      const shownName = format === 'github' ? /hook\\x1B\]52;c;cHduZWQ=\\x07\\x0A%3A%3Aerror file=x\.py%3A%3Aforged\\u202E\.py/ : /hook\\x1B\]52;c;cHduZWQ=\\x07\\x0A::error file=x\.py::forged\\u202E\.py/;
      assert.match(run.stdout, shownName, format);
    }
    const github = runCli(['check', '.', '--no-cache', '--format', 'github'], directory).stdout.trimEnd().split('\n');
    assert.equal(github.length, 1);
    assert.match(github[0]!, /^::(error|warning|notice) file=hook/);
  });

  test('HTML: a backtick in a template attribute stays inside its code span; JUnit: controls become text', () => {
    const directory = writeProject({
      'templates/pay.html': '<form method="post" action="/pay`[click me](https://evil.example/)`">\n<button>Pay</button>\n</form>\n',
      [`bell\u0007.py`]: EXEMPT_VIEW,
    });
    const html = runCli(['check', '.', '--no-cache', '--format', 'html'], directory);
    assert.equal(html.status, 1);
    assert.match(html.stdout, /<code>&#60;form method=&#34;post&#34; action=&#34;\/pay<\/code>\[click me\]\(https:\/\/evil\.example\/\)<code>/);
    assert.doesNotMatch(html.stdout, /href="https:\/\/evil/);
    const junit = runCli(['check', '.', '--no-cache', '--format', 'junit'], directory);
    assert.doesNotMatch(junit.stdout, /\u0007/);
    assert.match(junit.stdout, /classname="bell\\x07\.py"/);
  });
});

describe('files named on the command line', () => {
  test('a committed link out of the repository is not read; the real file beside it is', () => {
    const outside = writeProject({ 'secret.py': EXEMPT_VIEW.replace('hook', 'secret_hook') });
    const directory = writeProject({ '.git/HEAD': '', 'views.py': EXEMPT_VIEW });
    symlinkSync(path.join(outside, 'secret.py'), path.join(directory, 'leak.py'));
    symlinkSync('/dev/zero', path.join(directory, 'zero.py'));
    const run = runCli(['check', 'views.py', 'leak.py', 'zero.py', '--no-cache', '--format', 'json'], directory);
    const result = JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number }>; errors: Array<{ path: string; message: string }> };
    assert.deepEqual(result.findings.map((finding) => `${finding.path}:${finding.line}`), ['views.py:3']);
    assert.deepEqual(result.errors.map((error) => error.path), ['leak.py', 'zero.py']);
    assert.match(result.errors[0]!.message, /outside its repository; not followed/);
  });

  test('a file named through a folder link out of the repository is not read; the real file beside it is', () => {
    const outside = writeProject({ 'app.py': EXEMPT_VIEW.replace('hook', 'secret_hook') });
    const directory = writeProject({ '.git/HEAD': '', 'views.py': EXEMPT_VIEW, 'inside/app.py': EXEMPT_VIEW });
    symlinkSync(outside, path.join(directory, 'cfg'));
    symlinkSync(path.join(directory, 'inside'), path.join(directory, 'alias'));
    const run = runCli(['check', 'views.py', 'cfg/app.py', 'alias/app.py', '--no-cache', '--format', 'json'], directory);
    const result = JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number }>; errors: Array<{ path: string; message: string }> };
    assert.deepEqual(result.findings.map((finding) => `${finding.path}:${finding.line}`), ['alias/app.py:3', 'views.py:3']);
    assert.deepEqual(result.errors.map((error) => error.path), ['cfg/app.py']);
    assert.match(result.errors[0]!.message, /outside its repository; not followed/);
    assert.doesNotMatch(run.stdout, /secret_hook/);
  });
});

describe('quiet configuration is said out loud', () => {
  test('a nested configuration that ignores the rule and excludes a folder is named, with the trusted way to run', () => {
    const directory = writeProject({
      'pyproject.toml': '[tool.csrflint]\n',
      'app/.csrflint.toml': 'ignore = ["CSRF102"]\nextend-exclude = ["legacy"]\n',
      'app/views.py': EXEMPT_VIEW,
      'app/legacy/views.py': EXEMPT_VIEW,
    });
    const quiet = runCli(['check', 'app', '--no-cache'], directory);
    assert.equal(quiet.status, 0);
    assert.equal(
      quiet.stderr,
      'csrflint: note: configuration app/.csrflint.toml turned checks off (rules off: django-csrf-exempt; 1 path excluded by exclude/extend-exclude; app/.csrflint.toml overrides pyproject.toml); on untrusted changes run with --isolated or --config <trusted file>\n',
    );
    const trusted = runCli(['check', 'app', '--no-cache', '--config', 'pyproject.toml', '--format', 'concise'], directory);
    assert.equal(trusted.status, 1);
    assert.deepEqual(trusted.stdout.split('\n').filter((line) => line.includes('CSRF102')).map((line) => line.split(':').slice(0, 2).join(':')), ['app/legacy/views.py:3', 'app/views.py:3']);
  });
  test('a .gitignore listing a tracked file is named, with --no-respect-gitignore to read it anyway', () => {
    const directory = writeProject({ '.gitignore': 'views.py\n', 'views.py': EXEMPT_VIEW, 'plain.py': EXEMPT_VIEW });
    const quiet = runCli(['check', '.', '--no-cache', '--isolated', '--format', 'concise'], directory);
    assert.match(quiet.stderr, /1 path ignored by \.gitignore\); on untrusted changes run with --isolated or --config <trusted file>, and --no-respect-gitignore\n$/);
    const trusted = runCli(['check', '.', '--no-cache', '--isolated', '--no-respect-gitignore', '--format', 'concise'], directory);
    assert.deepEqual(trusted.stdout.split('\n').filter((line) => line.includes('CSRF102')).map((line) => line.split(':').slice(0, 2).join(':')), ['plain.py:3', 'views.py:3']);
  });
});

describe('a finding caused by a changed file is reported where it lands', () => {
  const FLASK_APP = 'from flask import Flask, request, session\n\napp = Flask(__name__)\n\n\n@app.route("/pay", methods=["POST"])\ndef pay():\n    return session["user"] + request.form["amount"]\n';
  const PROTECTED = 'from flask_wtf.csrf import CSRFProtect\n\nfrom app import app\n\ncsrf = CSRFProtect(app)\n';

  function git(args: string[], cwd: string): void {
    const run = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  }

  function reported(args: string[], directory: string): string[] {
    const run = runCli(['check', ...args, '--no-cache', '--format', 'json'], directory);
    return (JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number; rule: string }> }).findings.map((finding) => `${finding.path}:${finding.line} ${finding.rule}`);
  }

  test('removing CSRFProtect(app) from security.py: --diff-base and a run on security.py report app.py', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'app.py': FLASK_APP, 'security.py': PROTECTED, 'views.py': EXEMPT_VIEW });
    git(['init', '-q', '-b', 'main'], directory);
    git(['add', '-A'], directory);
    git(['commit', '-qm', 'initial'], directory);
    assert.deepEqual(reported(['--diff-base', 'main'], directory), []);
    writeFileSync(path.join(directory, 'security.py'), 'from app import app\n');
    assert.deepEqual(reported(['--diff-base', 'main'], directory), ['app.py:3 flask-csrf-protect-missing']);
    assert.deepEqual(reported(['security.py'], directory), ['app.py:3 flask-csrf-protect-missing']);
    // views.py cannot cause the finding in app.py: named alone, it reports its own.
    assert.deepEqual(reported(['views.py'], directory), ['views.py:3 django-csrf-exempt']);
    assert.deepEqual(reported(['views.py', 'security.py'], directory), ['app.py:3 flask-csrf-protect-missing', 'views.py:3 django-csrf-exempt']);
  });

  test('deleting security.py is a change that causes the finding in app.py', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'app.py': FLASK_APP, 'security.py': PROTECTED });
    git(['init', '-q', '-b', 'main'], directory);
    git(['add', '-A'], directory);
    git(['commit', '-qm', 'initial'], directory);
    rmSync(path.join(directory, 'security.py'));
    assert.deepEqual(reported(['--diff-base', 'main'], directory), ['app.py:3 flask-csrf-protect-missing']);
  });

  test('in a monorepo, removing the protection from a library root reports the finding it causes in the app root', () => {
    const library = 'from flask_wtf.csrf import CSRFProtect\n\ncsrf = CSRFProtect()\n\n\ndef init_security(app):\n    csrf.init_app(app)\n';
    const app = 'from flask import Flask, request, session\nfrom secure import init_security\n\napp = Flask(__name__)\ninit_security(app)\n\n\n@app.route("/pay", methods=["POST"])\ndef pay():\n    return session["user"] + request.form["amount"]\n';
    const directory = writeProject({ 'libs/secure/pyproject.toml': '[project]\nname = "secure"\n', 'libs/secure/secure/__init__.py': library, 'web/pyproject.toml': '[project]\nname = "web"\n', 'web/app.py': app });
    git(['init', '-q', '-b', 'main'], directory);
    git(['add', '-A'], directory);
    git(['commit', '-qm', 'initial'], directory);
    assert.deepEqual(reported(['.'], directory), []);
    writeFileSync(path.join(directory, 'libs/secure/secure/__init__.py'), 'def init_security(app):\n    pass\n');
    assert.deepEqual(reported(['.'], directory), ['web/app.py:4 flask-csrf-protect-missing']);
    assert.deepEqual(reported(['--diff-base', 'main'], directory), ['web/app.py:4 flask-csrf-protect-missing']);
  });

  test('a project-wide finding the change cannot cause (an unprotected scripts/admin.py) is left to full runs', () => {
    const admin = FLASK_APP.replace('app = Flask', 'admin = Flask').replace('@app.route', '@admin.route');
    const directory = writeProject({ 'pyproject.toml': '', 'app.py': FLASK_APP, 'security.py': PROTECTED, 'views.py': EXEMPT_VIEW, 'scripts/admin.py': admin });
    git(['init', '-q', '-b', 'main'], directory);
    git(['add', '-A'], directory);
    git(['commit', '-qm', 'initial'], directory);
    git(['checkout', '-q', '-b', 'change'], directory);
    writeFileSync(path.join(directory, 'views.py'), `${EXEMPT_VIEW}\n\n@csrf_exempt\ndef other(request):\n    pass\n`);
    git(['commit', '-qam', 'another exempt view'], directory);
    assert.deepEqual(reported(['--diff-base', 'main'], directory), ['views.py:3 django-csrf-exempt', 'views.py:8 django-csrf-exempt']);
    assert.deepEqual(reported(['views.py'], directory), ['views.py:3 django-csrf-exempt', 'views.py:8 django-csrf-exempt']);
    assert.deepEqual(reported(['.'], directory), ['scripts/admin.py:3 flask-csrf-protect-missing', 'views.py:3 django-csrf-exempt', 'views.py:8 django-csrf-exempt']);
    // The same change with CSRFProtect(app) removed from security.py: app.py's finding is new, admin.py's is not.
    writeFileSync(path.join(directory, 'security.py'), 'from app import app\n');
    assert.deepEqual(reported(['--diff-base', 'main'], directory), ['app.py:3 flask-csrf-protect-missing', 'views.py:3 django-csrf-exempt', 'views.py:8 django-csrf-exempt']);
    assert.deepEqual(reported(['security.py'], directory), ['app.py:3 flask-csrf-protect-missing']);
  });
});
