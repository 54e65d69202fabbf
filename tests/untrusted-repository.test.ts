import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

  test('an encoding csrflint cannot decode is a blocking error: exit code 2, even with no finding', () => {
    const directory = writeProject({ 'views.py': '# coding: cp037\nx = 1\n', 'plain.py': EXEMPT_VIEW });
    const run = runCli(['check', '.', '--no-cache', '--format', 'json'], directory);
    assert.equal(run.status, 2);
    const result = JSON.parse(run.stdout) as { findings: Array<{ path: string; line: number }>; errors: unknown[] };
    assert.deepEqual(result.findings.map((finding) => `${finding.path}:${finding.line}`), ['plain.py:3']);
    assert.deepEqual(result.errors, [{ path: 'views.py', message: "declares the source encoding 'cp037', which csrflint cannot decode; its code was not checked", blocking: true }]);
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
    assert.deepEqual(parseDirective(reasoned, reasoned.text), { line: 1, rules: ['CSRF102'], reason: 'webhook, signed', kind: 'csrflint', standsAlone: true });
  });

  test('Jinja blanking with 200k unclosed tags', { timeout: 30_000 }, () => {
    const text = `x = 1 {{ y }}\n${'{{ {% {# '.repeat(200_000)}`;
    const blanked = blankJinjaTags(text);
    assert.equal(blanked.length, text.length);
    assert.ok(blanked.startsWith('x = 1 _______\n{{ {% {# '));
  });

  test('words of a class name of 300k capitals', { timeout: 30_000 }, () => {
    assert.deepEqual(words(`HTTP${'A'.repeat(300_000)}Server`).map((word) => word.length), [300_004, 6]);
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
