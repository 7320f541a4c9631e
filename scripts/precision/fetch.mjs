// Downloading the pinned archives with the registries' own clients (`npm pack`, `apt-get download`),
// once: an archive in the cache is reused by every later run.

import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spec } from './corpus.mjs';
import { SetupError } from './errors.mjs';
import { firstErrorLine, run } from './exec.mjs';

/** Where a package's archive is cached. Debian epochs (`1:`) are spelled `1%3a`, as apt names its files. */
function archivePath(entry, downloads) {
  const version = entry.version.replace(/:/g, '%3a');
  return entry.source === 'npm' ? join(downloads, 'npm', `${entry.dir}-${version}.tgz`) : join(downloads, 'deb', `${entry.dir}_${version}.deb`);
}

/** Whether the archive is in the cache. It is renamed there only once complete, so a non-empty file is whole. */
export function isCached(entry, downloads) {
  try {
    return statSync(archivePath(entry, downloads)).size > 0;
  } catch {
    return false;
  }
}

/**
 * Downloads one archive into the cache (through a private folder under `tmp` and a rename, so an
 * interrupted download leaves nothing that looks cached) and returns its path.
 */
export async function fetchArchive(entry, { downloads, tmp }) {
  const target = archivePath(entry, downloads);
  if (isCached(entry, downloads)) return target;
  mkdirSync(tmp, { recursive: true });
  const work = mkdtempSync(join(tmp, 'download-'));
  try {
    await (entry.source === 'npm' ? npmPack(entry, work) : aptDownload(entry, work));
    const files = readdirSync(work).filter((f) => f.endsWith(entry.source === 'npm' ? '.tgz' : '.deb'));
    if (files.length !== 1) throw new SetupError(`${spec(entry)}: expected one archive, the download left ${files.length}`);
    mkdirSync(join(target, '..'), { recursive: true });
    renameSync(join(work, files[0]), target);
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function npmPack(entry, work) {
  const { code, stderr } = await run('npm', ['pack', spec(entry), '--pack-destination', work, '--ignore-scripts', '--loglevel=error'], { cwd: work });
  if (code === 0) return;
  const npmCode = /code (E[A-Z0-9]+)/.exec(stderr)?.[1];
  if (npmCode === 'ETARGET' || npmCode === 'E404')
    throw new SetupError(
      `npm package ${spec(entry)} is not served (any more: ${npmCode}): pick a version \`npm view ${entry.name} versions\` lists ` +
        'and update it in scripts/precision/corpus.json (then re-judge its findings in docs/precision.md)',
    );
  throw new SetupError(`npm pack ${spec(entry)} failed: ${firstErrorLine(stderr)}`);
}

const NOT_SERVED = /Unable to locate package|was not found|has no installation candidate|no longer available|Can't find a source to download/;
/** One `apt-get update` per run at most, shared by the downloads running side by side. */
let aptUpdate;

/**
 * `apt-get download NAME=VERSION`. A version apt does not know may only mean that the package
 * lists are missing or old (a fresh machine): one `apt-get update`, then one more try.
 */
async function aptDownload(entry, work) {
  const download = () => run('apt-get', ['download', '-q', spec(entry)], { cwd: work });
  let result = await download();
  if (result.code !== 0 && NOT_SERVED.test(result.stderr)) {
    aptUpdate ??= run('apt-get', ['update', '-qq']);
    await aptUpdate;
    result = await download();
  }
  if (result.code === 0) return;
  if (NOT_SERVED.test(result.stderr))
    throw new SetupError(
      `deb package ${spec(entry)} is not served (any more) by the Debian mirror: \`apt-cache policy ${entry.name}\` shows the version ` +
        'it serves; update it in scripts/precision/corpus.json (then re-judge its findings in docs/precision.md)',
    );
  throw new SetupError(`apt-get download ${spec(entry)} failed: ${firstErrorLine(result.stderr)}`);
}
