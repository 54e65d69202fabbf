import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { WorkerPoolAnalyser } from '../src/analysis/worker-pool.js';
import { check, type CheckOptions } from '../src/engine.js';
import { analysePythonSource } from '../src/python/analyse.js';
import { initPythonParser } from '../src/python/parser.js';
import { runCli } from './support/cli.js';
import { writeProject } from './support/projects.js';

const EXEMPT_VIEW = (name: string) => `from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef ${name}(request):\n    return None\n`;

/** A project with more files to parse than the inline threshold, so that workers start. */
function largeProject(): string {
  const files: Record<string, string> = { 'pyproject.toml': '' };
  for (let index = 0; index < 120; index++) files[`shop/views_${index}.py`] = EXEMPT_VIEW(`hook_${index}`);
  files['shop/broken.py'] = `${EXEMPT_VIEW('broken')}def oops(:\n`;
  return writeProject(files);
}

async function scan(directory: string, options: Partial<CheckOptions> = {}) {
  const result = await check({ paths: ['.'], cwd: directory, ...options });
  return { findings: result.findings.map((finding) => `${finding.path}:${finding.line} ${finding.fingerprint}`), errors: result.errors, stats: result.stats };
}

function cacheEntries(cacheDirectory: string): string[] {
  const entries: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/^[0-9a-f]{64}$/.test(name)) entries.push(full);
    }
  };
  walk(cacheDirectory);
  return entries;
}

describe('worker threads', () => {
  test('a worker gives the same facts as the main thread', async () => {
    await initPythonParser();
    const pool = new WorkerPoolAnalyser(2, 0);
    try {
      const sources = [EXEMPT_VIEW('one'), 'def broken(:\n', '', 'x = "\u00e9"\n'].map((text) => Buffer.from(text));
      const fromWorkers = await Promise.all(sources.map((bytes) => pool.analyse(bytes)));
      assert.deepEqual(fromWorkers, sources.map((bytes) => analysePythonSource(bytes)));
      assert.equal(pool.counts.parsed, sources.length);
    } finally {
      await pool.close();
    }
  });

  test('a scan with workers reports exactly what a single-threaded scan does', async () => {
    const directory = largeProject();
    const single = await scan(directory, { jobs: 1 });
    const parallel = await scan(directory, { jobs: 2 });
    assert.equal(single.findings.length, 121);
    assert.deepEqual(parallel.findings, single.findings);
    assert.deepEqual(parallel.errors, single.errors);
    assert.deepEqual(parallel.errors, [{ path: 'shop/broken.py', message: 'missing ) at 7:10; analysed the rest' }]);
  });
});

describe('fact cache', () => {
  test('a second run over an unchanged tree parses no file; a changed file is parsed again', async () => {
    const directory = largeProject();
    const cacheDirectory = path.join(directory, '.csrflint_cache');
    const cold = await scan(directory, { cacheDirectory });
    assert.equal(cold.stats.filesParsed, 121);
    assert.equal(cold.stats.filesCached, 0);
    const warm = await scan(directory, { cacheDirectory });
    assert.equal(warm.stats.filesParsed, 0);
    assert.equal(warm.stats.filesCached, 121);
    assert.deepEqual(warm.findings, cold.findings);
    assert.deepEqual(warm.errors, cold.errors);

    writeFileSync(path.join(directory, 'shop', 'views_7.py'), `"""Changed."""\n${EXEMPT_VIEW('hook_7')}`);
    const changed = await scan(directory, { cacheDirectory });
    assert.equal(changed.stats.filesParsed, 1);
    assert.equal(changed.stats.filesCached, 120);
    assert.ok(changed.findings.includes(cold.findings.find((finding) => finding.startsWith('shop/views_7.py:4'))!.replace(':4 ', ':5 ')));
  });

  test('corrupt, foreign or mismatched entries are ignored and rewritten, never trusted', async () => {
    const directory = largeProject();
    const cacheDirectory = path.join(directory, 'cache');
    const cold = await scan(directory, { cacheDirectory });
    const entries = cacheEntries(cacheDirectory);
    assert.equal(entries.length, 121);
    const [first, second, third, ...rest] = entries;
    writeFileSync(first!, 'not gzip at all');
    writeFileSync(second!, gzipSync('{"tool": "csrflint", "version": "0.0.0-other", "format": 1, "key": "x", "analysis": {}}'));
    const lying = JSON.parse(gunzipSync(readFileSync(third!)).toString('utf8')) as { analysis: { facts: { calls: unknown } } };
    lying.analysis.facts.calls = 'not a list';
    writeFileSync(third!, gzipSync(JSON.stringify(lying)));
    const emptyFacts = { tool: 'csrflint', version: '', format: 1, key: path.basename(rest[0]!), analysis: { ok: true, problems: [], facts: {} } };
    writeFileSync(rest[0]!, gzipSync(JSON.stringify(emptyFacts)));

    const rebuilt = await scan(directory, { cacheDirectory });
    assert.equal(rebuilt.stats.filesParsed, 4);
    assert.deepEqual(rebuilt.findings, cold.findings);
    const warm = await scan(directory, { cacheDirectory });
    assert.equal(warm.stats.filesParsed, 0);
  });

  test('the CLI caches beside the configuration by default, under --cache-dir on request, and not at all with --no-cache', () => {
    const directory = writeProject({ 'proj/pyproject.toml': '[tool.csrflint]\n', 'proj/shop/views.py': EXEMPT_VIEW('hook') });
    assert.equal(runCli(['check', 'proj', '--no-cache'], directory).status, 1);
    assert.ok(!existsSync(path.join(directory, 'proj', '.csrflint_cache')));
    assert.equal(runCli(['check', 'proj'], directory).status, 1);
    assert.equal(readFileSync(path.join(directory, 'proj', '.csrflint_cache', '.gitignore'), 'utf8').split('\n')[1], '*');
    assert.ok(readFileSync(path.join(directory, 'proj', '.csrflint_cache', 'CACHEDIR.TAG'), 'utf8').startsWith('Signature: 8a477f597d28d172789f06886806bc55'));
    assert.equal(runCli(['check', 'proj', '--cache-dir', 'elsewhere'], directory).status, 1);
    assert.equal(cacheEntries(path.join(directory, 'elsewhere')).length, 1);
    assert.equal(runCli(['check', 'proj', '--no-cache', '--cache-dir', 'x'], directory).status, 2);
  });

  test('an unwritable cache folder only costs speed', async () => {
    const directory = writeProject({ 'pyproject.toml': '', 'views.py': EXEMPT_VIEW('hook'), 'cache': 'a file where the cache folder would go' });
    const result = await scan(directory, { cacheDirectory: path.join(directory, 'cache') });
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.errors, []);
  });
});
