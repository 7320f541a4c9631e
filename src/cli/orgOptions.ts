import { availableParallelism } from 'node:os';
import { UserError } from '../errors.js';
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

/** `org plan` takes --github-url too; `audit` has it already, for --github. */
export const GITHUB_URL_OPTION = { 'github-url': { type: 'string' } } as const;

/** What `audit --org` takes besides them. */
export const ORG_AUDIT_OPTIONS = {
  org: { type: 'string' },
  shard: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  timeout: { type: 'string' },
  'state-dir': { type: 'string' },
  settings: { type: 'boolean' },
  ...REPOSITORY_SELECTION_OPTIONS,
} as const;

export const REPOSITORY_SELECTION_HELP = `      --include-repo GLOB  only repositories whose name matches GLOB (repeatable)
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
export function orgName(value: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/.test(value)) throw new UserError(`"${value}" is not a GitHub organisation name`, 'give the name as in https://github.com/ORG, e.g. --org octo-org');
  return value;
}

/** The token and API root every organisation command needs, as `audit --github` reads them. */
export async function githubAccess(
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

/** `audit --org ORG …` as a request, usage errors settled before anything is listed or cloned. */
export async function orgAuditRequest(values: Values, positionals: string[], env: NodeJS.ProcessEnv): Promise<OrgAuditRequest> {
  if (positionals.length > 0) throw new UserError('audit --org takes no PATH: it audits the organisation\'s repositories', 'run `keyfence audit --org ORG` from any folder');
  if (values.github !== undefined || values.gitlab !== undefined)
    throw new UserError(`--org and --${values.github !== undefined ? 'github' : 'gitlab'} do not go together`, 'use --settings to audit every repository\'s GitHub settings too');
  const { parseShard } = await import('../run/org/shards.js');
  const org = orgName(values.org as string);
  const selection = repositorySelection(values);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard as string);
  const jobs = parseJobs(values.jobs as string | undefined);
  const timeoutMs = parseTimeout(values.timeout as string | undefined);
  const { token, baseUrl } = await githubAccess(values['github-url'] as string | undefined, env, 'audit --org');
  return { org, baseUrl, token, selection, shard, jobs, timeoutMs, stateDir: values['state-dir'] as string | undefined, settings: values.settings === true };
}

/** An organisation option without --org is a mistake, not something to ignore. */
export function rejectOrgOptions(values: Values): void {
  const given = Object.keys(ORG_AUDIT_OPTIONS).find((name) => name !== 'org' && values[name] !== undefined);
  if (given) throw new UserError(`--${given} needs --org`, 'run `keyfence audit --org ORG` to audit an organisation, or `keyfence audit --help`');
}
