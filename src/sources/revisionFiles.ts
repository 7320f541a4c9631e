import { isAbsolute, relative, sep } from 'node:path';
import { diskPolicyFiles, type PolicyFiles } from '../config/policyFiles.js';
import { runGitSync } from './git.js';

/**
 * Files as a commit holds them, for reading a configuration from the base of a pull request: a
 * path inside the repository is what `git show REV:path` gives (absent if the commit lacks it,
 * whatever the checkout holds). Two kinds of path come from the disk: those outside the repository,
 * and those git ignores (an npm package in node_modules that `extends:` names: installed, not
 * committed, so no commit holds it).
 */
export function revisionFiles(root: string, rev: string): PolicyFiles {
  const kinds = new Map<string, 'file' | 'folder' | 'disk' | undefined>();
  const inRepo = (path: string): string | undefined => {
    const rel = relative(root, path);
    if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
    return rel.split(sep).join('/');
  };
  /** What the commit holds at `rel`, or 'disk' for an ignored path; cached, since extends resolution asks twice. */
  const lookup = (rel: string) => {
    if (kinds.has(rel)) return kinds.get(rel);
    let kind: 'file' | 'folder' | 'disk' | undefined;
    if (rel === '') kind = 'folder';
    else {
      const type = runGitSync(['cat-file', '-t', `${rev}:${rel}`], root);
      if (type.code === 0) kind = type.stdout.trim() === 'tree' ? 'folder' : 'file';
      // A path the index tracks is never "ignored", so a committed file cannot be swapped in from disk.
      else if (runGitSync(['check-ignore', '-q', '--', rel], root).code === 0) kind = 'disk';
    }
    kinds.set(rel, kind);
    return kind;
  };

  return {
    where: `at ${rev.slice(0, 12)}`,
    kind(path) {
      const rel = inRepo(path);
      const kind = rel === undefined ? 'disk' : lookup(rel);
      return kind === 'disk' ? diskPolicyFiles.kind(path) : kind;
    },
    read(path) {
      const rel = inRepo(path);
      if (rel === undefined || lookup(rel) === 'disk') return diskPolicyFiles.read(path);
      const blob = runGitSync(['cat-file', 'blob', `${rev}:${rel}`], root);
      if (blob.code !== 0) throw new Error(`no such file in commit ${rev.slice(0, 12)}`);
      return blob.stdout;
    },
  };
}
