/**
 * A GitLab group on loopback for `keyfence audit --gitlab-group`: GET /groups/:id/projects served
 * by the local GitLab server of test/support (offset pages with Link and x-* headers), answering as
 * GitLab's Groups API documents it: the group's own projects, its subgroups' only with
 * `include_subgroups=true`, projects shared to it unless `with_shared=false`, and `archived` and
 * `visibility` as filters. Each project is a bare git repository on disk whose `http_url_to_repo`
 * is its file:// URL.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gitlabError, groupProject, paginated, startGitLabServer, type GitLabServer } from '../support/gitlabServer.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

export const GROUP = 'acme';
/** Projects a page: GitLab's is up to 100; a small page makes the listing follow the Link header. */
export const PER_PAGE = 3;

export interface ProjectSpec {
  /** The path below the group (`api`, `backend/billing`); the full path of a project shared from another group. */
  path: string;
  /** Files of its one commit. */
  files?: Record<string, string>;
  archived?: boolean;
  /** The full path of the project it was forked from. */
  forkOf?: string;
  visibility?: 'public' | 'private' | 'internal';
  /** A project of another group, shared to this one (`path` is then its full path). */
  shared?: boolean;
  /** A clone URL that leads nowhere (the project was deleted after the listing). */
  missing?: boolean;
  /** A project whose repository has no commit yet (`empty_repo`, no default branch). */
  empty?: boolean;
}

export interface Group {
  server: GitLabServer;
  dir: TempDir;
  /** The environment for the CLI: token, instance, cache. */
  env: NodeJS.ProcessEnv;
  /** The bare repository a project's clone URL leads to (`path` as in its spec). */
  bare(path: string): string;
  /** The query of each listing request, in order. */
  listings(): URLSearchParams[];
  close(): Promise<void>;
}

export async function startGroup(specs: ProjectSpec[]): Promise<Group> {
  const dir = tempDir('keyfence-group-test-');
  const server = await startGitLabServer();
  const fullPath = (spec: Pick<ProjectSpec, 'path' | 'shared'>) => (spec.shared ? spec.path : `${GROUP}/${spec.path}`);
  const bareOf = (full: string) => join(dir.path, 'remotes', `${full}.git`);
  const projects = specs.map((spec) => {
    const full = fullPath(spec);
    const bare = bareOf(full);
    if (spec.empty) dir.git('init', '-q', '--bare', bare);
    else if (!spec.missing) {
      const work = tempRepo('keyfence-group-work-');
      for (const [file, content] of Object.entries(spec.files ?? { 'README.md': `# ${spec.path}\n` })) work.write(file, content);
      work.git('add', '.');
      work.git('commit', '-q', '-m', 'first');
      work.git('clone', '-q', '--bare', work.path, bare);
      work.remove();
    }
    const listed = groupProject(full, pathToFileURL(bare).href, {
      ...(spec.archived !== undefined ? { archived: spec.archived } : {}),
      ...(spec.visibility ? { visibility: spec.visibility } : {}),
      ...(spec.forkOf ? { forkOf: spec.forkOf } : {}),
      ...(spec.empty ? { empty: true } : {}),
    });
    return { spec, full, listed };
  });
  server.on('GET /groups/:id/projects', (req, s) => {
    const group = req.params.id!;
    const q = req.query;
    const inGroup = (full: string) => full.startsWith(`${group}/`);
    if (group !== GROUP && !projects.some((p) => !p.spec.shared && inGroup(p.full))) return gitlabError(404, 'Group Not Found');
    const kept = projects.filter(({ spec, full, listed }) => {
      if (spec.shared) {
        if (q.get('with_shared') === 'false') return false;
      } else if (!inGroup(full)) return false;
      else if (q.get('include_subgroups') !== 'true' && full.slice(group.length + 1).includes('/')) return false;
      if (q.has('archived') && String(listed.archived) !== q.get('archived')) return false;
      if (q.has('visibility') && listed.visibility !== q.get('visibility')) return false;
      return true;
    });
    return paginated(kept.map((p) => p.listed), PER_PAGE)(req, s);
  });
  return {
    server,
    dir,
    env: {
      GITLAB_TOKEN: `test-token-${process.pid}`,
      CI_SERVER_URL: server.url,
      KEYFENCE_CACHE_DIR: join(dir.path, 'cache'),
    },
    bare: (path) => bareOf(fullPath(specs.find((s) => s.path === path) ?? { path })),
    listings: () => server.requests.filter((r) => r.route === 'GET /groups/:id/projects').map((r) => r.query),
    async close() {
      await server.close();
      dir.remove();
    },
  };
}
