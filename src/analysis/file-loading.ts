import { availableParallelism } from 'node:os';
import { initPythonParser } from '../python/parser.js';
import { FileLoader, type FileLoadSettings, type FileOutcome, type FileRequest } from './file-loader.js';
import { WorkerPool } from './worker-pool.js';

/** Loads files on this thread or in worker threads; either way the answers come back as promises. */
export interface FileLoading {
  load(request: FileRequest): Promise<FileOutcome>;
  close(): Promise<void>;
}

/**
 * Files loaded on the main thread before worker threads start: starting them costs a thread and a
 * grammar load each, so a scan of a few dozen files (a pre-commit run, a test fixture) never does.
 */
const INLINE_FILES = 150;

/**
 * With `expectedFiles` (the files found so far) over the inline threshold, worker threads take every
 * file from the first: the main thread then never loads a grammar of its own, which only cost memory
 * and kept the workers waiting.
 */
export function createFileLoading(settings: FileLoadSettings, jobs = defaultJobs(availableParallelism()), expectedFiles = 0): FileLoading {
  const inline = new InlineLoading(settings);
  if (jobs <= 1) return inline;
  return new WorkerPool(jobs, expectedFiles > INLINE_FILES ? 0 : INLINE_FILES, settings, inline);
}

/**
 * Threads that parse when `--jobs` is not given: one per core, but none beside the main thread on
 * two cores or fewer. There a pool costs more than it saves: each thread starts and loads the
 * grammar, every analysis is cloned back to the main thread, and the main thread's own work on the
 * project leaves a second core little to gain (a cold scan of Django took 28% less CPU inline).
 */
export function defaultJobs(availableParallelism: number): number {
  return availableParallelism <= 2 ? 1 : availableParallelism;
}

export class InlineLoading implements FileLoading {
  private readonly loader: FileLoader;

  constructor(settings: FileLoadSettings) {
    this.loader = new FileLoader(settings);
  }

  async load(request: FileRequest): Promise<FileOutcome> {
    await initPythonParser();
    return this.loader.load(request);
  }

  async close(): Promise<void> {}
}
