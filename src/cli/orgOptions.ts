import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
import type { ForgeTarget } from '../run/org/forge.js';
import type { OrgAuditRequest } from '../run/org/orgAudit.js';
import { parseVisibility, type RepositorySelection } from '../run/org/selection.js';

/** The options that choose an organisation's repositories: `audit --org` and `org plan` take them alike. */
export const REPOSITORY_SELECTION_OPTIONS = {
  'include-repo': { type: 'string', multiple: true },
  'exclude-repo': { type: 'string', multiple: true },
  archived: { type: 'boolean' },
  forks: { type: 'boolean' },
  visibility: { type: 'string' },
} as const;

/** `org plan` takes --github-url and --gitlab-url too; `audit` has them already, for --github and --gitlab. */
export const GITHUB_URL_OPTION = { 'github-url': { type: 'string' }, 'gitlab-url': { type: 'string' } } as const;

/** A GitLab group instead of a GitHub organisation: `audit --gitlab-group GROUP`, `org plan --gitlab-group GROUP`. */
export const GITLAB_GROUP_OPTION = { 'gitlab-group': { type: 'string' } } as const;

/** What `audit --org` takes besides them. */
export const ORG_AUDIT_OPTIONS = {
  org: { type: 'string' },
  ...GITLAB_GROUP_OPTION,
  shard: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  timeout: { type: 'string' },
  'state-dir': { type: 'string' },
  settings: { type: 'boolean' },
  ...REPOSITORY_SELECTION_OPTIONS,
} as const;

export const REPOSITORY_SELECTION_HELP = `      --include-repo GLOB  only repositories whose name matches GLOB (repeatable); a GitLab
                           project's name is its path below the group, e.g. backend/api or **/api-*
      --exclude-repo GLOB  leave out repositories whose name matches GLOB (repeatable; wins)
      --archived           include archived repositories (left out by default)
      --forks              include forks (left out by default)
      --visibility V       all (default), public, private or internal`;

type Values = Record<string, string | boolean | string[] | undefined>;

export function repositorySelection(values: Values): RepositorySelection {
  return {
    include: (values['include-repo'] as string[] | undefined) ?? [],
    exclude: (values['exclude-repo'] as string[] | undefined) ?? [],
    archived: values.archived === true,
    forks: values.forks === true,
    visibility: parseVisibility(values.visibility as string | undefined),
  };
}

/** The organisation name as GitHub allows it: letters, digits and single hyphens. */
function orgName(value: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(value)) throw new UserError(`"${value}" is not a GitHub organisation name`, 'give the name as in https://github.com/ORG, e.g. --org octo-org');
  return value;
}

/** The token and API root every organisation command needs, as `audit --github` reads them. */
async function githubAccess(
  url: string | undefined,
  env: NodeJS.ProcessEnv,
  command: string,
): Promise<{ token: string; baseUrl: string }> {
  const { resolveApiUrl, tokenFromEnv } = await import('../github/client.js');
  const token = tokenFromEnv(env);
  if (!token) throw new UserError(`${command} needs a token to list the organisation's repositories`, 'set GITHUB_TOKEN or GH_TOKEN (gh auth token prints yours)');
  return { token, baseUrl: resolveApiUrl(url, env) };
}

/** `--jobs N`: repositories at once (default the core count). */
function parseJobs(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1) throw new UserError(`--jobs must be a whole number from 1 (got "${value}")`, 'e.g. --jobs 4');
  return Number(value);
}

/** `--timeout SECONDS`: longest a clone or fetch of one repository may take (default 600). */
function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 600_000;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1) throw new UserError(`--timeout must be a whole number of seconds from 1 (got "${value}")`, 'e.g. --timeout 900');
  return Number(value) * 1000;
}

/**
 * The organisation an organisation command names: a GitHub organisation (`--org ORG`, or `org plan
 * ORG`) or a GitLab group (`--gitlab-group GROUP`), with the forge's token and address.
 */
export async function orgTarget(org: string | undefined, values: Values, env: NodeJS.ProcessEnv, command: string): Promise<ForgeTarget> {
  const group = values['gitlab-group'] as string | undefined;
  if (group === undefined) {
    if (values['gitlab-url'] !== undefined) throw new UserError('--gitlab-url goes with --gitlab-group, not with a GitHub organisation', `run \`keyfence ${command} --gitlab-group GROUP --gitlab-url URL\``);
    const name = orgName(org ?? '');
    return { forge: 'github', org: name, ...(await githubAccess(values['github-url'] as string | undefined, env, command === 'audit' ? 'audit --org' : command)) };
  }
  if (org !== undefined) throw new UserError('a GitHub organisation and --gitlab-group do not go together', 'audit one at a time: --org ORG for GitHub, --gitlab-group GROUP for GitLab');
  if (values['github-url'] !== undefined) throw new UserError('--github-url does not go with --gitlab-group', 'give the GitLab instance with --gitlab-url URL');
  const { parseGroupPath } = await import('../gitlab/groupProjects.js');
  const { gitLabTokenFromEnv, resolveGitLabUrl } = await import('../gitlab/client.js');
  const path = parseGroupPath(group);
  if (!path) throw new UserError(`--gitlab-group "${group}" is not a GitLab group path`, 'give the group\'s full path, e.g. --gitlab-group my-group or --gitlab-group my-group/backend');
  const token = gitLabTokenFromEnv(env);
  if (!token) throw new UserError(`${command} --gitlab-group needs a token to list the group's projects`, 'set GITLAB_TOKEN to an access token with the read_api and read_repository scopes');
  return { forge: 'gitlab', org: path, token, baseUrl: resolveGitLabUrl(values['gitlab-url'] as string | undefined, env) };
}

/** `audit --org ORG …` or `audit --gitlab-group GROUP …` as a request; usage errors before any listing. */
export async function orgAuditRequest(values: Values, positionals: string[], env: NodeJS.ProcessEnv): Promise<OrgAuditRequest> {
  const door = values.org !== undefined ? '--org' : '--gitlab-group';
  if (positionals.length > 0) throw new UserError(`audit ${door} takes no PATH: it audits the organisation's repositories`, `run \`keyfence audit ${door} ${door === '--org' ? 'ORG' : 'GROUP'}\` from any folder`);
  if (values.github !== undefined || values.gitlab !== undefined)
    throw new UserError(`${door} and --${values.github !== undefined ? 'github' : 'gitlab'} do not go together`, 'use --settings to audit every repository\'s settings too');
  const { parseShard } = await import('../run/org/shards.js');
  const target = await orgTarget(values.org as string | undefined, values, env, 'audit');
  const selection = repositorySelection(values);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard as string);
  const jobs = parseJobs(values.jobs as string | undefined);
  const timeoutMs = parseTimeout(values.timeout as string | undefined);
  return { ...target, selection, shard, jobs, timeoutMs, stateDir: values['state-dir'] as string | undefined, settings: values.settings === true };
}

/** An organisation option without --org or --gitlab-group is a mistake, not something to ignore. */
export function rejectOrgOptions(values: Values): void {
  const given = Object.keys(ORG_AUDIT_OPTIONS).find((name) => name !== 'org' && name !== 'gitlab-group' && values[name] !== undefined);
  if (given) throw new UserError(`--${given} needs --org or --gitlab-group`, 'run `keyfence audit --org ORG` (GitHub) or `keyfence audit --gitlab-group GROUP` (GitLab) to audit an organisation, or `keyfence audit --help`');
}
