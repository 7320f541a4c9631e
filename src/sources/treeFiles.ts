import type { Fragment } from './fragment.js';
import { BlobReader, git } from './git.js';
import { isBinary } from './binary.js';

/**
 * Whole files of the index (`from: 'index'`) or of a commit whose path passes `want`, read from git
 * rather than the work tree. Used to compare what a change adds against the other environments'
 * config files as they will be after it, without reporting on those files themselves.
 */
export async function readTreeFiles(root: string, from: 'index' | string, want: (path: string) => boolean, maxBytes: number): Promise<Fragment[]> {
  const listing = from === 'index' ? await git(['ls-files', '-z', '-s'], root) : await git(['ls-tree', '-r', '-z', '--full-tree', from], root);
  const entries: Array<{ id: string; path: string }> = [];
  for (const record of listing.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const path = record.slice(tab + 1);
    // index: `<mode> <id> <stage>`; tree: `<mode> <type> <id>`. Regular files only, merged entries only.
    const [mode, second, third] = record.slice(0, tab).split(' ');
    if (mode !== '100644' && mode !== '100755') continue;
    const id = from === 'index' ? second : third;
    if (from === 'index' && third !== '0') continue;
    if (id && want(path)) entries.push({ id, path });
  }
  if (entries.length === 0) return [];
  const reader = new BlobReader(root, maxBytes);
  try {
    const blobs = await Promise.all(entries.map((e) => reader.read(e.id)));
    return entries.flatMap((e, i) => {
      const blob = blobs[i];
      return blob && !isBinary(blob) ? [{ file: e.path, text: blob.toString('utf8'), firstLine: 1, bytes: blob.length }] : [];
    });
  } finally {
    reader.close();
  }
}
