import { Worker } from 'node:worker_threads';
import type { FileLoadSettings, FileOutcome, FileRequest } from './file-loader.js';
import type { FileLoading } from './file-loading.js';

export interface WorkerRequest {
  id: number;
  request: FileRequest;
}

export type WorkerReply = { id: number; outcome: FileOutcome } | { id: number; error: string };

interface PendingJob {
  resolve(outcome: FileOutcome): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, PendingJob>;
}

const WORKER_SCRIPT = new URL('./analysis-worker.js', import.meta.url);

/**
 * A worker's garbage is short-lived (trees' wrappers, each file's JSON): a small young generation
 * collects it as fast, and kept 30-45 MB off the peak RSS of a two-worker scan of the standard library.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Reads, filters and parses files in worker threads, so that the main thread only walks the tree
 * and merges facts. The first `inlineFiles` files are loaded inline, and the workers start only
 * when a scan turns out to be bigger than that.
 */
export class WorkerPool implements FileLoading {
  private workers: PoolWorker[] | undefined;
  private requested = 0;
  private nextId = 0;

  constructor(
    private readonly threads: number,
    private readonly inlineFiles: number,
    private readonly settings: FileLoadSettings,
    private readonly inline: FileLoading,
  ) {}

  /** Worker threads started so far: none until the scan has shown it is bigger than `inlineFiles`. */
  get threadsStarted(): number {
    return this.workers?.length ?? 0;
  }

  load(request: FileRequest): Promise<FileOutcome> {
    this.requested++;
    const worker = this.requested > this.inlineFiles ? this.leastBusyWorker() : undefined;
    if (!worker) return this.inline.load(request);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      worker.pending.set(id, { resolve, reject });
      worker.worker.postMessage({ id, request } satisfies WorkerRequest);
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
    const poolWorker: PoolWorker = { worker: new Worker(WORKER_SCRIPT, { workerData: this.settings, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), pending: new Map() };
    poolWorker.worker.on('message', (reply: WorkerReply) => settle(poolWorker, reply));
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

function settle(poolWorker: PoolWorker, reply: WorkerReply): void {
  const job = poolWorker.pending.get(reply.id);
  if (!job) return;
  poolWorker.pending.delete(reply.id);
  if ('outcome' in reply) job.resolve(reply.outcome);
  else job.reject(new Error(`analysis worker failed: ${reply.error}`));
}
