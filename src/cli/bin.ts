#!/usr/bin/env node
import { existsSync } from 'node:fs';

/**
 * `keyfence`. `keyfence staged` runs on every commit, so the build also makes the program as one
 * file that holds just what `staged` needs (dist/hook.js, scripts/build.mjs): it starts about 30 ms
 * sooner than the split bundle, which loads some twenty modules first. Without it (running from
 * source) everything runs from run.ts.
 */
const hook = new URL('./hook.js', import.meta.url);
if (process.argv[2] === 'staged' && existsSync(hook)) await import(hook.href);
else await import('./run.js');
