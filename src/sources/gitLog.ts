import { BlobReader, gitFailure, streamGit } from './git.js';
import { changeEvents } from './gitChanges.js';
import { COMMIT_FORMAT, PATCH_ARGS, PatchParser } from './patchParser.js';
import type { SourceEvent } from './source.js';

/**
 * `git log -p` as the history and commit-range sources run it.
 *
 * Merges: every commit is visited (no --first-parent), each non-merge commit is diffed against its
 * parent, and a merge commit shows its dense combined diff (`--cc`), of which only the lines that
 * are new against every parent count as added. A line a merge brings in from a side branch was
 * added by a commit on that branch, which is scanned on its own, so it is reported once, with the
 * commit that wrote it; what a merge adds itself (a conflict resolution, an "evil merge") is still
 * seen. Diffing merges against their first parent instead would report every line of a merged
 * branch twice, and skipping merges would miss what the merge itself adds.
 *
 * `--root` shows a root commit (and, in a shallow clone, the oldest commit present) as adding its
 * whole tree. Signatures and notes are kept out of the output, whatever the configuration says.
 */
export const LOG_ARGS = ['log', '-p', '--cc', '--root', `--format=${COMMIT_FORMAT}`, '--no-show-signature', '--no-notes', '--encoding=UTF-8', ...PATCH_ARGS];

/**
 * Streams the added lines of the commits `revisions` selects (already-validated `git log`
 * arguments), commit by commit, as source events. Memory stays flat in the length of the history:
 * the patch is read chunk by chunk from git's pipe and only the file being parsed is held.
 */
export async function* readLog(root: string, revisions: string[], maxFileLength: number): AsyncGenerator<SourceEvent> {
  const log = streamGit([...LOG_ARGS, ...revisions], root);
  const parser = new PatchParser({ maxFileLength });
  const blobs = new BlobReader(root, maxFileLength);
  try {
    const drain = async function* (): AsyncGenerator<SourceEvent> {
      for (const event of parser.take()) {
        if (event.type === 'commit') yield { type: 'commit' };
        else if (event.type === 'file') yield* changeEvents(event.file, blobs);
      }
    };
    for await (const chunk of log.stdout) {
      parser.write(chunk);
      yield* drain();
    }
    parser.end();
    yield* drain();
    const { code, stderr } = await log.done;
    if (code !== 0) throw gitFailure('log', stderr, code);
  } finally {
    log.kill();
    blobs.close();
  }
}
