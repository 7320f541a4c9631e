import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The work tree's top level when `cwd` is plainly it, read from disk instead of asking `git
 * rev-parse --show-toplevel`. git runs a commit hook in the root of the work tree (githooks(5)),
 * so on every commit this spares a second git process: forking it from node cost the hook 12–16 ms
 * here, most of it page faults (docs/performance.md).
 *
 * Plainly means: `cwd/.git` is a folder whose config neither moves the work tree (core.worktree)
 * nor says the repository is bare nor includes other files, and nothing in the environment points
 * git elsewhere or sets configuration. Anything else (a subfolder, a linked worktree or submodule,
 * whose `.git` is a file, GIT_DIR) is undefined: ask git.
 */
export function plainTopLevel(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // git for Windows spells the path its own way (C:/…, its drive letter case): there, ask git.
  if (process.platform === 'win32') return undefined;
  if (['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_CONFIG_COUNT'].some((name) => env[name] !== undefined)) return undefined;
  if (/worktree|bare|include/i.test(env.GIT_CONFIG_PARAMETERS ?? '')) return undefined;
  try {
    // git reports the top level with symlinks resolved.
    const dir = realpathSync(cwd);
    if (!statSync(join(dir, '.git')).isDirectory()) return undefined;
    const config = readFileSync(join(dir, '.git', 'config'), 'utf8');
    return MOVED_OR_BARE.test(config) ? undefined : dir;
  } catch {
    return undefined;
  }
}

/** A config line that could make the top level other than the folder holding `.git`. */
const MOVED_OR_BARE = /^[ \t]*(?:worktree\b|bare\b(?![ \t]*=[ \t]*(?:false|no|off|0)\b)|\[[ \t]*include)/im;
