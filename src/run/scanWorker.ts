import { parentPort } from 'node:worker_threads';
import type { KeyfenceConfig } from '../config/config.js';
import { Engine } from '../engine/engine.js';
import { scanBatch } from './scanBatch.js';
import { claimBatch, type SharedScan, type WorkerMessage } from './scanFiles.js';

/**
 * A worker thread of the file scan. It may be started before the configuration is known (see
 * ScanWorkers): the first message is the configuration, from which it builds its engine once; the
 * second names the files, and the worker claims batches of them until none are left, posting what
 * it found in each (workflow files are handed back, for the main thread to audit), then `done`.
 */
let engine: Engine | undefined;
const post = (message: WorkerMessage) => parentPort!.postMessage(message);
parentPort!.on('message', async (request: { config: KeyfenceConfig } | SharedScan) => {
  try {
    if ('config' in request) {
      engine = new Engine(request.config);
      return;
    }
    if (!engine) throw new Error('files arrived before the configuration');
    const { root, files, namedWorkflows, claimed, batchFiles } = request;
    for (let batch = claimBatch(files, claimed, batchFiles); batch !== undefined; batch = claimBatch(files, claimed, batchFiles)) {
      const result = await scanBatch(engine, { root, files: batch, namedWorkflows, deferWorkflows: true });
      post({ ok: true, result: { ...result, observations: engine.takeObservations() } });
    }
    post({ ok: true, done: true });
  } catch (error) {
    post({ ok: false, error: (error as Error).stack ?? String(error) });
  }
});
