#!/usr/bin/env node
import { existsSync } from 'node:fs';

/**
 * `keyfence`. The commands that must start fast also exist as programs of one file (the build's
 * ONE_FILE_PROGRAMS): `staged`, run on every commit, and `scan`. Each starts about 30 ms sooner
 * than the split bundle, which loads some twenty modules first. Every other command, and every
 * command when running from source, runs from run.ts.
 */
const PROGRAMS: Record<string, string> = { staged: './hook.js', scan: './scan.js' };
const program = Object.hasOwn(PROGRAMS, process.argv[2] ?? '') ? new URL(PROGRAMS[process.argv[2]!]!, import.meta.url) : undefined;
if (program && existsSync(program)) await import(program.href);
else await import('./run.js');
