import { notARepository, runGit, streamGit, type GitStream } from './git.js';
import { plainTopLevel } from './gitTopLevel.js';
import { PATCH_ARGS } from './patchParser.js';

/**
 * What `git commit` would add: the index against HEAD, as `git diff --cached` shows it. It reads
 * the index, not the work tree, so partial staging (`git add -p`) and later unstaged edits are
 * handled right. On an unborn branch git compares with the empty tree by itself, so the first
 * commit needs no special case; during a merge, rebase or cherry-pick the index against HEAD is
 * still exactly what the next commit adds.
 */
export const STAGED_DIFF_ARGS = ['diff', '--cached', ...PATCH_ARGS];

/**
 * What a staged read starts: git printing the diff and, unless `cwd` is plainly the top of the work
 * tree (gitTopLevel.ts), git saying where that is.
 */
export interface StagedGit {
  cwd: string;
  /** The top of the work tree when read from disk, known at once; undefined while git is asked. */
  plainRoot: string | undefined;
  root: Promise<string>;
  diff: GitStream;
}

function startStagedGit(cwd: string): StagedGit {
  const plain = plainTopLevel(cwd);
  const root =
    plain !== undefined
      ? Promise.resolve(plain)
      : runGit(['rev-parse', '--show-toplevel'], cwd).then((result) => {
          if (result.code !== 0) throw notARepository(cwd, result.stderr);
          return result.stdout.toString('utf8').trim();
        });
  // Whoever reads the staged git hears of a failure; until then it must not crash the process.
  root.catch(() => {});
  // The reader may start late: a small diff is complete before the hook's code has loaded.
  return { cwd, plainRoot: plain, root, diff: streamGit(STAGED_DIFF_ARGS, cwd, { lateReader: true }) };
}

/*
 * The pre-commit hook's head start. `keyfence staged` spends most of its time loading its own code;
 * git needs about as long to read the index and diff it. So the small launcher (src/cli/bin.ts)
 * starts git before it loads the hook's program, and git works on the other core
 * while node compiles. Launcher and program are separate bundles, each with its own copy of this
 * module: the hand-over goes through a registered symbol, the one thing both copies share.
 */
const HANDED_OVER = Symbol.for('keyfence.stagedGit');
type Holder = { [HANDED_OVER]?: StagedGit };

/** Starts the staged read's git processes now, for the program that `stagedGitFor` runs later. */
export function startStagedGitEarly(cwd: string): void {
  (globalThis as Holder)[HANDED_OVER] = startStagedGit(cwd);
}

/** The git processes started early for `cwd`, taken over by the caller, or new ones. */
export function stagedGitFor(cwd: string): StagedGit {
  const holder = globalThis as Holder;
  const early = holder[HANDED_OVER];
  delete holder[HANDED_OVER];
  if (early?.cwd === cwd) return early;
  early?.diff.kill();
  return startStagedGit(cwd);
}

/**
 * Stops git processes started early that no program took over (`keyfence staged --help`, a usage
 * error): a diff nobody reads would fill its pipe and keep the process waiting for git forever.
 */
export function abandonEarlyStagedGit(): void {
  const holder = globalThis as Holder;
  holder[HANDED_OVER]?.diff.kill();
  delete holder[HANDED_OVER];
}
