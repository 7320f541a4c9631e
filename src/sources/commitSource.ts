import { readLog } from './gitLog.js';
import { SHALLOW_NOTE, type Repository } from './repository.js';
import type { StreamSource } from './source.js';

/**
 * The added lines of the commits `revisions` selects (a pull request's range, a push, a history),
 * judged against `head`: the commit the range ends in, whose tree holds the workflow files and the
 * other environments' config files as the change leaves them. No head (an empty repository): no tree.
 */
export function commitSource(repo: Repository, revisions: string[], head: string | undefined, notes: string[] = []): StreamSource {
  return {
    kind: 'stream',
    root: repo.root,
    unit: 'commits',
    snapshot: head ? { kind: 'commit', sha: head } : undefined,
    notes: [...(repo.shallow ? [SHALLOW_NOTE] : []), ...notes],
    read: (maxFileSize) => readLog(repo.root, revisions, maxFileSize),
  };
}
