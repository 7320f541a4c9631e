// Unpacking the archives into the corpus folder, one folder per package, with a marker per package
// (outside the corpus, so the scan never reads it) saying what was unpacked and how much text it holds.

import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spec } from './corpus.mjs';
import { SetupError } from './errors.mjs';
import { firstErrorLine, run } from './exec.mjs';

/** How git and most scanners tell text from binary: a NUL byte in the first 8,000 bytes. */
const SNIFF = 8000;
const sniffBuffer = Buffer.alloc(SNIFF);

const markerPath = (entry, state) => join(state, `${entry.dir}.json`);

/** The marker of a package unpacked at this very version and source, else undefined (unpack again). */
export function currentMarker(entry, { corpus, state }) {
  let marker;
  try {
    marker = JSON.parse(readFileSync(markerPath(entry, state), 'utf8'));
  } catch {
    return undefined;
  }
  const same = marker.name === entry.name && marker.version === entry.version && marker.source === entry.source;
  return same && existsSync(join(corpus, entry.dir)) ? { ...marker, language: entry.language } : undefined;
}

/**
 * Unpacks one archive into `corpus/<dir>`: into a private folder first, measured there, then renamed
 * into place, and only then marked. An interrupted run leaves either no folder or a folder without
 * a marker, which the next run unpacks again: never half a package that counts as done.
 */
export async function extract(entry, archive, { corpus, state, tmp }) {
  rmSync(markerPath(entry, state), { force: true });
  mkdirSync(tmp, { recursive: true });
  const work = mkdtempSync(join(tmp, 'extract-'));
  try {
    const args =
      entry.source === 'npm'
        ? // npm tarballs hold one top folder (`package/` for most): the package's own files go straight under <dir>.
          ['tar', ['-xzf', archive, '-C', work, '--strip-components=1', '--no-same-owner', '--no-same-permissions']]
        : ['dpkg-deb', ['-x', archive, work]];
    const { code, stderr } = await run(...args);
    if (code !== 0) throw new SetupError(`cannot unpack ${spec(entry)} (${archive}): ${firstErrorLine(stderr)}; delete the file to download it again`);
    // Some archives hold folders without the owner's write or search bit: the cache must stay removable.
    await run('chmod', ['-R', 'u+rwX', work]);
    const sizes = measure(work);
    const dest = join(corpus, entry.dir);
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(corpus, { recursive: true });
    renameSync(work, dest);
    const marker = { name: entry.name, version: entry.version, source: entry.source, ...sizes };
    mkdirSync(state, { recursive: true });
    writeFileSync(`${markerPath(entry, state)}.tmp`, `${JSON.stringify(marker, null, 2)}\n`);
    renameSync(`${markerPath(entry, state)}.tmp`, markerPath(entry, state));
    return { ...marker, language: entry.language };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Files and bytes under `dir`, and how many of them are text (symlinks are not followed, as the scan does not). */
function measure(dir) {
  const sizes = { files: 0, bytes: 0, textFiles: 0, textBytes: 0 };
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath ?? e.path, e.name);
    const size = statSync(path).size;
    sizes.files++;
    sizes.bytes += size;
    if (isText(path)) {
      sizes.textFiles++;
      sizes.textBytes += size;
    }
  }
  return sizes;
}

function isText(path) {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, sniffBuffer, 0, SNIFF, 0);
    return !sniffBuffer.subarray(0, n).includes(0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes what the list no longer names (a package dropped or renamed: its folder would still be
 * scanned) and the private folders of runs that were interrupted.
 */
export function prune(entries, { corpus, state, tmp }) {
  const dirs = new Set(entries.map((e) => e.dir));
  const removed = [];
  if (existsSync(corpus)) {
    for (const name of readdirSync(corpus)) {
      if (dirs.has(name)) continue;
      rmSync(join(corpus, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  if (existsSync(state)) {
    for (const name of readdirSync(state)) if (!dirs.has(name.replace(/\.json(\.tmp)?$/, ''))) rmSync(join(state, name), { force: true });
  }
  rmSync(tmp, { recursive: true, force: true });
  return removed;
}
