#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { abandonEarlyStagedGit, startStagedGitEarly } from '../sources/stagedGit.js';
import { runCachedProgram } from './cachedProgram.js';

/**
 * `keyfence`. The commands that must start fast also exist as programs of one file (the build's
 * ONE_FILE_PROGRAMS): `staged`, run on every commit, and `scan`. Each starts sooner than the split
 * bundle, which loads some twenty modules first, and runs with V8's code cache (cachedProgram.ts).
 * Every other command, and every command when running from source, runs from run.ts.
 */
const PROGRAMS: Record<string, string> = { staged: './hook.js', scan: './scan.js' };
const command = process.argv[2] ?? '';
const program = Object.hasOwn(PROGRAMS, command) ? new URL(PROGRAMS[command]!, import.meta.url) : undefined;

// The hook's git starts first, so git reads the index while node loads the program.
const early = command === 'staged' && !process.argv.some((a) => a === '--help' || a === '-h');
if (early) startStagedGitEarly(process.cwd());
// No top-level await: the build makes a CommonJS launcher of this file too (scripts/build.mjs).
void (async () => {
  try {
    if (program && existsSync(program)) await runCachedProgram(program);
    else await (await import('./run.js')).finished;
  } finally {
    if (early) abandonEarlyStagedGit();
  }
})();
