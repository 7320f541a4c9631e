import { parseArgs } from 'node:util';
import { UserError } from '../../errors.js';
import { planShards, parseShardCount } from '../../run/org/shards.js';
import { argsError } from '../argsError.js';
import type { Command } from '../command.js';
import { GITHUB_URL_OPTION, GITLAB_GROUP_OPTION, orgTarget, REPOSITORY_SELECTION_HELP, REPOSITORY_SELECTION_OPTIONS, repositorySelection } from '../orgOptions.js';

const OPTIONS = { shards: { type: 'string' }, ...REPOSITORY_SELECTION_OPTIONS, ...GITHUB_URL_OPTION, ...GITLAB_GROUP_OPTION } as const;

export const command: Command = {
  summary: 'plan an organisation audit: `org plan ORG --shards N` prints a GitHub Actions matrix of balanced shards',
  usage: `Usage: keyfence org plan ORG --shards N [options]
       keyfence org plan --gitlab-group GROUP --shards N [options]

Lists the repositories of the GitHub organisation ORG (token in GITHUB_TOKEN or GH_TOKEN), keeps
those the options select, and splits them into N shards of about equal total size (GitHub's
\`size\` of each repository), largest first. Prints a GitHub Actions matrix as one line of JSON:

  {"include":[{"shard":"1/4","repositories":12,"size":51234}, ...]}

Each matrix job then runs \`keyfence audit --org ORG --shard \${{ matrix.shard }}\` with the same
options; every machine computes the same plan from the same listing, so no plan file is passed on.
.github/workflows/org-audit.yml is a reusable workflow doing exactly that (docs/org-audit.md).

With --gitlab-group, the projects of the GitLab group GROUP and its subgroups (token in
GITLAB_TOKEN); GitLab's group listing gives no sizes, so its shards are balanced by count.

      --shards N           how many shards (matrix jobs)
${REPOSITORY_SELECTION_HELP}
      --github-url URL     GitHub Enterprise Server: https://HOST or its API root https://HOST/api/v3
                           (default: GITHUB_API_URL, else https://api.github.com)
      --gitlab-group GROUP a GitLab group (full path) instead of a GitHub organisation
      --gitlab-url URL     the GitLab instance (default: CI_SERVER_URL, else https://gitlab.com)`,
  async run(context) {
    let parsed;
    try {
      parsed = parseArgs({ args: context.args, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw argsError('org', error, OPTIONS);
    }
    const [sub, org, ...rest] = parsed.positionals;
    if (sub !== 'plan') throw new UserError(sub === undefined ? 'org: which subcommand?' : `org: unknown subcommand "${sub}"`, 'run `keyfence org plan ORG --shards N`');
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if ((org === undefined && values['gitlab-group'] === undefined) || rest.length > 0)
      throw new UserError('org plan takes one ORG', 'run `keyfence org plan ORG --shards N`, or `keyfence org plan --gitlab-group GROUP --shards N` for GitLab');
    const count = parseShardCount(values.shards as string | undefined);
    const target = await orgTarget(org, values, context.env, 'org plan');
    const request = { ...target, selection: repositorySelection(values) };
    const { orgRepositories } = await import('../../run/org/orgAudit.js');
    const repos = await orgRepositories(request, (m) => context.stderr.write(`keyfence: ${m}\n`));
    const include = planShards(repos, count).map((s) => ({ shard: `${s.index}/${count}`, repositories: s.repositories.length, size: s.size }));
    context.stdout.write(`${JSON.stringify({ include })}\n`);
    context.stderr.write(`keyfence: ${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} of ${target.org} in ${count} shard${count === 1 ? '' : 's'}\n`);
    return 0;
  },
};
