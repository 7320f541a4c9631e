import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Finding } from '../findings/finding.js';
import type { FileSet } from '../sources/files.js';
import type { Skipped } from '../sources/fragment.js';
import type { Engine } from '../engine/engine.js';
import { workerThreads } from '../lazyBuiltins.js';
import { scanBatch, type BatchResult } from './scanBatch.js';
import { auditWorkflowText, type WorkflowText, type WorkflowTree } from './workflowAudit.js';

export interface FileScanResult {
  findings: Finding[];
  skipped: Skipped[];
  files: number;
  bytes: number;
}

/**
 * Below this many files a worker's start-up (loading the bundle and building its engine, a few
 * hundred milliseconds on a busy machine) costs more than the second core saves.
 */
const PARALLEL_FROM_FILES = 2000;
const BATCH_FILES = 64;

/**
 * Worker threads for a file scan, started once the files are listed and before the configuration
 * is read and the engine built, so that loading the bundle in each worker overlaps that work
 * instead of following it. `scanFiles` takes them over.
 */
export class ScanWorkers {
  private constructor(readonly workers: Worker[]) {}

  /** One worker per core after the first (see defaultThreads); undefined when there is one core or no worker bundle. */
  static start(threads = defaultThreads()): ScanWorkers | undefined {
    if (threads < 2 || !existsSync(fileURLToPath(WORKER_URL))) return undefined;
    const limits = { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } };
    const workers = Array.from({ length: threads - 1 }, () => new (workerThreads().Worker)(WORKER_URL, limits));
    // A worker that fails to load reports it when used; until then the error must not go unhandled.
    for (const worker of workers) worker.on('error', () => {});
    return new ScanWorkers(workers);
  }

  /**
   * Workers for `set` when it is large enough to share. Not started before the listing: a small
   * scan would pay a thread's start-up (about as much CPU as the main thread's own) for nothing.
   */
  static startFor(set: FileSet): ScanWorkers | undefined {
    return set.files.length >= PARALLEL_FROM_FILES ? ScanWorkers.start() : undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * A worker's young generation, in MB. V8's default (some 32 MB of semi-spaces per thread) is most
 * of what a worker adds to the scan's peak memory, for garbage that dies young anyway: a file's
 * text and lines. At 8 MB the tree bench's peak fell by 25 MB and its CPU time did not change.
 */
const WORKER_YOUNG_MB = 8;

/**
 * Scans a set of files on disk. Small sets run in-process; large ones are shared between the main
 * thread and the worker threads (`workers`, or ones started here), all taking small batches from
 * one queue so one slow file cannot leave a core idle. Closes `workers` in every case.
 */
export async function scanFiles(engine: Engine, set: FileSet, workers?: ScanWorkers): Promise<FileScanResult> {
  if (set.files.length < PARALLEL_FROM_FILES) {
    await workers?.close();
    workers = undefined;
  } else {
    workers ??= ScanWorkers.start();
  }
  let results: BatchResult[];
  try {
    results = workers
      ? await scanInWorkers(engine, set, workers.workers)
      : [await scanBatch(engine, { root: set.root, files: set.files, namedWorkflows: set.namedWorkflows })];
  } finally {
    await workers?.close();
  }
  return {
    findings: results.flatMap((r) => r.findings),
    skipped: results.flatMap((r) => r.skipped),
    files: results.reduce((n, r) => n + r.files, 0),
    bytes: results.reduce((n, r) => n + r.bytes, 0),
  };
}

/** One thread per core, at most four: each costs ~30 MB, and the scan stays under 250 MB. */
function defaultThreads(): number {
  const fromEnv = Number(process.env.KEYFENCE_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.min(availableParallelism(), 4);
}

/**
 * The main thread and every worker claim batches of files from one shared counter, so no thread
 * waits for another to hand it work (the main thread cannot answer while it scans a batch itself);
 * the workers post each batch's result as they go, with the workflow files they met, which the
 * main thread audits between its own batches.
 */
async function scanInWorkers(engine: Engine, set: FileSet, workers: Worker[]): Promise<BatchResult[]> {
  const claimed = new Int32Array(new SharedArrayBuffer(4));
  const results: BatchResult[] = [];
  // One tree for the run: the repository the workflow files belong to is read once.
  const tree: WorkflowTree = { root: set.root };
  const workflows: WorkflowText[] = [];
  const runWorker = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (!message.ok) return settle(new Error(`scan worker failed: ${message.error}`));
        if ('done' in message) return settle();
        engine.addObservations(message.result.observations ?? []);
        workflows.push(...(message.result.workflows ?? []));
        results.push(message.result);
      };
      const onError = (error: Error) => settle(new Error(`scan worker failed: ${error.message}`));
      // A worker gone without a word (out of memory, killed) must fail the scan, not hang it.
      const onExit = (code: number) => settle(new Error(`scan worker stopped (exit code ${code}) before finishing its files`));
      const settle = (error?: Error) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ config: engine.config });
      worker.postMessage({
        root: set.root,
        files: set.files,
        namedWorkflows: set.namedWorkflows,
        claimed,
        batchFiles: BATCH_FILES,
      } satisfies SharedScan);
    });
  const auditHandedBack = async () => {
    for (let next = workflows.shift(); next; next = workflows.shift()) {
      results.push({ findings: await auditWorkflowText(next, tree), skipped: [], files: 0, bytes: 0 });
    }
  };
  // The main thread scans too, yielding between batches so the workers' results are taken in.
  const runHere = async () => {
    const claim = () => claimBatch(set.files, claimed, BATCH_FILES);
    for (let batch = claim(); batch !== undefined; batch = claim()) {
      results.push(await scanBatch(engine, { root: set.root, files: batch, namedWorkflows: set.namedWorkflows, tree }));
      await auditHandedBack();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([runHere(), ...workers.map(runWorker)]);
  await auditHandedBack();
  return results;
}

/** What the main thread sends a worker: every file, and the counter batches are claimed from. */
export interface SharedScan {
  root: string;
  files: string[];
  namedWorkflows?: string[] | undefined;
  claimed: Int32Array;
  batchFiles: number;
}

export type WorkerMessage = { ok: true; result: BatchResult } | { ok: true; done: true } | { ok: false; error: string };

/** The next unclaimed batch of `files`, or undefined when all are taken. */
export function claimBatch(files: string[], claimed: Int32Array, size: number): string[] | undefined {
  const from = Atomics.add(claimed, 0, size);
  return from < files.length ? files.slice(from, from + size) : undefined;
}
