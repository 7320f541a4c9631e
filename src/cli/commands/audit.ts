import { UserError } from '../../errors.js';
import { githubSettings, openAuditSources, type GitHubTarget } from '../../run/audit.js';
import { openEngine } from '../../run/openEngine.js';
import { runScan } from '../../run/run.js';
import type { Command, CommandContext } from '../command.js';
import { historySelection, HISTORY_SELECTION_OPTIONS } from '../historySelection.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';
import { ORG_AUDIT_OPTIONS, orgAuditRequest, rejectOrgOptions, REPOSITORY_SELECTION_HELP } from '../orgOptions.js';
import { GITLAB_AUDIT_HELP, GITLAB_AUDIT_OPTIONS, gitlabTarget } from '../gitlabOptions.js';
import { bothSettings, gitlabSettings } from '../../run/gitlabSettings.js';

export const command: Command = {
  summary: 'history + tree + workflows in one report; with --github or --gitlab, the repository\'s settings too',
  usage: `Usage: keyfence audit [PATH] [--github OWNER/REPO] [--github-url URL] [--gitlab GROUP/PROJECT] [--gitlab-url URL] [--branch REV] [--path PATH] [--log-opts OPTS] [options]

Audits a repository in one report: the files on disk under PATH (with every workflow file and local
action), then its whole history (every commit reachable from any branch, tag, remote-tracking ref
or stash, so unmerged work is covered too). Each finding is reported once: a secret still in the
tree where it is now, one only in the history with the oldest commit that added it. With --github
and a token in GITHUB_TOKEN or GH_TOKEN, the repository's settings on GitHub too (environments,
where secrets are stored and which jobs can reach them, the default token permissions, fork pull
request policies, self-hosted runners); a setting the token may not read becomes a note naming the
permission it needs. With --gitlab and a token in GITLAB_TOKEN, the project's settings on GitLab too
(CI/CD variables, protected environments and branches, fork pipelines), cross-checked with what the
.gitlab-ci.yml jobs read (docs/gitlab-settings). On a terminal, a progress line on stderr shows the commits read.

      --github OWNER/REPO  also audit this repository's settings on GitHub
      --github-url URL     GitHub Enterprise Server: https://HOST or its API root https://HOST/api/v3
                           (default: GITHUB_API_URL, else https://api.github.com)
${GITLAB_AUDIT_HELP}
      --branch REV         the history part reads REV's history instead of every ref
      --path PATH          the history part reads only commits that change PATH (repeatable)
      --log-opts OPTS      raw \`git log\` options that choose the history's commits (see keyfence history --help)

Every repository of a GitHub organisation or GitLab group (docs/org-audit.md): mirrors each into
the user cache (fetched, not cloned again, next time), audits it as above, and writes one report
whose findings name their repository. Run again after an interruption, it skips the repositories it finished.
      --org ORG            audit every repository of ORG (token in GITHUB_TOKEN or GH_TOKEN)
      --gitlab-group GROUP every project of the GitLab group GROUP and its subgroups (token in
                           GITLAB_TOKEN, scopes read_api and read_repository; --gitlab-url as above)
      --shard I/N          only share I of N, as \`keyfence org plan ORG --shards N\` plans them
  -j, --jobs N             repositories audited at once (default: the number of cores)
      --timeout SECONDS    longest a clone or fetch of one repository may take (default 600)
      --state-dir DIR      where the run keeps its state and per-repository reports (default: the cache)
      --settings           each repository's settings too, as --github (or --gitlab) reads them
${REPOSITORY_SELECTION_HELP}
${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(context.args, { github: { type: 'string' }, 'github-url': { type: 'string' }, ...HISTORY_SELECTION_OPTIONS, ...ORG_AUDIT_OPTIONS, ...GITLAB_AUDIT_OPTIONS }, 'audit');
    if (values.org !== undefined || values['gitlab-group'] !== undefined) {
      const { runOrgAudit } = await import('../../run/org/orgAudit.js');
      return runOrgAudit(await orgAuditRequest(values, positionals, context.env), options, context);
    }
    rejectOrgOptions(values);
    const history = historySelection(values);
    if (positionals.length > 1) throw new UserError('audit takes one PATH', 'run `keyfence audit --help` for usage');
    const slug = values.github as string | undefined;
    // Settle the GitHub part's usage errors before any scanning.
    const github = slug !== undefined ? await githubTarget(slug, values['github-url'] as string | undefined, context) : undefined;
    const gitlab = await gitlabTarget(values, context);
    const { sources, workers, root } = await openAuditSources(positionals, context.cwd, history);
    const engine = openEngine(root, options.config);
    const warn = (m: string) => context.stderr.write(`keyfence: ${m}\n`);
    const extra = bothSettings(
      github ? githubSettings(github, root, warn, async () => (await engine).config) : undefined,
      gitlab ? gitlabSettings(gitlab, root, warn) : undefined,
    );
    return runScan({ engine, sources, workers, progress: true, extra }, options, context);
  },
};

async function githubTarget(slug: string, url: string | undefined, context: CommandContext): Promise<GitHubTarget> {
  const { parseRepositorySlug } = await import('../../github/auditSettings.js');
  const { resolveApiUrl, tokenFromEnv } = await import('../../github/client.js');
  const repo = parseRepositorySlug(slug);
  if (!repo) throw new UserError(`--github "${slug}" is not OWNER/REPO`, 'give the repository as OWNER/REPO, e.g. --github octo-org/website');
  const token = tokenFromEnv(context.env);
  if (!token) throw new UserError('--github needs a token to read the repository settings', 'set GITHUB_TOKEN or GH_TOKEN (gh auth token prints yours)');
  return { ...repo, token, baseUrl: resolveApiUrl(url, context.env) };
}
