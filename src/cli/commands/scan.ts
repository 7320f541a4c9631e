import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { openFileSource } from '../../run/openFileSource.js';
import { runScan } from '../../run/run.js';
import { findRepoRoot } from '../../sources/git.js';
import { stdinSource } from '../../sources/stdinSource.js';
import type { Command, CommandContext } from '../command.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

export const command: Command = {
  summary: 'scan files on disk (tracked and untracked-not-ignored inside a git work tree), or standard input (-)',
  usage: `Usage: keyfence scan [PATH...] [options]
       keyfence scan - [--stdin-filename NAME] [options]

Scans files on disk (default: the current directory). Inside a git work tree it scans tracked files
and untracked files that are not ignored; --no-git scans every file under PATH. Workflow files are
audited as \`keyfence workflows\` does, and a value found is compared with the other environments'
config files of the repository, also those outside PATH.

\`-\` scans standard input as one file: --stdin-filename gives it a path, so the environment and
the rules of that path apply (e.g. --stdin-filename config/.env.production).

      --no-git             scan every file under PATH, ignoring git
      --stdin-filename NAME  the path standard input stands for (default: stdin)
${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(context.args, { 'no-git': { type: 'boolean' }, 'stdin-filename': { type: 'string' } }, 'scan');
    const stdinName = values['stdin-filename'] as string | undefined;
    if (positionals.includes('-')) return scanStdin(context, positionals, stdinName, options);
    if (stdinName !== undefined) throw new UserError('scan: --stdin-filename goes with `-` (standard input)', 'run `keyfence scan - --stdin-filename NAME < FILE`');
    const { source, workers } = await openFileSource(positionals, context.cwd, { noGit: values['no-git'] === true });
    const engine = openEngine(source.root, options.config);
    return runScan({ engine, sources: [source], workers }, options, context);
  },
};

async function scanStdin(
  context: CommandContext,
  positionals: string[],
  name: string | undefined,
  options: Parameters<typeof runScan>[1],
): Promise<number> {
  if (positionals.length > 1) throw new UserError('scan: `-` (standard input) cannot be mixed with paths', 'scan standard input and files in two runs');
  const file = (name ?? 'stdin').replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (!file || file.startsWith('/') || file.split('/').includes('..')) throw new UserError(`scan: --stdin-filename "${name}" must be a relative path inside the repository`, 'e.g. --stdin-filename config/.env.production');
  const root = (await findRepoRoot(context.cwd)) ?? resolve(context.cwd);
  const engine = await openEngine(root, options.config);
  return runScan({ engine, sources: [stdinSource(context.stdin ?? process.stdin, file, root)] }, options, context);
}
