import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Finding, ScanStats } from '../findings/finding.js';
import type { FileSet } from '../sources/files.js';
import type { Skipped } from '../sources/fragment.js';
import type { Engine } from './engine.js';
import { scanBatch, type BatchResult } from './scanBatch.js';

export interface FileScanResult {
  findings: Finding[];
  stats: ScanStats;
  skipped: Skipped[];
}

/**
 * Below this many files a worker's start-up (loading the bundle and building its engine, a few
 * hundred milliseconds on a busy machine) costs more than the second core saves.
 */
const PARALLEL_FROM_FILES = 2000;
const BATCH_FILES = 64;

/**
 * Scans a set of files on disk. Small sets run in-process; large ones are shared between the main
 * thread and one worker thread per further core, all taking small batches from one queue so one
 * slow file cannot leave a core idle.
 */
export async function scanFiles(engine: Engine, set: FileSet, threads = defaultThreads()): Promise<FileScanResult> {
  const started = performance.now();
  const workerUrl = new URL('./worker.js', import.meta.url);
  const parallel = threads > 1 && set.files.length >= PARALLEL_FROM_FILES && existsSync(fileURLToPath(workerUrl));
  const results = parallel
    ? await scanInWorkers(engine, set, threads, workerUrl)
    : [await scanBatch(engine, { root: set.root, files: set.files })];
  const findings = results.flatMap((r) => r.findings);
  const skipped = results.flatMap((r) => r.skipped);
  const files = results.reduce((n, r) => n + r.files, 0);
  const bytes = results.reduce((n, r) => n + r.bytes, 0);
  return { findings, skipped, stats: { files, bytes, commits: 0, durationMs: Math.round(performance.now() - started), skipped: skipped.length } };
}

/** One thread per core, at most four: each costs ~30 MB, and the scan stays under 250 MB. */
function defaultThreads(): number {
  const fromEnv = Number(process.env.KEYFENCE_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.min(availableParallelism(), 4);
}

async function scanInWorkers(engine: Engine, set: FileSet, threads: number, url: URL): Promise<BatchResult[]> {
  const batches: string[][] = [];
  for (let i = 0; i < set.files.length; i += BATCH_FILES) batches.push(set.files.slice(i, i + BATCH_FILES));
  const results: BatchResult[] = [];
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(url, { workerData: { config: engine.config } });
      const feed = () => {
        const batch = batches[next++];
        if (batch === undefined) {
          void worker.terminate().then(() => resolve());
          return;
        }
        worker.postMessage({ root: set.root, files: batch });
      };
      worker.on('message', (message: { ok: true; result: BatchResult } | { ok: false; error: string }) => {
        if (!message.ok) {
          void worker.terminate();
          reject(new Error(`scan worker failed: ${message.error}`));
          return;
        }
        engine.addObservations(message.result.observations ?? []);
        results.push(message.result);
        feed();
      });
      worker.on('error', reject);
      feed();
    });
  // The main thread scans too, yielding between batches so the workers' results are taken in.
  const runHere = async () => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      results.push(await scanBatch(engine, { root: set.root, files: batch }));
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all([runHere(), ...Array.from({ length: Math.min(threads - 1, batches.length) }, runWorker)]);
  return results;
}

/** One note per kind of skip, naming a few files, so a large tree does not flood the report. */
export function skipNotes(skipped: Skipped[]): string[] {
  const byReason = new Map<string, Skipped[]>();
  for (const s of skipped) {
    if (s.reason === 'binary') continue;
    byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  }
  const notes: string[] = [];
  for (const [reason, list] of byReason) {
    const names = list.slice(0, 3).map((s) => (s.detail ? `${s.file} (${s.detail})` : s.file));
    const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
    const why = { 'too-large': 'skipped, over maxFileSize', unreadable: 'could not be read', symlink: 'symlinks not followed', submodule: 'submodules skipped', 'not-utf8': 'not UTF-8' }[reason] ?? reason;
    notes.push(`${list.length} file${list.length === 1 ? '' : 's'} ${why}: ${names.join(', ')}${more}`);
  }
  return notes;
}
