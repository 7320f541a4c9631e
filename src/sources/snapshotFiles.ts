import { readFileFragment } from './files.js';
import type { Fragment } from './fragment.js';
import { BlobReader, git } from './git.js';
import { isBinary } from './binary.js';
import type { Snapshot } from './source.js';

/**
 * Whole files of a snapshot whose path passes `want`: the work tree (tracked and untracked files
 * that are not ignored, read from disk), the index, or a commit (read from git). What a run judges
 * whole: the workflow files a change touches, and the other environments' config files a change's
 * values are compared with, as they will be after it.
 */
export async function readSnapshotFiles(
  root: string,
  snapshot: Snapshot,
  want: (path: string) => boolean,
  maxBytes: number,
): Promise<Fragment[]> {
  if (snapshot.kind === 'worktree') {
    const listing = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'], root);
    const files = [...new Set(listing.toString('utf8').split('\0'))].filter((f) => f && want(f));
    return files.flatMap((file) => {
      const read = readFileFragment(root, file, maxBytes);
      return read && !('reason' in read) ? [read] : [];
    });
  }
  const listing = snapshot.kind === 'index' ? await git(['ls-files', '-z', '-s'], root) : await git(['ls-tree', '-r', '-z', '--full-tree', snapshot.sha], root);
  const entries: Array<{ id: string; path: string }> = [];
  for (const record of listing.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const path = record.slice(tab + 1);
    // index: `<mode> <id> <stage>`; tree: `<mode> <type> <id>`. Regular files only, merged entries only.
    const [mode, second, third] = record.slice(0, tab).split(' ');
    if (mode !== '100644' && mode !== '100755') continue;
    const id = snapshot.kind === 'index' ? second : third;
    if (snapshot.kind === 'index' && third !== '0') continue;
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
