import { UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { runScan } from '../../run/run.js';
import { rangeSource } from '../../sources/commitRange.js';
import { openRepository } from '../../sources/repository.js';
import type { Command } from '../command.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

export const command: Command = {
  summary: 'scan the added lines of every commit in a range (pull requests): BASE..HEAD',
  usage: `Usage: keyfence diff [BASE..HEAD] [options]

Scans the lines each commit of the range adds: the commits reachable from HEAD and not from BASE
(BASE...HEAD and a lone BASE, meaning BASE..HEAD, work too). Every finding names its commit, author
and date; a secret added by one commit and removed by a later one is still reported, since it stays
in the history. Merge commits count only what they add themselves. Workflow files the range
changes are audited whole, as HEAD holds them, and values are compared with the other
environments' config files at HEAD. A range that selects no commit (reversed, or empty) says so.

Without a range, inside GitHub Actions, the range is read from the event that started the job
($GITHUB_EVENT_PATH): a pull request's base and head, a merge group's, or a push's before and after.
Nothing is fetched: check out with \`fetch-depth: 0\` so the range is in the clone.

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, positionals } = parseCommandArgs(context.args, {}, 'diff');
    if (positionals.length > 1) throw new UserError('diff takes one range, BASE..HEAD', 'run `keyfence diff --help` for usage');
    const repo = await openRepository(context.cwd);
    const source = await rangeSource(repo, positionals[0], context.env);
    return runScan({ engine: await openEngine(repo.root, options.config), sources: [source] }, options, context);
  },
};
