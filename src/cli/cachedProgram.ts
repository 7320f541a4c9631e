import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { usedFeatures } from '../codeCacheFeatures.js';
import { userCacheDir } from '../userCache.js';

/**
 * Runs one of the programs the build wrote as a script (scripts/build.mjs, ONE_FILE_PROGRAMS with
 * `script`) with V8's code cache. A third of what `keyfence staged` spent beyond node's own start
 * was compiling its JavaScript, lazily, function by function, on every commit (callgrind). A code cache made after
 * a run holds every function that run compiled, so the next run deserialises them instead. Node 22
 * caches compiled modules itself (module.enableCompileCache), but only what is compiled up front,
 * not the functions a run compiles later, and Node 20 not at all; vm.Script does the same on every
 * node, for ES modules too once they are built as a function.
 *
 * The program is `(function (exports, require, module, __keyfenceUrl, __keyfenceImport) {…})`:
 * the build turned its imports into require() calls and its dynamic imports into __keyfenceImport().
 */
type Program = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: ProgramExports },
  url: string,
  load: (specifier: string) => Promise<unknown>,
) => void;
interface ProgramExports {
  /** Settles when the program's command has finished (src/cli/run.ts). */
  finished?: Promise<unknown>;
}

export async function runCachedProgram(program: URL): Promise<void> {
  const path = fileURLToPath(program);
  // The build writes the program in ASCII (scripts/build.mjs, asciiOnly), which latin1 decodes as
  // utf8 would; node 20 and 22 read a file as utf8 8 kB at a time into a buffer that grows by
  // doubling, which touched some 200 pages more for the 0.7 MB hook.js of then (2 ms where a page costs 11 µs).
  const source = readFileSync(path, 'latin1');
  const cache = codeCache(path);
  const cachedData = readCache(cache?.file);
  const script = new vm.Script(source, { filename: path, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as Program;
  const module: { exports: ProgramExports } = { exports: {} };
  const load = (specifier: string) => import(specifier.startsWith('.') ? new URL(specifier, program).href : specifier);
  run(module.exports, createRequire(program), module, program.href, load);
  await module.exports.finished;
  if (!cache) return;
  // A run that used a feature the cache was made without compiled code it lacks: cache it too.
  const features = [...new Set([...cache.features, ...usedFeatures()])].sort();
  if (!cachedData || script.cachedDataRejected || features.length > cache.features.length) {
    writeCache(join(cache.dir, `${cache.stem}${features.map((f) => `+${f}`).join('')}.bin`), script.createCachedData(), path);
  }
}

/**
 * Where the code cache of `path` lives. V8 checks that a cache was made by the same V8 with the
 * same flags for a source of the same length, not the same text: the name carries the program's
 * size, modification time and inode, so a rebuilt or reinstalled program never meets an old cache.
 * After them, the features the runs that made it used (`+config`): of the caches of this program,
 * the one made with the most, which holds what the others hold.
 */
function codeCache(path: string): { dir: string; stem: string; file: string | undefined; features: string[] } | undefined {
  try {
    const { size, mtimeMs, ino } = statSync(path);
    const dir = join(userCacheDir(), 'code');
    const stem = `${cachePrefix(path)}${size}-${Math.trunc(mtimeMs)}-${ino}`;
    let best: { file: string; features: string[] } | undefined;
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const m = name.startsWith(stem) ? /^((?:\+[a-z]+)*)\.bin$/.exec(name.slice(stem.length)) : null;
      const features = m?.[1] ? m[1].slice(1).split('+') : [];
      if (m && (!best || features.length > best.features.length)) best = { file: join(dir, name), features };
    }
    return { dir, stem, file: best?.file, features: best?.features ?? [] };
  } catch {
    return undefined;
  }
}

/** What the caches of every build of this program for this node have in common. */
function cachePrefix(path: string): string {
  return `${basename(path, '.js')}-${process.version}-${process.arch}-`;
}

/**
 * A code cache is code: only one this user wrote, and no one else could change, is used (a cache
 * folder set to a shared place must not let another user run code as this one).
 */
function readCache(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    const { uid, mode } = statSync(file);
    if (process.getuid && (uid !== process.getuid() || (mode & 0o022) !== 0)) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written whole or not at all (another run may be reading it), replacing the caches of earlier
 * builds of the same program for this node; a read-only home just means no cache.
 */
function writeCache(file: string, data: Buffer, program: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
    const earlier = cachePrefix(program);
    for (const old of readdirSync(dir)) if (old.startsWith(earlier) && old.endsWith('.bin') && old !== basename(file)) rmSync(join(dir, old), { force: true });
  } catch {
    // No cache this time.
  }
}
