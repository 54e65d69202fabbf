import { analysePythonSource, type FileAnalysis } from '../python/analyse.js';
import { initPythonParser } from '../python/parser.js';
import type { FactCache } from './fact-cache.js';

/** Turns a Python file's bytes into its facts: in this thread, in worker threads, or from the cache. */
export interface FileAnalyser {
  /** With `cacheKey`, the facts are also written to the cache under it. */
  analyse(bytes: Uint8Array, cacheKey?: string): Promise<FileAnalysis>;
  /** Files parsed with tree-sitter, and files whose facts came from the cache, so far. */
  readonly counts: AnalysisCounts;
  close(): Promise<void>;
}

export interface AnalysisCounts {
  parsed: number;
  cached: number;
}

/** Parses on the calling thread: no start-up cost, the right choice for a handful of files. */
export class InlineAnalyser implements FileAnalyser {
  readonly counts: AnalysisCounts = { parsed: 0, cached: 0 };

  constructor(private readonly cache?: FactCache) {}

  async analyse(bytes: Uint8Array, cacheKey?: string): Promise<FileAnalysis> {
    await initPythonParser();
    this.counts.parsed++;
    return analyseAndRemember(bytes, cacheKey, this.cache);
  }

  async close(): Promise<void> {}
}

/** What a worker thread and the inline analyser both do with a file that was not in the cache. */
export function analyseAndRemember(bytes: Uint8Array, cacheKey: string | undefined, cache: FactCache | undefined): FileAnalysis {
  const analysis = analysePythonSource(bytes);
  if (cache && cacheKey !== undefined) cache.write(cacheKey, analysis);
  return analysis;
}
