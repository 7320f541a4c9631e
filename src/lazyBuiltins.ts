import { createRequire } from 'node:module';

/**
 * Node built-ins that only some runs need, loaded on first use rather than when the program
 * starts: `keyfence staged` and a small scan never hash a finding or start a thread, and a scan
 * outside a repository never runs git; loading crypto and worker_threads alone cost them about
 * 25M instructions of start-up (callgrind).
 */
const load = createRequire(import.meta.url);

export const crypto = (): typeof import('node:crypto') => load('node:crypto') as typeof import('node:crypto');

export const workerThreads = (): typeof import('node:worker_threads') => load('node:worker_threads') as typeof import('node:worker_threads');

export const childProcess = (): typeof import('node:child_process') => load('node:child_process') as typeof import('node:child_process');

export const stream = (): typeof import('node:stream') => load('node:stream') as typeof import('node:stream');
