/**
 * What the GitLab settings checks read, fetched once per audit and shared by every check. A request
 * the token may not make becomes a note naming the scope and role it needs, and the value
 * `undefined`: checks skip what they cannot see, and never crash on it.
 *
 * GitLab's variable lists return each variable's value. keyfence keeps none: `variables()` copies
 * the attributes it judges and drops the rest of the answer where it arrives.
 */
import { UserError } from '../errors.js';
import { gitLabFailure, type GitLabClient, type GitLabFailure } from './client.js';

/** A CI/CD variable as the checks see it: where it is defined and how, never its value. */
export interface StoredVariable {
  key: string;
  /** Defined in the project, or in one of its groups. */
  level: 'project' | 'group';
  /** The project's or the group's full path. */
  owner: string;
  protected: boolean;
  masked: boolean;
  /** Masked and hidden: its value cannot be read back in the settings either. */
  hidden: boolean;
  type: 'env_var' | 'file';
  /** `*`, or the environments (a name or a wildcard pattern) whose jobs receive it. */
  environmentScope: string;
  /** `gitlab:OWNER/variables/KEY`: where the settings hold it, in reports. */
  place: string;
}

export interface Project {
  id: number;
  pathWithNamespace: string;
  defaultBranch: string | undefined;
  visibility: string | undefined;
  /** The namespace's full path and whether it is a group (a user's namespace has no variables API). */
  namespace: { fullPath: string; kind: string };
  /** Where the pipeline configuration lives (`ci_config_path`); empty means `.gitlab-ci.yml`. */
  ciConfigPath: string;
  /** `ci_allow_fork_pipelines_to_run_in_parent_project`; undefined when GitLab does not show it to the token. */
  forkPipelinesInParent: boolean | undefined;
}

export interface GitLabEnvironment {
  name: string;
  tier: string | undefined;
}

export interface ProtectedEnvironment {
  name: string;
  requiredApprovalCount: number;
  /** Approvals the `approval_rules` ask for, added up (multiple approval rules). */
  ruleApprovals: number;
  deployAccessLevels: { accessLevel: number | undefined; description: string }[];
}

export interface ProtectedBranch {
  name: string;
  allowForcePush: boolean;
  pushAccessLevels: { accessLevel: number | undefined; description: string }[];
}

interface Raw {
  [key: string]: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);
const levels = (v: unknown) => list(v).map((l) => ({ accessLevel: num(l.access_level), description: str(l.access_level_description) ?? '' }));

/** Ancestor groups of a namespace, outermost first: `a/b/c` → `a`, `a/b`, `a/b/c`. */
export function groupChain(fullPath: string): string[] {
  const parts = fullPath.split('/').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The settings audit's view of one project. Every getter is memoised. */
export class GitLabFacts {
  readonly notes: string[] = [];
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly api: GitLabClient,
    /** GROUP/PROJECT as given to --gitlab. */
    readonly path: string,
  ) {}

  private get route(): string {
    return `/projects/${encodeURIComponent(this.path)}`;
  }

  /** The project itself. Not finding it, or a rejected token, ends the audit: nothing else can work. */
  project(): Promise<Project> {
    return this.once('project', async () => {
      let raw: Raw;
      try {
        raw = (await this.api.Projects.show(this.path)) as unknown as Raw;
      } catch (error) {
        const f = gitLabFailure(error);
        if (f.status === 401) throw new UserError(`GitLab rejected the token (401 on GET ${this.route})`, 'set GITLAB_TOKEN to a valid personal, project or group access token with the read_api scope');
        if (f.status === 404) throw new UserError(`GitLab project ${this.path} was not found, or the token cannot see it`, 'check --gitlab GROUP/PROJECT and --gitlab-url, and that the token\'s user is a member of the project');
        if (f.status === 403) throw new UserError(`GitLab refused GET ${this.route} (403: ${f.message})`, `give the token the ${f.scope ?? 'read_api'} scope`);
        if (f.status === undefined || f.status >= 500) throw new UserError(`cannot read ${this.path} on GitLab: ${outage(f)}`, 'check --gitlab-url and the network, or run the audit again later');
        throw new UserError(`GitLab answered ${f.status} on GET ${this.route}: ${f.message}`.trim());
      }
      const namespace = (raw.namespace ?? {}) as Raw;
      const fork = raw.ci_allow_fork_pipelines_to_run_in_parent_project;
      return {
        id: num(raw.id) ?? 0,
        pathWithNamespace: str(raw.path_with_namespace) ?? this.path,
        defaultBranch: str(raw.default_branch),
        visibility: str(raw.visibility),
        namespace: { fullPath: str(namespace.full_path) ?? this.path.split('/').slice(0, -1).join('/'), kind: str(namespace.kind) ?? 'group' },
        ciConfigPath: str(raw.ci_config_path) ?? '',
        forkPipelinesInParent: typeof fork === 'boolean' ? fork : undefined,
      };
    });
  }

  /** The project's CI/CD variables, without their values. */
  projectVariables(): Promise<StoredVariable[] | undefined> {
    return this.fetch('project-variables', 'the project CI/CD variables', `GET ${this.route}/variables`, 'the read_api scope and at least the Maintainer role on the project', async () =>
      stripValues((await this.api.ProjectVariables.all(this.path, { perPage: 100 })) as unknown as Raw[], 'project', this.path),
    );
  }

  /** Variables of every group above the project (a user namespace has none), without their values. */
  async groupVariables(): Promise<StoredVariable[]> {
    return (await this.groupVariableLists()).variables;
  }

  /** Whether every group's variables could be read: "defined nowhere" can be said only then. */
  async allGroupVariablesRead(): Promise<boolean> {
    return (await this.groupVariableLists()).complete;
  }

  private groupVariableLists(): Promise<{ variables: StoredVariable[]; complete: boolean }> {
    return this.once('group-variables', async () => {
      const project = await this.project();
      const variables: StoredVariable[] = [];
      let complete = true;
      if (project.namespace.kind !== 'group') return { variables, complete };
      for (const group of groupChain(project.namespace.fullPath)) {
        const route = `GET /groups/${encodeURIComponent(group)}/variables`;
        const got = await this.fetch(`group-variables:${group}`, `the CI/CD variables of group ${group}`, route, `the read_api scope and at least the Maintainer role on group ${group}`, async () =>
          stripValues((await this.api.GroupVariables.all(group, { perPage: 100 })) as unknown as Raw[], 'group', group),
        );
        if (got) variables.push(...got);
        else complete = false;
      }
      return { variables, complete };
    });
  }

  /** Every variable the project's pipelines receive from the settings, project over group. */
  async variables(): Promise<StoredVariable[]> {
    return [...((await this.projectVariables()) ?? []), ...(await this.groupVariables())];
  }

  environments(): Promise<GitLabEnvironment[] | undefined> {
    return this.fetch('environments', 'the environments', `GET ${this.route}/environments`, 'the read_api scope and at least the Reporter role', async () =>
      ((await this.api.Environments.all(this.path, { perPage: 100 })) as unknown as Raw[]).map((e) => ({ name: str(e.name) ?? '', tier: str(e.tier) })),
    );
  }

  /** Protected environments (GitLab Premium and Ultimate). */
  protectedEnvironments(): Promise<ProtectedEnvironment[] | undefined> {
    const route = `GET ${this.route}/protected_environments`;
    return this.fetch('protected-environments', 'the protected environments', route, 'the read_api scope and at least the Maintainer role on the project (protected environments need GitLab Premium or Ultimate)', async () =>
      // gitbeaker puts this resource's id into the path as given: the project's path goes in encoded.
      ((await this.api.ProjectProtectedEnvironments.all(encodeURIComponent(this.path), { perPage: 100 })) as unknown as Raw[]).map((e) => ({
        name: str(e.name) ?? '',
        requiredApprovalCount: num(e.required_approval_count) ?? 0,
        ruleApprovals: list(e.approval_rules).reduce((n, r) => n + (num(r.required_approvals) ?? 0), 0),
        deployAccessLevels: levels(e.deploy_access_levels),
      })),
    );
  }

  protectedBranches(): Promise<ProtectedBranch[] | undefined> {
    return this.fetch('protected-branches', 'the protected branches', `GET ${this.route}/protected_branches`, 'the read_api scope and at least the Maintainer role on the project', async () =>
      ((await this.api.ProtectedBranches.all(this.path, { perPage: 100 })) as unknown as Raw[]).map((b) => ({
        name: str(b.name) ?? '',
        allowForcePush: b.allow_force_push === true,
        pushAccessLevels: levels(b.push_access_levels),
      })),
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

  /** Runs a request; a refusal becomes one note, naming the scope and role, and `undefined`. */
  private fetch<T>(key: string, what: string, route: string, needs: string, load: () => Promise<T>): Promise<T | undefined> {
    return this.once(key, async () => {
      try {
        return await load();
      } catch (error) {
        this.notes.push(refusalNote(gitLabFailure(error), what, route, needs));
        return undefined;
      }
    });
  }
}

/**
 * The attributes of each variable in a list answer, the value left behind. Only the named fields are
 * copied: nothing else of GitLab's answer reaches a check or a report.
 */
function stripValues(raw: Raw[], level: StoredVariable['level'], owner: string): StoredVariable[] {
  return raw.map((v) => {
    const key = str(v.key) ?? '';
    return {
      key,
      level,
      owner,
      protected: v.protected === true,
      masked: v.masked === true,
      hidden: v.hidden === true,
      type: v.variable_type === 'file' ? 'file' : 'env_var',
      environmentScope: str(v.environment_scope) ?? '*',
      place: `gitlab:${owner}/variables/${key}`,
    };
  });
}

function outage(f: GitLabFailure): string {
  if (f.status === undefined) return `GitLab could not be reached (${f.message})`;
  return `GitLab answered ${f.status}, a server error${f.message ? ` (its message: ${f.message})` : ''}`;
}

/** `gitlab: could not read X (403 on GET …): the token needs the read_api scope and …`. */
function refusalNote(f: GitLabFailure, what: string, route: string, needs: string): string {
  if (f.status === undefined || f.status >= 500) return `gitlab: could not read ${what} (${route}): ${outage(f)}; the check was skipped`;
  const head = `gitlab: could not read ${what} (${f.status} on ${route})`;
  if (f.status === 429) return `${head}: the API rate limit was exhausted; run the audit again later`;
  // An `insufficient_scope` answer names the scopes the endpoint accepts.
  const scope = f.scope ? ` (GitLab accepts the scopes: ${f.scope})` : '';
  if (f.status === 401) return `${head}: the token was not accepted here; it needs ${needs}${scope}; the check was skipped`;
  if (f.status === 403) return `${head}: the token needs ${needs}${scope}; the check was skipped`;
  if (f.status === 404) return `${head}: not found, or hidden from the token, which needs ${needs}; the check was skipped`;
  return `${head}: ${f.message || 'unexpected answer'}; the check was skipped`;
}
