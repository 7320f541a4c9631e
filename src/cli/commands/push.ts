import type { Readable } from 'node:stream';
import { reportError, UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { blockMessage } from '../../run/blockMessage.js';
import { runScanReport } from '../../run/run.js';
import { parsePushedRefs, pushSource, upstreamPushSource } from '../../sources/pushRange.js';
import { openRepository } from '../../sources/repository.js';
import type { Command, CommandContext } from '../command.js';
import { skipNote } from '../hookSkip.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

const BYPASS = 'to push anyway, knowingly: git push --no-verify (or KEYFENCE_SKIP=1 git push, which skips only keyfence)';

export const command: Command = {
  summary: 'scan the commits a `git push` sends (the pre-push hook): the refs on standard input, or @{push}..HEAD',
  usage: `Usage: keyfence push [options]

Scans the lines added by the commits a push sends, through the same pipeline as \`keyfence diff\`.
In the pre-push hook, git writes one line per ref on standard input:
  <local ref> <local sha> <remote ref> <remote sha>
For each ref the push updates, the commits between the remote's commit and the pushed one are read;
for a new branch (remote sha all zeros), the commits that are on no remote-tracking ref. A deleted
ref sends nothing and is skipped. Without input (run by hand, or by the pre-commit framework, whose
PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF are read), it scans @{push}..HEAD, else @{upstream}..HEAD.

KEYFENCE_SKIP=1, or SKIP=keyfence (the pre-commit framework's comma-separated list), skips keyfence
for one push with a note on stderr and exit 0; \`git push --no-verify\` skips every pre-push hook.

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const skip = skipNote(context.env, 'push', ['keyfence', 'keyfence-push']);
    if (skip) {
      context.stderr.write(skip);
      return 0;
    }
    try {
      const { options, positionals } = parseCommandArgs(context.args, {}, 'push');
      // git runs the hook as `pre-push REMOTE URL`; a hook that passes "$@" on gives them here.
      if (positionals.length > 2) throw new UserError('push takes no range: it reads the refs git hands the pre-push hook', 'for a range, run `keyfence diff BASE..HEAD`');
      const repo = await openRepository(context.cwd);
      const input = await readHookInput(context);
      const source = input?.trim() ? await pushSource(repo, parsePushedRefs(input)) : await upstreamPushSource(repo, context.env);
      const door = { engine: openEngine(repo.root, options.config), sources: [source] };
      const { code, report, failOn } = await runScanReport(door, options, context);
      // Nothing has left the machine yet, but it is in local commits (run/blockMessage.ts).
      if (code !== 0) context.stderr.write(blockMessage(report.findings, failOn, 'push', BYPASS));
      return code;
    } catch (error) {
      // A hook that fails must block the push (exit 2) and still say how to get past it.
      return reportError(error, context.stderr, BYPASS);
    }
  },
};

/** What git wrote on standard input; nothing when it is a terminal (run by hand). */
async function readHookInput(context: CommandContext): Promise<string | undefined> {
  const stdin: Readable & { isTTY?: boolean } = context.stdin ?? process.stdin;
  if (stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
