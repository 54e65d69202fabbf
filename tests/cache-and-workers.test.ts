import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analysisFromJson, analysisToJson } from '../src/analysis/analysis-json.js';
import { createFileLoading, defaultJobs, InlineLoading } from '../src/analysis/file-loading.js';
import { WorkerPool } from '../src/analysis/worker-pool.js';
import { check, type CheckOptions } from '../src/engine.js';
import { analysePythonSource, type FileAnalysis } from '../src/python/analyse.js';
import { initPythonParser } from '../src/python/parser.js';
import { runCli } from './support/cli.js';
import { FIXTURES } from './support/paths.js';
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

/** A cache entry: a header line, then the facts. */
function splitEntry(text: string): [Record<string, unknown>, { facts: Record<string, unknown> }] {
  const newline = text.indexOf('\n');
  return [JSON.parse(text.slice(0, newline)) as Record<string, unknown>, JSON.parse(text.slice(newline + 1)) as { facts: Record<string, unknown> }];
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

function pythonFilesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.py'))
    .map((name) => path.join(directory, name));
}

/** How analyses were written before: the replacer sees every value, so it stands as the reference for the faster writer. */
function writtenByReplacer(analysis: FileAnalysis): string {
  if (!analysis.ok) return JSON.stringify(analysis);
  const calls = analysis.facts.calls;
  return JSON.stringify(analysis, function (this: unknown, key: string, value: unknown) {
    const call = value as { kind?: unknown; id?: unknown } | null;
    if (typeof call !== 'object' || call === null || call.kind !== 'call' || typeof call.id !== 'number' || calls[call.id]?.call !== value) return value;
    return key === 'call' && this === calls[call.id] ? value : { $call: call.id };
  });
}

describe('worker threads', () => {
  test('a worker thread loads files exactly as the main thread does', async () => {
    const directory = writeProject({ 'view.py': EXEMPT_VIEW('one'), 'broken.py': 'def broken(:\n', 'empty.py': '', 'latin.py': '# coding: latin-1\nx = "\u00e9"\n', 'plain.py': 'x = 1\n', 'binary.py': new Uint8Array(8) });
    const settings = { maxFileSizeBytes: 1024 * 1024, prefilterWords: ['csrf'] };
    const inline = new InlineLoading(settings);
    const pool = new WorkerPool(2, 0, settings, inline);
    try {
      for (const name of ['view.py', 'broken.py', 'empty.py', 'latin.py', 'plain.py', 'binary.py', 'missing.py']) {
        const request = { absolutePath: path.join(directory, name), mayPassOver: name === 'plain.py' };
        const fromWorker = await pool.load(request);
        const expected = await inline.load(request);
        const analysed = fromWorker.kind === 'analysed-json' ? { kind: 'analysed', analysis: analysisFromJson(fromWorker.analysisJson), cached: fromWorker.cached } : fromWorker;
        assert.deepEqual(analysed, expected, name);
      }
    } finally {
      await pool.close();
    }
  });

  test('worker threads start only once a scan has more files than the inline threshold', async () => {
    const directory = writeProject(Object.fromEntries(Array.from({ length: 12 }, (_, index) => [`m${index}.py`, EXEMPT_VIEW(`v${index}`)])));
    const settings = { maxFileSizeBytes: 1024 * 1024 };
    const pool = new WorkerPool(2, 10, settings, new InlineLoading(settings));
    try {
      const load = (index: number) => pool.load({ absolutePath: path.join(directory, `m${index}.py`), mayPassOver: true });
      await Promise.all(Array.from({ length: 10 }, (_, index) => load(index)));
      assert.equal(pool.threadsStarted, 0);
      await Promise.all([load(10), load(11)]);
      assert.equal(pool.threadsStarted, 2);
    } finally {
      await pool.close();
    }
  });

  test('a scan known to be bigger than the inline threshold starts worker threads with its first file', async () => {
    const directory = writeProject({ 'm.py': EXEMPT_VIEW('v') });
    const settings = { maxFileSizeBytes: 1024 * 1024 };
    const small = createFileLoading(settings, 2, 10) as WorkerPool;
    const large = createFileLoading(settings, 2, 1000) as WorkerPool;
    try {
      for (const loading of [small, large]) await loading.load({ absolutePath: path.join(directory, 'm.py'), mayPassOver: true });
      assert.equal(small.threadsStarted, 0);
      assert.equal(large.threadsStarted, 2);
    } finally {
      await Promise.all([small.close(), large.close()]);
    }
  });

  // An explicit --jobs is passed to createFileLoading as is: the test above starts 2 threads by it.
  test('without --jobs, a machine with 2 cores or fewer parses on the main thread; more cores get one thread each', () => {
    assert.deepEqual([1, 2, 3, 4, 16].map(defaultJobs), [1, 1, 3, 4, 16]);
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
  test('facts read back from JSON equal fresh ones, each call written once and shared again', async () => {
    await initPythonParser();
    const source = 'x = a(b(c(d())), key=e())\nreturn_value = [f(g()) for _ in h()]\n@route(i())\ndef view(request=j()):\n    return k(l())\n';
    const fresh = analysePythonSource(new TextEncoder().encode(source));
    assert.ok(fresh.ok);
    const json = analysisToJson(fresh);
    assert.equal(json.split('"kind":"call"').length - 1, fresh.facts.calls.length);
    const readBack = analysisFromJson(json);
    assert.deepEqual(readBack, fresh);
    assert.ok(readBack?.ok);
    const [assignment] = readBack.facts.assignments;
    assert.equal(assignment?.value, readBack.facts.calls[0]?.call);
    assert.equal(analysisFromJson(json.replace('{"$call":1}', '{"$call":99}')), undefined);
    assert.equal(analysisFromJson(json.replace('{"$call":1}', '{"$call":0}')), undefined);
  });

  test('facts are written byte for byte as a JSON.stringify replacer wrote them, for every fixture file', async () => {
    await initPythonParser();
    const sources = pythonFilesUnder(FIXTURES);
    assert.ok(sources.length > 100);
    for (const file of sources) {
      const analysis = analysePythonSource(readFileSync(file));
      assert.equal(analysisToJson(analysis), writtenByReplacer(analysis), file);
    }
  });

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
    const entryText = (file: string) => readFileSync(file, 'utf8');
    const [header, facts] = splitEntry(entryText(third!));
    writeFileSync(first!, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]));
    writeFileSync(second!, `${JSON.stringify({ ...header, version: '0.0.0-other' })}\n${JSON.stringify(facts)}`);
    writeFileSync(third!, `${JSON.stringify(header)}\n${JSON.stringify({ ...facts, facts: { ...facts.facts, calls: 'not a list' } })}`);
    const [otherHeader] = splitEntry(entryText(rest[0]!));
    writeFileSync(rest[0]!, `${JSON.stringify(otherHeader)}\n{"ok": true, "problems": [], "facts": {}}`);

    const rebuilt = await scan(directory, { cacheDirectory });
    assert.equal(rebuilt.stats.filesParsed, 4);
    assert.deepEqual(rebuilt.findings, cold.findings);
    const warm = await scan(directory, { cacheDirectory });
    assert.equal(warm.stats.filesParsed, 0);
  });

  test('the CLI caches in the user cache folder by default, under --cache-dir on request, and not at all with --no-cache', () => {
    const directory = writeProject({ 'proj/pyproject.toml': '[tool.csrflint]\n', 'proj/shop/views.py': EXEMPT_VIEW('hook'), 'home/.keep': '' });
    const environment = { XDG_CACHE_HOME: path.join(directory, 'home') };
    assert.equal(runCli(['check', 'proj', '--no-cache'], directory, environment).status, 1);
    assert.ok(!existsSync(path.join(directory, 'home', 'csrflint', 'projects')));
    assert.equal(runCli(['check', 'proj'], directory, environment).status, 1);
    assert.ok(!existsSync(path.join(directory, 'proj', '.csrflint_cache')));
    const [projectCache] = readdirSync(path.join(directory, 'home', 'csrflint', 'projects')).map((name) => path.join(directory, 'home', 'csrflint', 'projects', name));
    assert.equal(cacheEntries(projectCache!).length, 1);
    assert.equal(readFileSync(path.join(projectCache!, '.gitignore'), 'utf8').split('\n')[1], '*');
    assert.ok(readFileSync(path.join(projectCache!, 'CACHEDIR.TAG'), 'utf8').startsWith('Signature: 8a477f597d28d172789f06886806bc55'));
    assert.equal(runCli(['check', 'proj', '--cache-dir', 'elsewhere'], directory, environment).status, 1);
    assert.equal(cacheEntries(path.join(directory, 'elsewhere')).length, 1);
    assert.equal(runCli(['check', 'proj', '--no-cache', '--cache-dir', 'x'], directory, environment).status, 2);
  });

  test('an unwritable cache folder only costs speed', async () => {
    const directory = writeProject({ 'pyproject.toml': '', 'views.py': EXEMPT_VIEW('hook'), 'cache': 'a file where the cache folder would go' });
    const result = await scan(directory, { cacheDirectory: path.join(directory, 'cache') });
    assert.equal(result.findings.length, 1);
    assert.deepEqual(result.errors, []);
  });
});
