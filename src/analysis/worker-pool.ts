import { Worker } from 'node:worker_threads';
import type { FileAnalysis } from '../python/analyse.js';
import type { FactCache } from './fact-cache.js';
import { type AnalysisCounts, type FileAnalyser, InlineAnalyser } from './file-analyser.js';

export interface AnalysisRequest {
  id: number;
  bytes: Uint8Array;
  cacheKey?: string;
}

export interface WorkerSettings {
  cacheDirectory?: string;
}

export type AnalysisReply = { id: number; analysis: FileAnalysis } | { id: number; error: string };

interface PendingJob {
  resolve(analysis: FileAnalysis): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, PendingJob>;
}

const WORKER_SCRIPT = new URL('./analysis-worker.js', import.meta.url);

/**
 * Parses in worker threads, so that the main thread only reads files and merges facts. Starting a
 * worker costs a thread and a grammar load, so the first files of a scan are parsed inline and the
 * workers start only once the scan has shown it has more than `inlineFiles` files to parse: a
 * pre-commit run over three files never pays for them.
 */
export class WorkerPoolAnalyser implements FileAnalyser {
  readonly counts: AnalysisCounts = { parsed: 0, cached: 0 };
  private readonly inline: InlineAnalyser;
  private workers: PoolWorker[] | undefined;
  private nextId = 0;

  constructor(
    private readonly threads: number,
    private readonly inlineFiles: number,
    private readonly cache?: FactCache,
  ) {
    this.inline = new InlineAnalyser(cache);
  }

  async analyse(bytes: Uint8Array, cacheKey?: string): Promise<FileAnalysis> {
    this.counts.parsed++;
    if (this.counts.parsed <= this.inlineFiles) return this.inline.analyse(bytes, cacheKey);
    const worker = this.leastBusyWorker();
    if (!worker) return this.inline.analyse(bytes, cacheKey);
    const id = this.nextId++;
    const request: AnalysisRequest = cacheKey === undefined ? { id, bytes } : { id, bytes, cacheKey };
    return new Promise((resolve, reject) => {
      worker.pending.set(id, { resolve, reject });
      worker.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = [];
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private leastBusyWorker(): PoolWorker | undefined {
    this.workers ??= Array.from({ length: this.threads }, () => this.startWorker());
    let best: PoolWorker | undefined;
    for (const candidate of this.workers) if (!best || candidate.pending.size < best.pending.size) best = candidate;
    return best;
  }

  private startWorker(): PoolWorker {
    const workerData: WorkerSettings = this.cache ? { cacheDirectory: this.cache.cacheDirectory } : {};
    const poolWorker: PoolWorker = { worker: new Worker(WORKER_SCRIPT, { workerData }), pending: new Map() };
    poolWorker.worker.on('message', (reply: AnalysisReply) => settle(poolWorker, reply));
    // A worker that dies takes its jobs with it: they fail, and later files go to the others or inline.
    poolWorker.worker.on('error', (error) => this.retire(poolWorker, error));
    poolWorker.worker.on('exit', (code) => this.retire(poolWorker, new Error(`analysis worker exited with code ${code}`)));
    return poolWorker;
  }

  private retire(poolWorker: PoolWorker, error: Error): void {
    this.workers = this.workers?.filter((candidate) => candidate !== poolWorker);
    for (const job of poolWorker.pending.values()) job.reject(error);
    poolWorker.pending.clear();
  }
}

function settle(poolWorker: PoolWorker, reply: AnalysisReply): void {
  const job = poolWorker.pending.get(reply.id);
  if (!job) return;
  poolWorker.pending.delete(reply.id);
  if ('analysis' in reply) job.resolve(reply.analysis);
  else job.reject(new Error(`analysis worker failed: ${reply.error}`));
}
