/**
 * What the settings checks read from GitHub, fetched once per audit and shared by every check.
 * A request the token may not make becomes a note naming the permission it needs, and the value
 * `undefined`: checks skip what they cannot see, and never crash on it.
 */
import type { RestEndpointMethodTypes } from '@octokit/rest';
import { UserError } from '../errors.js';
import { gitHubOutage, type GitHubClient } from './client.js';

export type Repository = RestEndpointMethodTypes['repos']['get']['response']['data'];
export type DeploymentEnvironment = NonNullable<RestEndpointMethodTypes['repos']['getAllEnvironments']['response']['data']['environments']>[number];
export type OrgSecret = RestEndpointMethodTypes['actions']['listOrgSecrets']['response']['data']['secrets'][number];
export type Runner = RestEndpointMethodTypes['actions']['listSelfHostedRunnersForRepo']['response']['data']['runners'][number];
export type DeployKey = RestEndpointMethodTypes['repos']['listDeployKeys']['response']['data'][number];

/** What GitHub tells about a stored secret: its name and dates, never its value. */
export interface SecretMeta {
  name: string;
  createdAt: string;
  updatedAt: string;
}

const meta = (s: { name: string; created_at: string; updated_at: string }): SecretMeta => ({
  name: s.name,
  createdAt: s.created_at,
  updatedAt: s.updated_at,
});

export interface WorkflowPermissions {
  default_workflow_permissions: 'read' | 'write';
  can_approve_pull_request_reviews: boolean;
}
export interface ForkPrApproval {
  approval_policy: 'first_time_contributors_new_to_github' | 'first_time_contributors' | 'all_external_contributors';
}
export interface PrivateForkPrSettings {
  run_workflows_from_fork_pull_requests: boolean;
  send_write_tokens_to_workflows: boolean;
  send_secrets_and_variables: boolean;
  require_approval_for_fork_pr_workflows: boolean;
}
export interface RunnerGroup {
  id: number;
  name: string;
  visibility: string;
  allows_public_repositories: boolean;
  runners_url: string;
}

interface ErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** The settings audit's view of one repository. Every getter is memoised. */
export class GitHubFacts {
  readonly notes: string[] = [];
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly octokit: GitHubClient,
    readonly owner: string,
    readonly repo: string,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** The repository itself. Not finding it, or a rejected token, ends the audit: nothing else can work. */
  repository(): Promise<Repository> {
    return this.once('repository', async () => {
      try {
        return (await this.octokit.rest.repos.get({ owner: this.owner, repo: this.repo })).data;
      } catch (error) {
        const e = error as ErrorLike;
        if (e.status === 401) throw new UserError(`GitHub rejected the token (401 on GET /repos/${this.fullName})`, 'set GITHUB_TOKEN or GH_TOKEN to a valid token');
        if (e.status === 404) throw new UserError(`GitHub repository ${this.fullName} was not found, or the token cannot see it`, 'check --github OWNER/REPO, and that the token has "Metadata: read" on it');
        const outage = gitHubOutage(error);
        if (e.status === undefined || outage) throw new UserError(`cannot read ${this.fullName} on GitHub: ${outage ?? e.message ?? String(error)}`, 'check --github-url (or GITHUB_API_URL) and the network, or run the audit again later');
        throw new UserError(`GitHub answered ${e.status} on GET /repos/${this.fullName}: ${e.message ?? ''}`.trim());
      }
    });
  }

  async isOrganization(): Promise<boolean> {
    return (await this.repository()).owner.type === 'Organization';
  }

  async isPublic(): Promise<boolean> {
    const r = await this.repository();
    return r.visibility ? r.visibility === 'public' : !r.private;
  }

  environments(): Promise<DeploymentEnvironment[] | undefined> {
    return this.fetch('environments', 'the deployment environments', `GET /repos/${this.fullName}/environments`, 'Actions: read',
      // paginate unwraps `{ total_count, environments }` into the list; its types do not know it.
      async () =>
        (await this.octokit.paginate(this.octokit.rest.repos.getAllEnvironments, {
          owner: this.owner,
          repo: this.repo,
          per_page: 100,
        })) as unknown as DeploymentEnvironment[],
    );
  }

  /** An environment's secrets: names and dates (GitHub never returns a value). */
  environmentSecretList(environment: string): Promise<SecretMeta[] | undefined> {
    const route = `GET /repos/${this.fullName}/environments/${encodeURIComponent(environment)}/secrets`;
    return this.fetch(`env-secrets:${environment}`, `the secrets of environment "${environment}"`, route, 'Environments: read', async () =>
      (
        await this.octokit.paginate(this.octokit.rest.actions.listEnvironmentSecrets, {
          owner: this.owner,
          repo: this.repo,
          environment_name: environment,
          per_page: 100,
        })
      ).map(meta),
    );
  }

  async environmentSecrets(environment: string): Promise<string[] | undefined> {
    return (await this.environmentSecretList(environment))?.map((s) => s.name);
  }

  repositorySecretList(): Promise<SecretMeta[] | undefined> {
    return this.fetch('repo-secrets', 'the repository secrets', `GET /repos/${this.fullName}/actions/secrets`, 'Secrets: read', async () =>
      (
        await this.octokit.paginate(this.octokit.rest.actions.listRepoSecrets, { owner: this.owner, repo: this.repo, per_page: 100 })
      ).map(meta),
    );
  }

  async repositorySecrets(): Promise<string[] | undefined> {
    return (await this.repositorySecretList())?.map((s) => s.name);
  }

  /** Organisation secrets this repository can use, with dates (visibility needs the organisation's own list). */
  organizationSecretListForRepository(): Promise<SecretMeta[] | undefined> {
    return this.fetch('repo-org-secrets', 'the organisation secrets shared with the repository', `GET /repos/${this.fullName}/actions/organization-secrets`, 'Secrets: read', async () =>
      (
        await this.octokit.paginate(this.octokit.rest.actions.listRepoOrganizationSecrets, {
          owner: this.owner,
          repo: this.repo,
          per_page: 100,
        })
      ).map(meta),
    );
  }

  async organizationSecretsForRepository(): Promise<string[] | undefined> {
    return (await this.organizationSecretListForRepository())?.map((s) => s.name);
  }

  /** The repositories an organisation secret of visibility `selected` is shared with (full names). */
  organizationSecretRepositories(name: string): Promise<string[] | undefined> {
    const route = `GET /orgs/${this.owner}/actions/secrets/${name}/repositories`;
    return this.fetch(`org-secret-repos:${name}`, `the repositories organisation secret ${name} is shared with`, route, 'Secrets: read (organisation permission)', async () =>
      (
        await this.octokit.paginate(this.octokit.rest.actions.listSelectedReposForOrgSecret, {
          org: this.owner,
          secret_name: name,
          per_page: 100,
        })
      ).map((r) => r.full_name),
    );
  }

  /** The repository's deploy keys (the public half only). */
  deployKeys(): Promise<DeployKey[] | undefined> {
    return this.fetch('deploy-keys', 'the deploy keys', `GET /repos/${this.fullName}/keys`, 'Administration: read', () =>
      this.octokit.paginate(this.octokit.rest.repos.listDeployKeys, { owner: this.owner, repo: this.repo, per_page: 100 }),
    );
  }

  organizationSecrets(): Promise<OrgSecret[] | undefined> {
    return this.fetch('org-secrets', `the secrets of organisation ${this.owner}`, `GET /orgs/${this.owner}/actions/secrets`, 'Secrets: read (organisation permission)', () =>
      this.octokit.paginate(this.octokit.rest.actions.listOrgSecrets, { org: this.owner, per_page: 100 }),
    );
  }

  workflowPermissions(): Promise<WorkflowPermissions | undefined> {
    const route = `GET /repos/${this.fullName}/actions/permissions/workflow`;
    return this.fetch('workflow-permissions', 'the default workflow token permissions', route, 'Administration: read', async () =>
      (await this.octokit.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository({ owner: this.owner, repo: this.repo }))
        .data as WorkflowPermissions,
    );
  }

  forkPrApproval(): Promise<ForkPrApproval | undefined> {
    const route = `GET /repos/${this.fullName}/actions/permissions/fork-pr-contributor-approval`;
    return this.fetch('fork-pr-approval', 'the approval policy for fork pull request workflows', route, 'Administration: read', async () =>
      (await this.octokit.request('GET /repos/{owner}/{repo}/actions/permissions/fork-pr-contributor-approval', { owner: this.owner, repo: this.repo })).data as ForkPrApproval,
    );
  }

  privateForkPrSettings(): Promise<PrivateForkPrSettings | undefined> {
    const route = `GET /repos/${this.fullName}/actions/permissions/fork-pr-workflows-private-repos`;
    return this.fetch('private-fork-pr', 'the fork pull request workflow settings of the private repository', route, 'Administration: read', async () =>
      (await this.octokit.request('GET /repos/{owner}/{repo}/actions/permissions/fork-pr-workflows-private-repos', { owner: this.owner, repo: this.repo })).data as PrivateForkPrSettings,
    );
  }

  repositoryRunners(): Promise<Runner[] | undefined> {
    return this.fetch('repo-runners', 'the self-hosted runners of the repository', `GET /repos/${this.fullName}/actions/runners`, 'Administration: read', () =>
      this.octokit.paginate(this.octokit.rest.actions.listSelfHostedRunnersForRepo, { owner: this.owner, repo: this.repo, per_page: 100 }),
    );
  }

  organizationRunnerGroups(): Promise<RunnerGroup[] | undefined> {
    return this.fetch('org-runner-groups', `the runner groups of organisation ${this.owner}`, `GET /orgs/${this.owner}/actions/runner-groups`, 'Self-hosted runners: read (organisation permission)', async () =>
      (await this.octokit.paginate('GET /orgs/{org}/actions/runner-groups', { org: this.owner, per_page: 100 })) as RunnerGroup[],
    );
  }

  /** Runners in one organisation runner group (to tell an empty group from a live one). */
  runnerGroupRunners(group: RunnerGroup): Promise<Runner[] | undefined> {
    const route = `GET /orgs/${this.owner}/actions/runner-groups/${group.id}/runners`;
    return this.fetch(`group-runners:${group.id}`, `the runners of runner group "${group.name}"`, route, 'Self-hosted runners: read (organisation permission)', async () =>
      (await this.octokit.paginate('GET /orgs/{org}/actions/runner-groups/{runner_group_id}/runners', { org: this.owner, runner_group_id: group.id, per_page: 100 })) as Runner[],
    );
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.memo.set(key, hit);
    }
    return hit;
  }

  /** Runs a request; a refusal becomes one note, naming the permission, and `undefined`. */
  private fetch<T>(key: string, what: string, route: string, permission: string, load: () => Promise<T>): Promise<T | undefined> {
    return this.once(key, async () => {
      try {
        return await load();
      } catch (error) {
        const e = error as ErrorLike;
        const outage = gitHubOutage(error);
        if (e.status === undefined || outage) {
          this.notes.push(`github: could not read ${what} (${route}): ${outage ?? e.message ?? String(error)}; the check was skipped`);
          return undefined;
        }
        this.notes.push(refusalNote(e, what, route, permission));
        return undefined;
      }
    });
  }
}

/** `github: could not read X (403 on GET …): the token needs "Administration: read"`. */
function refusalNote(e: ErrorLike, what: string, route: string, permission: string): string {
  const headers = e.response?.headers ?? {};
  const status = e.status ?? 0;
  const head = `github: could not read ${what} (${status} on ${route})`;
  if (status === 429 || (status === 403 && String(headers['x-ratelimit-remaining']) === '0')) return `${head}: the API rate limit was exhausted; run the audit again later`;
  // GitHub names the fine-grained permissions an endpoint accepts in this header, e.g. "actions=read".
  const accepted = headers['x-accepted-github-permissions'];
  const needs = accepted ? `"${permission}" (GitHub accepts: ${String(accepted)})` : `"${permission}"`;
  if (status === 403) return `${head}: the token needs ${needs}; the check was skipped`;
  if (status === 404) return `${head}: not found, or hidden from the token, which needs ${needs}; the check was skipped`;
  return `${head}: ${e.message ?? 'unexpected answer'}; the check was skipped`;
}
