import { UserError } from '../errors.js';
import type { GitHubClient } from './client.js';

/** What an organisation audit needs of a repository GitHub lists: a name, where to clone it, how big it is. */
export interface OrgRepository {
  /** "owner/name", the `repository` of every finding it yields. */
  fullName: string;
  name: string;
  /** As GitHub gives it: `https://…` (a local test server gives `file://…`). */
  cloneUrl: string;
  /** Kilobytes, as GitHub reports it: what shards are balanced by. */
  size: number;
  archived: boolean;
  fork: boolean;
  visibility: 'public' | 'private' | 'internal';
}

/**
 * Every repository of `org`, page by page (GET /orgs/{org}/repos follows its Link header), kept
 * in a small shape and sorted by full name so every machine of a sharded run sees the same list.
 * An organisation GitHub does not show is a usage error: nothing could be audited.
 */
export async function listOrgRepositories(octokit: GitHubClient, org: string): Promise<OrgRepository[]> {
  const repos: OrgRepository[] = [];
  try {
    for await (const page of octokit.paginate.iterator('GET /orgs/{org}/repos', { org, type: 'all', per_page: 100 })) {
      for (const r of page.data) {
        if (!r.clone_url) continue;
        repos.push({
          fullName: r.full_name,
          name: r.name,
          cloneUrl: r.clone_url,
          size: r.size ?? 0,
          archived: r.archived === true,
          fork: r.fork,
          visibility: (r.visibility as OrgRepository['visibility'] | undefined) ?? (r.private ? 'private' : 'public'),
        });
      }
    }
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 404) throw new UserError(`GitHub shows no organisation "${org}"`, 'check the name, and that the token (GITHUB_TOKEN) belongs to a member for private organisations');
    if (status === 401 || status === 403) throw new UserError(`GitHub refused to list the repositories of "${org}" (${status})`, 'give a token in GITHUB_TOKEN that can read the organisation (metadata: read)');
    throw error;
  }
  return repos.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
}
