import { UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { runScan } from '../../run/run.js';
import { parseGitDate } from '../../sources/gitDate.js';
import { historySource, parseMaxCount } from '../../sources/history.js';
import { openRepository } from '../../sources/repository.js';
import type { Command } from '../command.js';
import { historySelection, HISTORY_SELECTION_OPTIONS } from '../historySelection.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

export const command: Command = {
  summary: 'scan the added lines of every commit reachable from HEAD (--all: from every ref)',
  usage: `Usage: keyfence history [--all] [--branch REV] [--path PATH] [--since DATE] [--until DATE] [--max-count N] [--log-opts OPTS] [options]

Scans what every commit added, newest first, streaming \`git log -p\` so memory stays flat however
long the history. Each finding names its commit, author and date; a secret added again by later
commits is reported once, with the oldest. Merge commits count only what they add themselves (a
conflict resolution), so nothing merged is reported twice. Workflow files the commits changed are
audited as HEAD holds them. In a shallow clone the commits present are scanned and a note says what
is missing. On a terminal, a progress line on stderr shows commits done and commits per second.

      --all                every commit reachable from any ref (branches, tags, remotes, stash)
      --since DATE         only commits newer than DATE: 2024-01-31, 2024-01-31T12:00, "6 months ago"
      --until DATE         only commits older than DATE
      --max-count N        at most N commits
      --branch REV         the history of REV (a branch, tag or commit) instead of HEAD
      --path PATH          only commits that change PATH, and only their changes there (repeatable)
      --log-opts OPTS      raw \`git log\` options that choose commits, as gitleaks takes them, e.g.
                           --log-opts="--author=alice --since=2024-01-01 main..feature -- src/";
                           options that change git log's output (--format, -p, --stat) are refused
${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(
      context.args,
      { all: { type: 'boolean' }, since: { type: 'string' }, until: { type: 'string' }, 'max-count': { type: 'string', short: 'n' }, ...HISTORY_SELECTION_OPTIONS },
      'history',
    );
    if (positionals.length) throw new UserError('history takes no PATH or revision', 'use --all for every ref, or `keyfence diff BASE..HEAD` for a range');
    const since = values.since === undefined ? undefined : parseGitDate('--since', values.since as string);
    const until = values.until === undefined ? undefined : parseGitDate('--until', values.until as string);
    const maxCount = parseMaxCount(values['max-count'] as string | undefined);
    const repo = await openRepository(context.cwd);
    const source = await historySource(repo, { all: values.all === true, since, until, maxCount, ...historySelection(values) });
    return runScan({ engine: await openEngine(repo.root, options.config), sources: [source], progress: true }, options, context);
  },
};
