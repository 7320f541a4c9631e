import { listFiles } from '../sources/files.js';
import type { FileSource } from '../sources/source.js';
import { coverageOfPaths } from '../suppressions/baseline.js';
import { ScanWorkers } from './scanFiles.js';

/**
 * Files on disk under `paths` (`keyfence scan`, `baseline`, the tree of an audit), with the scan
 * workers started as soon as the listing shows the scan is large enough to share. Inside a
 * repository, a scan of part of it is judged against the rest of the work tree.
 */
export async function openFileSource(
  paths: string[],
  cwd: string,
  options: { noGit?: boolean; workers?: boolean } = {},
): Promise<{ source: FileSource; workers: ScanWorkers | undefined }> {
  const set = await listFiles(paths, cwd, options.noGit === true);
  const workers = options.workers === false ? undefined : ScanWorkers.startFor(set);
  const source: FileSource = {
    kind: 'files',
    unit: 'files',
    root: set.root,
    set,
    snapshot: set.inRepository && !set.whole ? { kind: 'worktree' } : undefined,
    notes: [],
    covers: coverageOfPaths(set.root, cwd, paths),
  };
  return { source, workers };
}
