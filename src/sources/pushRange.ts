import { UserError } from '../errors.js';
import { commitSource } from './commitSource.js';
import { resolveCommit, type Repository } from './repository.js';
import type { StreamSource } from './source.js';

/** One line git writes to the pre-push hook's standard input (githooks(5)). */
export interface PushedRef {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

const SHA = /^[0-9a-f]{40,64}$/;
const ZERO = /^0+$/;

/** `<local ref> SP <local sha> SP <remote ref> SP <remote sha>` lines; a line of another shape is a usage error. */
export function parsePushedRefs(text: string): PushedRef[] {
  const refs: PushedRef[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim()) continue;
    const fields = line.trim().split(/\s+/);
    const [localRef, localSha, remoteRef, remoteSha] = fields;
    if (fields.length !== 4 || !SHA.test(localSha!) || !SHA.test(remoteSha!))
      throw new UserError(
        `push: standard input line ${i + 1} is not "<local ref> <local sha> <remote ref> <remote sha>"`,
        'keyfence push reads what git hands the pre-push hook; run it from the hook, or with no input to scan @{push}..HEAD',
      );
    refs.push({ localRef: localRef!, localSha: localSha!, remoteRef: remoteRef!, remoteSha: remoteSha! });
  }
  return refs;
}

/**
 * The commits a push sends, as a source: for each ref it updates, the commits between what the
 * remote has (`remote sha`) and what is pushed (`local sha`); for a new branch (remote sha all
 * zeros, or a commit this clone does not have), the commits on no remote-tracking ref. Commits on a
 * remote-tracking ref were pushed before, so they are never read again. Deleted refs send nothing.
 * Judged against the tree of the ref pushed from the current branch (else the first ref pushed).
 */
export async function pushSource(repo: Repository, refs: PushedRef[]): Promise<StreamSource> {
  const pushed = refs.filter((r) => !ZERO.test(r.localSha));
  const deleted = refs.length - pushed.length;
  const notes = deleted ? [`${deleted} deleted ref${deleted === 1 ? '' : 's'} skipped: a deletion pushes no commits`] : [];
  if (!pushed.length) return nothingToScan(repo, notes);
  const exclude = new Set<string>();
  for (const ref of pushed) {
    if (ZERO.test(ref.remoteSha)) continue;
    const remote = await resolveCommit(repo, ref.remoteSha);
    if (remote) exclude.add(remote);
  }
  const include = new Set<string>();
  for (const ref of pushed) {
    const local = await resolveCommit(repo, ref.localSha);
    if (!local) throw new UserError(`push: ${ref.localRef} points at ${ref.localSha.slice(0, 12)}, which is not a commit in this repository`, 'run keyfence push from the repository that pushes');
    include.add(local);
  }
  const current = (await repo.git.raw(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).trim();
  const head = (pushed.find((r) => r.localRef === current) ?? pushed[0]!).localSha;
  return commitSource(repo, [...include, ...[...exclude].map((sha) => `^${sha}`), '--not', '--remotes'], head, notes);
}

/**
 * Without the hook's input: the commits `git push` would send from the current branch, `@{push}..HEAD`
 * (its push destination), else `@{upstream}..HEAD`. The pre-commit framework hands the hook's refs
 * over as PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF instead of standard input.
 */
export async function upstreamPushSource(repo: Repository, env: NodeJS.ProcessEnv): Promise<StreamSource> {
  const to = env.PRE_COMMIT_TO_REF;
  if (to) {
    const from = env.PRE_COMMIT_FROM_REF;
    const hasBase = from !== undefined && SHA.test(from) && !ZERO.test(from);
    return pushSource(repo, [{ localRef: env.PRE_COMMIT_LOCAL_BRANCH ?? to, localSha: to, remoteRef: env.PRE_COMMIT_REMOTE_BRANCH ?? '', remoteSha: hasBase ? from : '0'.repeat(40) }]);
  }
  const head = await resolveCommit(repo, 'HEAD');
  if (!head) throw new UserError('push: HEAD has no commits yet, so nothing would be pushed');
  for (const name of ['@{push}', '@{upstream}']) {
    const base = await resolveCommit(repo, name);
    if (base) return commitSource(repo, [head, `^${base}`], head, [`${name}..HEAD: the commits git push would send`]);
  }
  throw new UserError(
    'push: no refs on standard input, and the current branch has no upstream to compare with (@{push}, @{upstream})',
    'run it from the pre-push hook (keyfence init --hook pre-push), set an upstream (git push -u), or scan a range: keyfence diff BASE..HEAD',
  );
}

function nothingToScan(repo: Repository, notes: string[]): StreamSource {
  return {
    kind: 'stream',
    root: repo.root,
    unit: 'commits',
    snapshot: undefined,
    notes,
    // A push of deletions only reads nothing.
    read: async function* () {},
  };
}
