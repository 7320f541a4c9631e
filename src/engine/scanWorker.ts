import { parentPort, workerData } from 'node:worker_threads';
import type { KeyfenceConfig } from '../config/config.js';
import { Engine } from './engine.js';
import { scanBatch, type BatchRequest } from './scanBatch.js';

/**
 * A worker thread of the file scan: builds its own engine from the configuration once, then scans
 * the batches of files the main thread sends and posts back what it found.
 */
const engine = new Engine(workerData.config as KeyfenceConfig);
parentPort!.on('message', async (request: BatchRequest) => {
  try {
    parentPort!.postMessage({ ok: true, result: { ...(await scanBatch(engine, request)), observations: engine.takeObservations() } });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: (error as Error).stack ?? String(error) });
  }
});
