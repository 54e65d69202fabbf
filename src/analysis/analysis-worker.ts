import { parentPort, workerData } from 'node:worker_threads';
import { initPythonParser } from '../python/parser.js';
import { FileLoader, type FileLoadSettings, type FileOutcome, type FileRequest } from './file-loader.js';
import type { WorkerReply, WorkerRequest } from './worker-pool.js';

/** A worker thread of the pool: loads the grammar once, then reads, filters and parses the files it is sent. */
const loader = new FileLoader(workerData as FileLoadSettings);
await initPythonParser();
parentPort!.on('message', ({ id, request }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id, outcome: loader.load({ ...request, asJson: true } satisfies FileRequest) as FileOutcome };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply);
});
