import { parentPort, workerData } from 'node:worker_threads';
import { initPythonParser } from '../python/parser.js';
import { FactCache } from './fact-cache.js';
import { analyseAndRemember } from './file-analyser.js';
import type { AnalysisReply, AnalysisRequest, WorkerSettings } from './worker-pool.js';

/** A worker thread of the pool: loads the grammar once, then answers each file with its facts. */
const settings = workerData as WorkerSettings;
const cache = settings.cacheDirectory === undefined ? undefined : new FactCache(settings.cacheDirectory);
await initPythonParser();
parentPort!.on('message', ({ id, bytes, cacheKey }: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    reply = { id, analysis: analyseAndRemember(bytes, cacheKey, cache) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply);
});
