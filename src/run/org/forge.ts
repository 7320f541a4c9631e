/**
 * Where an organisation's repositories live: GitHub (`audit --org ORG`) or GitLab
 * (`audit --gitlab-group GROUP`). Everything else of an organisation run (mirrors, shards, resume,
 * the one pipeline, the report) is the same for both; a forge only says which repositories there
 * are, how git may reach them, and how one repository's settings are read.
 */
import type { KeyfenceConfig } from '../../config/config.js';
import type { OrgRepository } from '../../github/orgRepositories.js';
import { githubLinker, gitlabLinker, type Linker } from '../reportLinks.js';
import type { ExtraFindings } from '../run.js';
import type { CloneAccess } from './mirror.js';
import type { RepositorySelection } from './selection.js';

export type ForgeKind = 'github' | 'gitlab';

/** What a forge is asked with: which organisation or group, on which instance, with which token. */
export interface ForgeTarget {
  forge: ForgeKind;
  /** The GitHub organisation, or the GitLab group's full path. */
  org: string;
  /** GitHub's API root, or the GitLab instance's address. */
  baseUrl: string;
  token: string;
}

export interface Forge {
  /** Every repository of the organisation (sorted by full name), before the selection. */
  list(selection: RepositorySelection): Promise<OrgRepository[]>;
  /** How git reaches the clone URLs: the token, for the forge's own web host only. */
  access: Omit<CloneAccess, 'timeoutMs'>;
  /** The settings step of one repository's audit (`--settings`); what cannot be read becomes a note. */
  settings(
    repo: OrgRepository,
    root: string,
    note: (m: string) => void,
    config: () => Promise<KeyfenceConfig>,
  ): () => Promise<ExtraFindings>;
  /** Links from the report to a line of one of its repositories, on this forge; undefined: none. */
  linker(env: NodeJS.ProcessEnv): Linker | undefined;
}

export async function openForge(target: ForgeTarget, warn: (m: string) => void): Promise<Forge> {
  return target.forge === 'gitlab' ? gitlabForge(target, warn) : githubForge(target, warn);
}

async function githubForge(target: ForgeTarget, warn: (m: string) => void): Promise<Forge> {
  const { createGitHubClient } = await import('../../github/client.js');
  const { listOrgRepositories } = await import('../../github/orgRepositories.js');
  const { githubSettings } = await import('../audit.js');
  const { tokenHosts } = await import('./mirror.js');
  return {
    list: () => listOrgRepositories(createGitHubClient({ token: target.token, baseUrl: target.baseUrl, warn }), target.org),
    access: { token: target.token, hosts: tokenHosts(target.baseUrl) },
    settings(repo, root, note, config) {
      const [owner, name] = repo.fullName.split('/') as [string, string];
      return githubSettings({ owner, repo: name, token: target.token, baseUrl: target.baseUrl, optional: true }, root, note, config);
    },
    // The API root is no web address: GitHub Actions' server (GITHUB_SERVER_URL) is where they link, as for any report.
    linker: (env) => githubLinker(env),
  };
}

async function gitlabForge(target: ForgeTarget, warn: (m: string) => void): Promise<Forge> {
  const { createGitLabClient } = await import('../../gitlab/client.js');
  const { listGroupProjects } = await import('../../gitlab/groupProjects.js');
  const { gitlabSettings } = await import('../gitlabSettings.js');
  const api = createGitLabClient({ token: target.token, baseUrl: target.baseUrl, warn });
  return {
    list: (selection) => listGroupProjects(api, target.org, { archived: selection.archived }),
    // GitLab takes an access token over HTTPS as the password of the user `oauth2`.
    access: { token: target.token, hosts: [new URL(target.baseUrl).host], username: 'oauth2' },
    settings: (repo, root, note) =>
      gitlabSettings({ project: repo.fullName, token: target.token, baseUrl: target.baseUrl, optional: true }, root, note),
    // The instance's own address, never GitHub's, even when GitHub Actions runs the audit.
    linker: () => gitlabLinker(target.baseUrl),
  };
}
