import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { runScan } from '../../run/run.js';
import { pullRequestPlan } from '../../run/policyReview.js';
import { resolveRange, sourceOfRange } from '../../sources/commitRange.js';
import { openRepository } from '../../sources/repository.js';
import type { Command } from '../command.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

const DIFF_OPTIONS = {
  'policy-from-base': { type: 'boolean' },
  'fail-on-new-suppressions': { type: 'boolean' },
} as const;

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

Pull-request mode (a range from a pull_request or merge_group event, or --policy-from-base): the
configuration, everything it extends and the baseline are read from BASE, never from the change,
and each way the change loosens them is reported (policy-loosened). Findings that inline markers
added by the change silence are listed as "suppressed by this change".

Pull-request mode:
      --policy-from-base          read keyfence.yml, its extends and --baseline from BASE
      --fail-on-new-suppressions  exit 1 when an inline marker the change adds silences a finding

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(context.args, DIFF_OPTIONS, 'diff');
    if (positionals.length > 1) throw new UserError('diff takes one range, BASE..HEAD', 'run `keyfence diff --help` for usage');
    const repo = await openRepository(context.cwd);
    const range = await resolveRange(repo, positionals[0], context.env);
    const sources = [sourceOfRange(repo, range)];
    options.failOnNewSuppressions = values['fail-on-new-suppressions'] === true;
    const pullRequest = range.base !== undefined && range.head !== undefined && (range.pullRequest || values['policy-from-base'] === true);
    if (values['policy-from-base'] === true && !range.base) throw new UserError('--policy-from-base needs a range with a base (BASE..HEAD)');
    if (options.failOnNewSuppressions && !pullRequest)
      throw new UserError('--fail-on-new-suppressions works in pull-request mode', 'add --policy-from-base, or run on a pull_request event');
    if (pullRequest) {
      const here = (path: string | undefined) => path && resolve(context.cwd, path);
      const paths = { config: here(options.config), baseline: here(options.baseline) };
      return runScan({ ...(await pullRequestPlan(repo.root, { base: range.base!, head: range.head! }, paths)), sources }, options, context);
    }
    return runScan({ engine: await openEngine(repo.root, options.config), sources }, options, context);
  },
};
