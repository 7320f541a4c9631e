import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { spawnSync } from 'node:child_process';
import { gitFailure } from '../../sources/git.js';
import { HOOK_COMMANDS, type HookName } from './hookScript.js';
import { installShellHook } from './shellHook.js';

/**
 * A plain git hook, no hook manager: the file in the hooks folder git itself runs, as `git rev-parse
 * --git-path hooks` names it, so `core.hooksPath` and linked worktrees (whose hooks are the main
 * repository's) are honoured. keyfence is found on PATH, else in the project's node_modules by
 * `npx --no-install` (which fails, blocking, rather than download anything).
 */
export async function installGitHook(root: string, hook: HookName, out: (line: string) => void): Promise<void> {
  const dir = resolve(root, gitAsConfigured(['rev-parse', '--git-path', 'hooks'], root));
  const shown = relative(root, join(dir, hook)).replace(/\\/g, '/');
  if (/(^|\/)\.husky\/_$/.test(dir.replace(/\\/g, '/')))
    throw new UserError(`core.hooksPath points at ${relative(root, dir) || dir} (husky's), which husky rewrites`, `run \`keyfence init --hook ${hook} --manager husky\` instead`);
  const verb = HOOK_COMMANDS[hook].split(' ')[1]!;
  await installShellHook(
    {
      path: join(dir, hook),
      shown: shown.startsWith('..') || isAbsolute(shown) ? join(dir, hook) : shown,
      hook,
      command: `if command -v keyfence >/dev/null 2>&1; then keyfence ${verb}; else npx --no-install keyfence ${verb}; fi`,
      plainGit: true,
    },
    out,
  );
}

/**
 * git as the repository configures it. The scanning commands run git with `core.hooksPath=/dev/null`
 * (sources/git.ts), which would hide the very setting this asks about; nothing here reads content.
 */
export function gitAsConfigured(args: string[], cwd: string): string {
  const result = spawnSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new UserError(`git ${args[0]}: ${result.error.message}`, 'install git');
  if (result.status !== 0) throw gitFailure(args.join(' '), result.stderr, result.status ?? 1);
  return result.stdout.trim();
}
