import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parserFiles } from '../src/analysis/parser-files.js';
import { RunMemo } from '../src/analysis/run-memo.js';
import { check } from '../src/engine.js';
import type { CheckResult } from '../src/finding.js';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

process.env.XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'csrflint-user-cache-'));

/** A time after every file of the tests was written: none of them counts as just changed. */
const SETTLED = BigInt(Date.now() + 3_600_000) * 1_000_000n;

const RESULT: CheckResult = {
  version: 'test',
  findings: [],
  hiddenFindings: [],
  errors: [{ path: 'app/views.py', message: 'remembered' }],
  stats: { filesSeen: 2, filesParsed: 2, filesCached: 0, filesSkipped: 0, pathsExcluded: 0, pathsIgnored: 0, durationMs: 1, testFindingsHidden: 0, guardedFindingsHidden: 0 },
};

/** A project, its files, and a memo of a run over them. */
function remembered(): { directory: string; files: string[]; cache: string; memo: (options?: string) => RunMemo } {
  const directory = writeProject({ 'pyproject.toml': '', 'app/__init__.py': '', 'app/views.py': 'x = 1\n' });
  const files = [path.join(directory, 'app/__init__.py'), path.join(directory, 'app/views.py')];
  // Outside the project: a cache folder made inside it changes the times of the folders around the files.
  const cache = path.join(mkdtempSync(path.join(os.tmpdir(), 'csrflint-memo-')), 'cache');
  const memo = (options = '{}') => new RunMemo(cache, options, files, SETTLED);
  memo().write(RESULT);
  assert.deepEqual(memo().read(), RESULT);
  return { directory, files, cache, memo };
}

describe('the memo of a whole run', () => {
  test('is keyed by the installed parsers too: tree-sitter\'s runtime, its Python grammar and htmlparser2', () => {
    const names = parserFiles().map((file) => file.split(path.sep).slice(-2).join('/'));
    for (const expected of ['web-tree-sitter/tree-sitter.wasm', 'wasm/tree-sitter-python.wasm', 'htmlparser2/package.json']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
  });

  test('answers a run over the same files with the same options', () => {
    const { memo } = remembered();
    assert.deepEqual(memo().read(), RESULT);
  });

  test('is not used once a file changes, even to the same size', () => {
    const { files, memo } = remembered();
    writeFileSync(files[1]!, 'x = 2\n');
    assert.equal(memo().read(), undefined);
  });

  test('is not used for other options', () => {
    const { memo } = remembered();
    assert.equal(memo('{"includeTests":true}').read(), undefined);
  });

  test('is not used once a folder around the files gains a file (a project marker)', () => {
    const { directory, memo } = remembered();
    writeFileSync(path.join(directory, 'app', 'setup.py'), '');
    assert.equal(memo().read(), undefined);
  });

  test('is not used when one of the files cannot be read any more', () => {
    const { files, memo } = remembered();
    renameSync(files[1]!, `${files[1]!}.moved`);
    assert.equal(memo().read(), undefined);
  });

  test('is not trusted when its entry was changed by someone without the signing key', () => {
    const { cache, memo } = remembered();
    const entry = path.join(cache, 'runs', readdirSync(path.join(cache, 'runs'))[0]!);
    writeFileSync(entry, readFileSync(entry, 'utf8').replace('remembered', 'forged'));
    assert.equal(memo().read(), undefined);
  });

  test('is not written for a run that read a file changed in the last seconds', () => {
    const { files, cache } = remembered();
    appendFileSync(files[1]!, '# later\n');
    new RunMemo(cache, '{}', files).write({ ...RESULT, errors: [] });
    assert.notDeepEqual(new RunMemo(cache, '{}', files, SETTLED).read()?.errors, []);
  });

  test('leaves the findings of check as they are', async () => {
    const directory = writeProject({ 'pyproject.toml': '', 'app/views.py': 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef hook(request):\n    return None\n' });
    const plain = await check({ paths: ['.'], cwd: directory });
    const cacheDirectory = path.join(directory, '.cache');
    for (let run = 0; run < 2; run++) {
      const memoised = await check({ paths: ['.'], cwd: directory, cacheDirectory, rememberResult: true });
      assert.deepEqual(memoised.findings, plain.findings);
      assert.deepEqual(memoised.errors, plain.errors);
    }
  });

  test('csrflint check --no-memo reports what a run with the memo reports', () => {
    const directory = writeProject({ 'pyproject.toml': '', 'app/views.py': 'from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef hook(request):\n    return None\n' });
    const environment = { XDG_CACHE_HOME: path.join(directory, 'home') };
    const findings = (run: { stdout: string }) => (JSON.parse(run.stdout) as CheckResult).findings;
    const withMemo = runCli(['check', 'app', '--format', 'json'], directory, environment);
    const withoutMemo = runCli(['check', 'app', '--format', 'json', '--no-memo'], directory, environment);
    assert.equal(withoutMemo.status, withMemo.status, withoutMemo.stderr);
    assert.deepEqual(findings(withoutMemo), findings(withMemo));
    assert.equal(findings(withMemo).length, 1);
  });
});
