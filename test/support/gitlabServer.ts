/**
 * A real HTTP server on 127.0.0.1 standing in for the GitLab REST API (v4), for the endpoints
 * `audit --gitlab` reads. Answers are shaped as GitLab's API documentation describes them: the
 * attributes of each resource, offset pagination (`page`, `per_page`; `Link` with next/prev/first/
 * last, `x-page`, `x-per-page`, `x-next-page`, `x-prev-page`, `x-total`, `x-total-pages`), the
 * `RateLimit-*` headers on every answer, and error bodies as `{"message": "403 Forbidden"}`. Every
 * answer is checked against the documented attributes, every request for the token; problems are
 * collected for the test to assert on. Nothing here reaches beyond loopback.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  /** Path below /api/v4, decoded per segment: /projects/my-group%2Fapp/variables keeps `:id` = my-group/app. */
  path: string;
  route: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export type Handler = (req: RecordedRequest, server: GitLabServer) => Answer | Promise<Answer>;

export interface GitLabServer {
  /** The instance's address to hand to keyfence (the client adds /api/v4). */
  url: string;
  requests: RecordedRequest[];
  problems: string[];
  on(route: string, handler: Handler | Answer): void;
  close(): Promise<void>;
}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'string|null' | 'number|null';

/** The documented attributes of each answer (GitLab's REST API docs of each resource). */
const SHAPES: Record<string, { list: boolean; fields: Record<string, Kind> }> = {
  'GET /projects/:id': {
    list: false,
    fields: { id: 'number', name: 'string', path: 'string', path_with_namespace: 'string', default_branch: 'string', visibility: 'string', namespace: 'object', web_url: 'string' },
  },
  'GET /groups/:id/projects': {
    list: true,
    fields: {
      id: 'number',
      name: 'string',
      path: 'string',
      path_with_namespace: 'string',
      http_url_to_repo: 'string',
      ssh_url_to_repo: 'string',
      web_url: 'string',
      default_branch: 'string|null',
      visibility: 'string',
      archived: 'boolean',
      namespace: 'object',
    },
  },
  'GET /projects/:id/variables': {
    list: true,
    fields: { variable_type: 'string', key: 'string', value: 'string', protected: 'boolean', masked: 'boolean', hidden: 'boolean', raw: 'boolean', environment_scope: 'string', description: 'string|null' },
  },
  'GET /groups/:id/variables': {
    list: true,
    fields: { variable_type: 'string', key: 'string', value: 'string', protected: 'boolean', masked: 'boolean', hidden: 'boolean', raw: 'boolean', environment_scope: 'string', description: 'string|null' },
  },
  'GET /projects/:id/environments': {
    list: true,
    fields: { id: 'number', name: 'string', slug: 'string', external_url: 'string|null', state: 'string', tier: 'string', created_at: 'string', updated_at: 'string' },
  },
  'GET /projects/:id/protected_environments': {
    list: true,
    fields: { name: 'string', deploy_access_levels: 'array', required_approval_count: 'number', approval_rules: 'array' },
  },
  'GET /projects/:id/protected_branches': {
    list: true,
    fields: { id: 'number', name: 'string', push_access_levels: 'array', merge_access_levels: 'array', allow_force_push: 'boolean', code_owner_approval_required: 'boolean' },
  },
};

/** Endpoints that exist in GitLab's API but that the audit must never call. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /^\/(projects|groups)\/[^/]+\/variables\/[^/]+$/, why: 'keyfence must not read a single variable (its value)' },
];

const ROUTES = Object.keys(SHAPES).map((route) => {
  const [method, template] = route.split(' ') as [string, string];
  const names: string[] = [];
  const source = template.replace(/:([a-z_]+)/g, (_m, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { route, method, names, regex: new RegExp(`^${source}$`) };
});

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function shapeProblems(route: string, body: unknown): string[] {
  const shape = SHAPES[route]!;
  const items = shape.list ? (Array.isArray(body) ? body : null) : [body];
  if (!items) return [`${route}: the answer must be a JSON array`];
  const out: string[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null) return out.push(`${route}[${i}]: not an object`);
    for (const [field, kind] of Object.entries(shape.fields)) {
      const got = kindOf((item as Record<string, unknown>)[field]);
      if (!kind.split('|').includes(got)) out.push(`${route}[${i}].${field}: ${got}, documented as ${kind}`);
    }
    return undefined;
  });
  return out;
}

/** GitLab's RateLimit headers, as its API sends them with every answer. */
function rateLimitHeaders(observed: number): Record<string, string> {
  const reset = Math.floor(Date.now() / 1000) + 60;
  return {
    'ratelimit-name': 'throttle_authenticated_api',
    'ratelimit-limit': '2000',
    'ratelimit-observed': String(observed),
    'ratelimit-remaining': String(Math.max(0, 2000 - observed)),
    'ratelimit-reset': String(reset),
    'ratelimit-resettime': new Date(reset * 1000).toUTCString(),
  };
}

export async function startGitLabServer(): Promise<GitLabServer> {
  const handlers = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...rateLimitHeaders(requests.length), ...headers });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      if (!url.pathname.startsWith('/api/v4/')) {
        problems.push(`${method} ${url.pathname}: not under /api/v4`);
        return send(404, { error: '404 Not Found' });
      }
      // Match on the raw path: a project's `:id` is its URL-encoded full path, one segment.
      const raw = url.pathname.slice('/api/v4'.length);
      const recorded: RecordedRequest = { method, path: raw, route: '?', params: {}, query: url.searchParams, headers: req.headers };
      requests.push(recorded);
      for (const f of FORBIDDEN) if (f.pattern.test(raw)) problems.push(`${method} ${raw}: ${f.why}`);
      if (req.headers['private-token'] === undefined) problems.push(`${method} ${raw}: no PRIVATE-TOKEN header`);
      const found = ROUTES.find((r) => r.method === method && r.regex.test(raw));
      if (!found) {
        problems.push(`${method} ${raw}: not an endpoint this server answers`);
        return send(404, { error: '404 Not Found' });
      }
      const hit = found.regex.exec(raw)!;
      recorded.route = found.route;
      recorded.params = Object.fromEntries(found.names.map((n, i) => [n, decodeURIComponent(hit[i + 1]!)]));
      const handler = handlers.get(found.route);
      if (!handler) {
        problems.push(`${found.route}: no handler in this test`);
        return send(404, { message: '404 Not Found' });
      }
      try {
        const answer = await handler(recorded, self);
        const status = answer.status ?? 200;
        if (status === 200) problems.push(...shapeProblems(found.route, answer.body));
        send(status, answer.body, answer.headers);
      } catch (error) {
        problems.push(`${found.route}: handler threw ${(error as Error).stack}`);
        send(500, { message: '500 Internal Server Error' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const self: GitLabServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    on(route, handler) {
      if (!SHAPES[route]) throw new Error(`${route} is not an endpoint this server answers`);
      handlers.set(route, typeof handler === 'function' ? handler : () => handler);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return self;
}

/** A GitLab error answer: `{"message": "403 Forbidden"}`. */
export function gitlabError(status: number, message: string): Answer {
  return { status, body: { message: `${status} ${message}` } };
}

/** GitLab's answer to a token without the scope an endpoint needs. */
export function insufficientScope(scope: string): Answer {
  return {
    status: 403,
    body: { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope },
    headers: { 'www-authenticate': `Bearer realm="", error="insufficient_scope", error_description="The request requires higher privileges than provided by the access token.", scope="${scope}"` },
  };
}

/**
 * Offset pagination as GitLab's API does it: `page` and `per_page` (default 20, at most `max`), the
 * `x-*` headers and a `Link` header with next, prev, first and last.
 */
export function paginated<T>(items: T[], max: number): Handler {
  return (req, server) => {
    const page = Math.max(1, Number(req.query.get('page') ?? '1'));
    const per = Math.min(Number(req.query.get('per_page') ?? '20'), max);
    const pages = Math.max(1, Math.ceil(items.length / per));
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams(req.query);
      q.set('page', String(p));
      q.set('per_page', String(per));
      return `<${server.url}/api/v4${req.path}?${q}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'));
    if (page < pages) links.push(link(page + 1, 'next'));
    links.push(link(1, 'first'), link(pages, 'last'));
    return {
      body: items.slice((page - 1) * per, page * per),
      headers: {
        link: links.join(', '),
        'x-page': String(page),
        'x-per-page': String(per),
        'x-next-page': page < pages ? String(page + 1) : '',
        'x-prev-page': page > 1 ? String(page - 1) : '',
        'x-total': String(items.length),
        'x-total-pages': String(pages),
      },
    };
  };
}

/** Fixtures shaped as the API docs show them. */
export function project(path: string, o: { defaultBranch?: string; forkPipelines?: boolean; visibility?: string; namespaceKind?: 'group' | 'user'; ciConfigPath?: string } = {}) {
  const parts = path.split('/');
  const namespace = parts.slice(0, -1).join('/');
  return {
    id: 42,
    name: parts.at(-1)!,
    path: parts.at(-1)!,
    path_with_namespace: path,
    default_branch: o.defaultBranch ?? 'main',
    visibility: o.visibility ?? 'public',
    web_url: `https://gitlab.example.com/${path}`,
    namespace: { id: 7, name: parts[0], path: parts.at(-2), kind: o.namespaceKind ?? 'group', full_path: namespace, parent_id: null },
    ci_config_path: o.ciConfigPath ?? '',
    ...(o.forkPipelines !== undefined ? { ci_allow_fork_pipelines_to_run_in_parent_project: o.forkPipelines } : {}),
  };
}

let projectId = 100;
/**
 * A project as GET /groups/:id/projects lists it (the Projects API's project entity): a fork
 * carries `forked_from_project`. `cloneUrl` stands in for `http_url_to_repo` (a test gives file://).
 */
export function groupProject(
  path: string,
  cloneUrl: string,
  o: { archived?: boolean; visibility?: string; forkOf?: string; empty?: boolean } = {},
) {
  projectId++;
  const parts = path.split('/');
  const namespace = parts.slice(0, -1).join('/');
  return {
    id: projectId,
    name: parts.at(-1)!,
    path: parts.at(-1)!,
    name_with_namespace: parts.join(' / '),
    path_with_namespace: path,
    http_url_to_repo: cloneUrl,
    ssh_url_to_repo: `git@gitlab.example.com:${path}.git`,
    web_url: `https://gitlab.example.com/${path}`,
    default_branch: o.empty ? null : 'main',
    visibility: o.visibility ?? 'private',
    archived: o.archived ?? false,
    empty_repo: o.empty ?? false,
    namespace: { id: 7, name: parts.at(-2), path: parts.at(-2), kind: 'group', full_path: namespace, parent_id: null },
    ...(o.forkOf ? { forked_from_project: { id: 1, path_with_namespace: o.forkOf, name: o.forkOf.split('/').at(-1) } } : {}),
  };
}

export function variable(key: string, value: string, o: { protected?: boolean; masked?: boolean; scope?: string; type?: 'env_var' | 'file' } = {}) {
  return {
    variable_type: o.type ?? 'env_var',
    key,
    value,
    protected: o.protected ?? false,
    masked: o.masked ?? false,
    hidden: false,
    raw: false,
    environment_scope: o.scope ?? '*',
    description: null,
  };
}

let envId = 0;
export function environment(name: string, tier: string) {
  envId++;
  return {
    id: envId,
    name,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    external_url: null,
    state: 'available',
    tier,
    created_at: '2026-01-10T09:00:00.000Z',
    updated_at: '2026-01-10T09:00:00.000Z',
  };
}

const LEVEL: Record<number, string> = { 0: 'No one', 30: 'Developers + Maintainers', 40: 'Maintainers', 60: 'Admins' };

export function protectedEnvironment(name: string, o: { approvals?: number; ruleApprovals?: number; deployLevel?: number } = {}) {
  const level = o.deployLevel ?? 40;
  return {
    name,
    deploy_access_levels: [
      { id: 1, access_level: level, access_level_description: LEVEL[level], user_id: null, group_id: null, group_inheritance_type: 0 },
    ],
    required_approval_count: o.approvals ?? 0,
    approval_rules: o.ruleApprovals
      ? [{ id: 1, user_id: null, group_id: null, access_level: 40, access_level_description: 'Maintainers', required_approvals: o.ruleApprovals, group_inheritance_type: 0 }]
      : [],
  };
}

let branchId = 0;
export function protectedBranch(name: string, o: { forcePush?: boolean; pushLevel?: number } = {}) {
  branchId++;
  const level = o.pushLevel ?? 40;
  return {
    id: branchId,
    name,
    push_access_levels: [{ id: branchId * 10, access_level: level, access_level_description: LEVEL[level], user_id: null, group_id: null }],
    merge_access_levels: [{ id: branchId * 10 + 1, access_level: 40, access_level_description: 'Maintainers', user_id: null, group_id: null }],
    allow_force_push: o.forcePush ?? false,
    code_owner_approval_required: false,
  };
}
