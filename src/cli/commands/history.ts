import { historyRevisions, parseMaxCount } from '../../sources/history.js';
import { openRepository } from '../../sources/repository.js';
import type { Command } from '../command.js';
import { UserError } from '../../errors.js';
import { scanCommits } from '../gitScan.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

export const command: Command = {
  summary: 'scan the added lines of every commit reachable from HEAD (--all: from every ref)',
  usage: `Usage: keyfence history [--all] [--since DATE] [--max-count N] [options]

Scans what every commit added, newest first, streaming \`git log -p\` so memory stays flat however
long the history. Each finding names its commit, author and date. Merge commits count only what
they add themselves (a conflict resolution), so nothing merged is reported twice. In a shallow clone
the commits present are scanned and a note says what is missing. On a terminal, a progress line on
stderr shows commits done and commits per second.

      --all                every commit reachable from any ref (branches, tags, remotes, stash)
      --since DATE         only commits newer than DATE (anything \`git log --since\` reads)
      --max-count N        at most N commits
${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(
      context.args,
      { all: { type: 'boolean' }, since: { type: 'string' }, 'max-count': { type: 'string', short: 'n' } },
      'history',
    );
    if (positionals.length) throw new UserError('history takes no PATH or revision', 'use --all for every ref, or `keyfence diff BASE..HEAD` for a range');
    const since = values.since as string | undefined;
    if (since !== undefined && !since.trim()) throw new UserError('--since needs a date, e.g. --since 2024-01-01 or --since "6 months ago"');
    const maxCount = parseMaxCount(values['max-count'] as string | undefined);
    const repo = await openRepository(context.cwd);
    const revisions = await historyRevisions(repo, { all: values.all === true, since, maxCount });
    return scanCommits(context, options, repo, revisions, { notes: [], progress: true });
  },
};
