import { availableParallelism } from 'node:os';
import { CacheFirstAnalyser, FactCache } from './fact-cache.js';
import { type FileAnalyser, InlineAnalyser } from './file-analyser.js';
import { WorkerPoolAnalyser } from './worker-pool.js';

export type { AnalysisCounts, FileAnalyser } from './file-analyser.js';

/**
 * Files parsed inline before the worker threads start: about what the threads' start-up costs in
 * parsing time, so that small scans (a pre-commit run, a test fixture) never start them.
 */
const INLINE_FILES = 48;

export interface AnalyserOptions {
  /** Threads that parse; 1 parses on the main thread. Default: one per core. */
  jobs?: number;
  /** Where facts are cached by content; no cache without it. */
  cacheDirectory?: string;
}

export function createAnalyser(options: AnalyserOptions): FileAnalyser {
  const jobs = options.jobs ?? availableParallelism();
  const cache = options.cacheDirectory === undefined ? undefined : new FactCache(options.cacheDirectory);
  const parser = jobs > 1 ? new WorkerPoolAnalyser(jobs, INLINE_FILES, cache) : new InlineAnalyser(cache);
  return cache ? new CacheFirstAnalyser(cache, parser) : parser;
}
