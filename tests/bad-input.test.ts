import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { check } from '../src/engine.js';
import { analysePythonSource } from '../src/python/analyse.js';
import { FACT_BUDGET } from '../src/python/extract.js';
import { initPythonParser } from '../src/python/parser.js';
import { decodeSource } from '../src/python/source.js';
import { writeProject } from './support/projects.js';

const EXEMPT_VIEW = 'from django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef hook(request):\n    pass\n';

async function scan(directory: string, paths = ['.']) {
  const result = await check({ paths, cwd: directory, respectGitignore: false });
  return { findings: result.findings.map((finding) => `${finding.path}:${finding.line}`), errors: result.errors };
}

describe('decoding source files', () => {
  test('UTF-8 with a byte order mark', () => {
    const decoded = decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('x = "é"\n')]));
    assert.deepEqual(decoded, { ok: true, text: 'x = "é"\n' });
  });

  test('a Latin-1 file with a coding declaration is decoded as declared', () => {
    const bytes = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nname = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    assert.deepEqual(decodeSource(bytes), { ok: true, text: '# -*- coding: latin-1 -*-\nname = "é"\n' });
  });

  test('invalid UTF-8 without a declaration is read with replacement characters and a warning', () => {
    const decoded = decodeSource(Buffer.concat([Buffer.from('name = "'), Buffer.from([0xff]), Buffer.from('"\n')]));
    assert.ok(decoded.ok);
    assert.equal(decoded.text, 'name = "\ufffd"\n');
    assert.equal(decoded.warning, 'not valid UTF-8 at byte 8 and no coding declaration; invalid bytes read as U+FFFD');
  });

  test('an encoding csrflint cannot decode fails closed', () => {
    assert.deepEqual(decodeSource(Buffer.from('# coding: klingon\nx = 1\n')), {
      ok: false,
      reason: "declares the source encoding 'klingon', which csrflint cannot decode; its code was not checked",
      blocking: true,
    });
  });

  test('coding names are read as Python\'s codec lookup normalises them (`utf--8` is UTF-8, `Latin--1` is Latin-1)', () => {
    assert.deepEqual(decodeSource(Buffer.from('# -*- coding: utf--8 -*-\nx = "\u00e9"\n')), { ok: true, text: '# -*- coding: utf--8 -*-\nx = "\u00e9"\n' });
    const latin1 = Buffer.concat([Buffer.from('# coding: Latin--1\nname = "'), Buffer.from([0xe9]), Buffer.from('"\n')]);
    assert.deepEqual(decodeSource(latin1), { ok: true, text: '# coding: Latin--1\nname = "\u00e9"\n' });
  });

  test('NUL bytes mean a binary file', () => {
    assert.deepEqual(decodeSource(new Uint8Array([0x61, 0x00, 0x62])), { ok: false, reason: 'binary file (contains NUL bytes); skipped' });
  });
});

describe('bad input is an error entry and the scan goes on', () => {
  test('syntax errors, binary files, huge files, CRLF and empty files', async () => {
    const directory = writeProject({
      'broken.py': `${EXEMPT_VIEW}def oops(:\n`,
      'binary.py': new Uint8Array(64),
      'crlf.py': EXEMPT_VIEW.replace(/\n/g, '\r\n'),
      'empty.py': '',
      'huge.py': `x = 1\n${'#'.repeat(6 * 1024 * 1024)}\n`,
    });
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['broken.py:3', 'crlf.py:3']);
    assert.deepEqual(errors, [
      { path: 'binary.py', message: 'binary file (contains NUL bytes); skipped' },
      { path: 'broken.py', message: 'missing ) at 6:10; analysed the rest' },
      { path: 'huge.py', message: 'file is 6.0 MB, over the 5.0 MB limit; its code was not checked (raise --max-file-size or exclude the file)', blocking: true },
    ]);
  });

  test('symlinks: a loop is walked once, a link out of the scanned directory is not followed', async () => {
    const outside = writeProject({ 'elsewhere.py': EXEMPT_VIEW });
    const directory = writeProject({ 'app/views.py': EXEMPT_VIEW });
    symlinkSync(path.join(directory, 'app'), path.join(directory, 'app', 'loop'));
    symlinkSync(outside, path.join(directory, 'outside'));
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['app/views.py:3']);
    assert.deepEqual(errors.map((error) => error.path), ['app/loop', 'outside']);
    assert.match(errors[0]!.message, /symlink loop/);
    assert.match(errors[1]!.message, /outside the scanned directory; not followed/);
  });

  test('FIFOs and device links named like sources are each named, not passed over; a two-link loop is a loop', { skip: process.platform === 'win32' }, async () => {
    const directory = writeProject({ 'views.py': EXEMPT_VIEW, 'templates/.keep': '' });
    for (const fifo of ['fifo.py', 'templates/t.html']) assert.equal(spawnSync('mkfifo', [path.join(directory, fifo)]).status, 0);
    symlinkSync('/dev/zero', path.join(directory, 'zero.py'));
    symlinkSync(path.join(directory, 'self2.py'), path.join(directory, 'self1.py'));
    symlinkSync(path.join(directory, 'self1.py'), path.join(directory, 'self2.py'));
    symlinkSync(path.join(directory, 'missing.py'), path.join(directory, 'broken.py'));
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['views.py:3']);
    assert.deepEqual(errors, [
      { path: 'broken.py', message: 'broken symlink; skipped' },
      { path: 'fifo.py', message: 'not a regular file (a FIFO, socket or device); skipped' },
      { path: 'self1.py', message: 'symlink loop; skipped' },
      { path: 'self2.py', message: 'symlink loop; skipped' },
      { path: 'templates/t.html', message: 'not a regular file (a FIFO, socket or device); skipped' },
      { path: 'zero.py', message: 'symlink to /dev/zero, outside the scanned directory; not followed' },
    ]);
  });

  test('a FIFO or a device link named on the command line is named as such, not as an unreadable directory', { skip: process.platform === 'win32' }, async () => {
    const directory = writeProject({ 'pyproject.toml': '', 'views.py': EXEMPT_VIEW });
    assert.equal(spawnSync('mkfifo', [path.join(directory, 'fifo.py')]).status, 0);
    symlinkSync('/dev/zero', path.join(directory, 'zero.py'));
    assert.deepEqual((await scan(directory, ['fifo.py'])).errors, [{ path: 'fifo.py', message: 'not a regular file (a FIFO, socket or device); skipped' }]);
    assert.deepEqual((await scan(directory, ['zero.py'])).errors, [{ path: 'zero.py', message: 'symlink to /dev/zero, outside its repository; not followed' }]);
    assert.deepEqual(await scan(directory, ['views.py']), { findings: ['views.py:3'], errors: [] });
  });

  test('a link to a directory inside the scan is an alias: findings land on the real path', async () => {
    const directory = writeProject({ 'zz_real/settings.py': EXEMPT_VIEW });
    symlinkSync(path.join(directory, 'zz_real'), path.join(directory, 'aa_alias'));
    symlinkSync(path.join(directory, 'missing.yaml'), path.join(directory, 'broken.yaml'));
    symlinkSync(path.join(directory, 'missing.py'), path.join(directory, 'broken.py'));
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['zz_real/settings.py:3']);
    assert.deepEqual(errors, [{ path: 'broken.py', message: 'broken symlink; skipped' }]);
  });

  test('a package named like tool output (build/, venv/ with an __init__.py) is application code; the tool output itself stays skipped', async () => {
    const directory = writeProject({
      'pyproject.toml': '',
      'shop/__init__.py': '',
      'shop/urls.py': 'from django.urls import path\n\nfrom shop.build import views\n\nurlpatterns = [path("pay/", views.hook)]\n',
      'shop/build/__init__.py': '',
      'shop/build/views.py': EXEMPT_VIEW,
      'shop/venv/__init__.py': '',
      'shop/venv/hooks.py': EXEMPT_VIEW,
      'build/lib/shop/build/views.py': EXEMPT_VIEW,
      'venv/lib/python3.12/site-packages/vendor/views.py': EXEMPT_VIEW,
      'shop/node_modules/tool/views.py': EXEMPT_VIEW,
    });
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['shop/build/views.py:3', 'shop/venv/hooks.py:3']);
    assert.deepEqual(errors, []);
  });

  test('a directory named like a Python file is walked, not read', async () => {
    const directory = writeProject({});
    mkdirSync(path.join(directory, 'views.py'));
    writeFileSync(path.join(directory, 'views.py', 'inner.py'), EXEMPT_VIEW);
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['views.py/inner.py:3']);
    assert.deepEqual(errors, []);
  });

  test('encodings: a Latin-1 file with a coding cookie, invalid UTF-8, and a BOM are each read and analysed', async () => {
    const latin1 = Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nfrom django.views.decorators.csrf import csrf_exempt\n\n@csrf_exempt\ndef caf'), Buffer.from([0xe9]), Buffer.from('(request):\n    pass\n')]);
    const invalid = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xff, 0xfe]), Buffer.from(`\n${EXEMPT_VIEW}`)]);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(EXEMPT_VIEW)]);
    const directory = writeProject({ 'latin1.py': latin1, 'invalid.py': invalid, 'bom.py': bom });
    const result = await check({ paths: ['.'], cwd: directory });
    assert.deepEqual(
      result.findings.map((finding) => `${finding.path}:${finding.line}:${finding.column} ${finding.message}`),
      [
        'bom.py:3:1 `@csrf_exempt` turns off CSRF protection for view `hook`',
        'invalid.py:4:1 `@csrf_exempt` turns off CSRF protection for view `hook`',
        'latin1.py:4:1 `@csrf_exempt` turns off CSRF protection for view `caf\u00e9`',
      ],
    );
    assert.deepEqual(result.errors, [{ path: 'invalid.py', message: 'not valid UTF-8 at byte 5 and no coding declaration; invalid bytes read as U+FFFD' }]);
  });

  test('a 50 MB file is a blocking error entry, unread', async () => {
    const directory = writeProject({ 'views.py': EXEMPT_VIEW, 'generated.py': '' });
    truncateSync(path.join(directory, 'generated.py'), 50 * 1024 * 1024);
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['views.py:3']);
    assert.deepEqual(errors, [{ path: 'generated.py', message: 'file is 50.0 MB, over the 5.0 MB limit; its code was not checked (raise --max-file-size or exclude the file)', blocking: true }]);
  });

  test('10,000 nested parentheses, a 200,000-character line and 3,000 nested blocks cost nothing but their own analysis', async () => {
    const nested = `from django.views.decorators.csrf import csrf_exempt\nx = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n\n@csrf_exempt\ndef hook(request):\n    pass\n`;
    const longLine = `from django.views.decorators.csrf import csrf_exempt\nVALUES = [${Array.from({ length: 40_000 }, (_, index) => index).join(', ')}]\n\n@csrf_exempt\ndef hook(request):\n    pass\n`;
    const chained = `from django.views.decorators.csrf import csrf_exempt\ntotal = ${Array.from({ length: 20_000 }, () => 'a').join(' + ')}\n\n@csrf_exempt\ndef hook(request):\n    pass\n`;
    const blocks = `${Array.from({ length: 3_000 }, (_, level) => `${' '.repeat(level)}if x:`).join('\n')}\n${' '.repeat(3_000)}y = 1\n${EXEMPT_VIEW}`;
    assert.ok(longLine.split('\n')[1]!.length > 200_000);
    const directory = writeProject({ 'nested.py': nested, 'long_line.py': longLine, 'chained.py': chained, 'blocks.py': blocks });
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['blocks.py:3004', 'chained.py:4', 'long_line.py:4', 'nested.py:4']);
    assert.deepEqual(errors, [{ path: 'blocks.py', message: 'syntax error at 1:1; analysed the rest' }]);
  });

  test('a name that is its own alias (`bp = bp.child`) resolves without end of stack; the real finding beside it is reported', async () => {
    const directory = writeProject({
      'app.py': 'from flask import Flask, session\n\nbp = bp.child\napp = Flask(__name__)\n\n\n@bp.route("/", methods=["POST"])\n@app.route("/", methods=["POST"])\ndef view():\n    return session["user"]\n',
      'hooks.py': EXEMPT_VIEW,
    });
    const { findings, errors } = await scan(directory);
    assert.deepEqual(findings, ['app.py:4', 'hooks.py:3']);
    assert.deepEqual(errors, []);
  });

  test('a file that vanishes during the scan is an error entry; the rest is reported', async () => {
    const files: Record<string, string> = { 'pyproject.toml': '' };
    for (let index = 0; index < 200; index++) files[`views_${String(index).padStart(3, '0')}.py`] = EXEMPT_VIEW;
    const directory = writeProject(files);
    let removed = false;
    const result = await check({
      paths: ['.'],
      cwd: directory,
      jobs: 1,
      onProgress: () => {
        if (removed) return;
        rmSync(path.join(directory, 'views_150.py'));
        removed = true;
      },
    });
    assert.equal(result.findings.length, 199);
    assert.ok(!result.findings.some((finding) => finding.path === 'views_150.py'));
    assert.deepEqual(result.errors, [{ path: 'views_150.py', message: 'cannot read file (ENOENT); skipped' }]);
  });
});

describe('a generated module over the fact budget', () => {
  test('keeps its imports and definitions past the budget, not its calls, and says so', async () => {
    await initPythonParser();
    const calls = 'value = f(1)\n'.repeat(FACT_BUDGET);
    const analysis = analysePythonSource(Buffer.from(`${calls}from django.views import View\n\n\nclass Hook(View):\n    def post(self, request):\n        return g(request)\n`));
    assert.ok(analysis.ok);
    assert.ok(analysis.facts.calls.length + analysis.facts.assignments.length <= FACT_BUDGET + 2);
    assert.ok(analysis.facts.imports.some((statement) => statement.module === 'django.views'));
    assert.deepEqual(analysis.facts.definitions.map((definition) => definition.name), ['Hook', 'post']);
    assert.ok(!analysis.facts.calls.some(({ call }) => call.callee.kind === 'name' && call.callee.id === 'g'));
    assert.match(analysis.problems.join('\n'), /only imports and definitions were analysed/);
  });

  test('a module under the budget is analysed whole', async () => {
    await initPythonParser();
    const analysis = analysePythonSource(Buffer.from('value = f(1)\n'.repeat(100)));
    assert.ok(analysis.ok);
    assert.equal(analysis.facts.calls.length, 100);
    assert.equal(analysis.facts.overBudget, undefined);
  });
});

describe('annotations the grammar reads as a generic type (issue 9, arches external_oauth_backend.py)', () => {
  test('`-> Tuple[A, B] or None`, a parameter and a variable annotated `x[1] or None` are valid Python: no problem, the body analysed; a word after a subscript is still an error', async () => {
    await initPythonParser();
    const valid = 'def token_for(\n    username: str,\n) -> Tuple[Token, User] or None:\n    return lookup(username)\n\n\ndef pick(a: x[1] or None, b=2) -> x[1] and y:\n    pass\n\n\nv: x[1] or None = 3\n';
    const analysis = analysePythonSource(Buffer.from(valid));
    assert.ok(analysis.ok);
    assert.deepEqual(analysis.problems, []);
    assert.ok(analysis.facts.calls.some(({ call }) => call.callee.kind === 'name' && call.callee.id === 'lookup'));
    const broken = analysePythonSource(Buffer.from('def h() -> x[1] foo:\n    pass\n'));
    assert.deepEqual(broken.ok && broken.problems, ['syntax error at 1:17; analysed the rest']);
  });
});
