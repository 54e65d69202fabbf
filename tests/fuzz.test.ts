import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { analysisFromJson } from '../src/analysis/analysis-json.js';
import { InlineLoading } from '../src/analysis/file-loading.js';
import { WorkerPool } from '../src/analysis/worker-pool.js';
import { check } from '../src/engine.js';
import { analysePythonSource } from '../src/python/analyse.js';
import { initPythonParser } from '../src/python/parser.js';
import { FIXTURES } from './support/paths.js';
import { writeProject } from './support/projects.js';

/** Every Python file of the rule fixtures: the raw material for mutations. */
function fixtureSources(): string[] {
  const sources: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const full = path.join(directory, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.py')) sources.push(readFileSync(full, 'utf8'));
    }
  };
  walk(FIXTURES);
  return sources;
}

/** Python-ish text: the characters that make tree-sitter's error recovery work hardest. */
const pythonFragment = fc.oneof(
  fc.constantFrom('(', ')', '[', ']', '{', '}', ':', '\n', '    ', '"', "'", '"""', '#', '@', '=', ',', '.', '\\', 'def ', 'class ', 'if ', 'lambda', 'csrf_exempt', 'Flask(', 'MIDDLEWARE', '{%', '%}', '\t', '\r\n'),
  fc.string({ maxLength: 8 }),
);

type Mutation = { kind: 'delete'; at: number; length: number } | { kind: 'insert'; at: number; text: string } | { kind: 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.array(pythonFragment, { maxLength: 6 }).map((parts) => parts.join('')) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
);

function mutate(source: string, mutations: readonly Mutation[]): string {
  let text = source;
  for (const change of mutations) {
    const at = text.length === 0 ? 0 : change.at % text.length;
    if (change.kind === 'delete') text = text.slice(0, at) + text.slice(at + change.length);
    else if (change.kind === 'insert') text = text.slice(0, at) + change.text + text.slice(at);
    else text = text.slice(0, at) + text.slice(at, at + change.length) + text.slice(at);
  }
  return text;
}

describe('property: no input crashes or hangs the scanner', () => {
  test('random bytes always give an analysis', { timeout: 60_000 }, async () => {
    await initPythonParser();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        const analysis = analysePythonSource(bytes);
        assert.ok(Array.isArray(analysis.problems));
      }),
      { numRuns: 300 },
    );
  });

  test('random mutations of the rule fixtures scan to a result', { timeout: 120_000 }, async () => {
    const sources = fixtureSources();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sources.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.boolean(), async (index, mutations, asSettings) => {
        const mutated = mutate(sources[index]!, mutations);
        const directory = writeProject({ 'pyproject.toml': '', [asSettings ? 'proj/settings.py' : 'app/views.py']: mutated, 'templates/page.html': mutated });
        const result = await check({ paths: ['.'], cwd: directory, includeTests: true, jobs: 1 });
        for (const finding of result.findings) {
          assert.ok(finding.line >= 1 && finding.column >= 1, JSON.stringify(finding));
          assert.ok(finding.endLine > finding.line || (finding.endLine === finding.line && finding.endColumn >= finding.column), JSON.stringify(finding));
        }
      }),
      { numRuns: 120 },
    );
  });

  test('a worker thread loads a mutated file exactly as the main thread does', { timeout: 120_000 }, async () => {
    const sources = fixtureSources();
    const settings = { maxFileSizeBytes: 1024 * 1024 };
    const inline = new InlineLoading(settings);
    const pool = new WorkerPool(2, 0, settings, inline);
    try {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: sources.length - 1 }), fc.array(mutation, { maxLength: 6 }), async (index, mutations) => {
          const directory = writeProject({ 'module.py': mutate(sources[index]!, mutations) });
          const request = { absolutePath: path.join(directory, 'module.py'), mayPassOver: false };
          const fromWorker = await pool.load(request);
          assert.equal(fromWorker.kind, 'analysed-json');
          const expected = await inline.load(request);
          assert.deepEqual(fromWorker.kind === 'analysed-json' ? { kind: 'analysed', analysis: analysisFromJson(fromWorker.analysisJson), cached: false } : fromWorker, expected);
        }),
        { numRuns: 60 },
      );
    } finally {
      await pool.close();
    }
  });
});
