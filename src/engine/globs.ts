import { createRequire } from 'node:module';

type Micromatch = typeof import('micromatch');
let micromatch: Micromatch | undefined;

/**
 * micromatch, loaded on first use rather than with the bundle: a pre-commit hook with the default
 * configuration matches no glob (the build compiles the built-in rules' `files:`), and loading it
 * costs about 10 ms of the hook's start-up. It is a runtime dependency of the package, so it is
 * always there to load; the Action's single-file bundle imports it up front instead
 * (scripts/buildAction.mjs), and the hook's and scan's programs hold it, still loaded on first
 * use, under their code cache (scripts/build.mjs, lazyBundledGlobs).
 */
export function globs(): Micromatch {
  return (micromatch ??= createRequire(import.meta.url)('micromatch') as Micromatch);
}
