/**
 * The projects of a GitLab group for `keyfence audit --gitlab-group`: GET /groups/:id/projects with
 * its subgroups' projects (`include_subgroups`), without projects only shared to it
 * (`with_shared=false`: another group owns and audits those), page by page through the Link header.
 * GitLab's group listing carries no repository size (`statistics` is an option of GET /projects, not
 * of this endpoint), so every size is 0 and shards are balanced by count.
 */
import { UserError } from '../errors.js';
import type { OrgRepository } from '../github/orgRepositories.js';
import { gitLabFailure, type GitLabClient } from './client.js';

type Raw = Record<string, unknown>;

/** A group's full path as GitLab allows it: `group` or `group/subgroup/…`. */
export function parseGroupPath(value: string): string | undefined {
  const p = value.trim().replace(/^\/+|\/+$/g, '');
  if (!p) return undefined;
  const parts = p.split('/');
  return parts.every((s) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(s) && !s.endsWith('.git') && !s.endsWith('.atom')) ? p : undefined;
}

/**
 * Every project of `group` and its subgroups, in the OrgRepository shape, sorted by full path so
 * every machine of a sharded run sees the same list. `name` is the project's path below the group
 * (`backend/api`): what --include-repo and --exclude-repo match and what the mirror is named by.
 * Archived projects are not asked for unless `archived` is set.
 */
export async function listGroupProjects(api: GitLabClient, group: string, options: { archived: boolean }): Promise<OrgRepository[]> {
  let raw: Raw[];
  try {
    raw = (await api.Groups.allProjects(group, {
      includeSubgroups: true,
      withShared: false,
      // A stable order while paging: a project created meanwhile lands on the last page.
      orderBy: 'id',
      sort: 'asc',
      perPage: 100,
      ...(options.archived ? {} : { archived: false }),
    })) as unknown as Raw[];
  } catch (error) {
    const f = gitLabFailure(error);
    if (f.status === 404) throw new UserError(`GitLab shows no group "${group}"`, 'check the group\'s full path (as in https://gitlab.com/GROUP) and --gitlab-url, and that the token\'s user is a member of a private group');
    if (f.status === 401) throw new UserError('GitLab rejected the token (401 on GET /groups/:id/projects)', 'set GITLAB_TOKEN to a valid personal, group or project access token with the read_api scope');
    if (f.status === 403) throw new UserError(`GitLab refused to list the projects of "${group}" (403: ${f.message})`, `give the token the ${f.scope ?? 'read_api'} scope`);
    if (f.status === undefined || f.status >= 500) throw new UserError(`cannot list the projects of "${group}" on GitLab: ${f.status === undefined ? f.message : `GitLab answered ${f.status}`}`, 'check --gitlab-url and the network, or run the audit again later');
    throw new UserError(`GitLab answered ${f.status} listing the projects of "${group}": ${f.message}`.trim());
  }
  const prefix = `${group.toLowerCase()}/`;
  const projects: OrgRepository[] = [];
  for (const p of raw) {
    const fullName = typeof p.path_with_namespace === 'string' ? p.path_with_namespace : undefined;
    const cloneUrl = typeof p.http_url_to_repo === 'string' ? p.http_url_to_repo : undefined;
    if (!fullName || !cloneUrl) continue;
    const visibility = p.visibility === 'private' || p.visibility === 'internal' ? p.visibility : 'public';
    projects.push({
      fullName,
      name: fullName.toLowerCase().startsWith(prefix) ? fullName.slice(prefix.length) : fullName,
      cloneUrl,
      size: 0,
      archived: p.archived === true,
      // Shown only on a fork whose source project the token's user can read.
      fork: typeof p.forked_from_project === 'object' && p.forked_from_project !== null,
      visibility,
    });
  }
  return projects.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
}
