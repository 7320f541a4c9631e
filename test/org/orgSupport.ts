/**
 * An organisation on loopback: the GitHub REST API's GET /orgs/{org}/repos served by the local
 * server of test/support (answers checked against GitHub's OpenAPI description, paged with Link
 * headers), each repository a bare git repository on disk whose clone_url is its file:// URL.
 * Every pack git serves is logged by an upload-pack hook (uploadpack.packObjectsHook, set in the
 * global git configuration the CLI is given), so a test counts clones and fetches exactly; a
 * repository can be made to hang there until the test lets it go.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertJsonReport, CLI, writesJsonReport, type CliResult } from '../support/cli.js';
import { example } from '../support/openapi.js';
import { paginated, startGitHubServer, type GitHubServer } from '../support/githubServer.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

export const ORG = 'octo-org';
export const PER_PAGE = 3;

export interface RepoSpec {
  name: string;
  /** Files of its one commit. */
  files?: Record<string, string>;
  size?: number;
  archived?: boolean;
  fork?: boolean;
  visibility?: 'public' | 'private' | 'internal';
  /** A clone URL that leads nowhere (the repository was deleted after the listing). */
  missing?: boolean;
}

export interface Org {
  server: GitHubServer;
  dir: TempDir;
  /** The bare repository of a name. */
  bare(name: string): string;
  /** Adds a commit to a repository, as a push to GitHub would. */
  push(name: string, files: Record<string, string>): void;
  /** Paths of the repositories git served a pack of, in order (clones, and fetches that got something). */
  packs(): string[];
  /** While the file exists, serving `name` hangs. */
  hang(name: string): void;
  release(): void;
  /** The environment for the CLI: token, cache, the git configuration with the hook. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** A schema-valid `minimal-repository` item, from GitHub's own example. */
function listed(spec: RepoSpec, cloneUrl: string) {
  const base = example('GET', '/orgs/{org}/repos')[0];
  const visibility = spec.visibility ?? 'public';
  return {
    ...base,
    name: spec.name,
    full_name: `${ORG}/${spec.name}`,
    owner: { ...base.owner, login: ORG, type: 'Organization' },
    clone_url: cloneUrl,
    size: spec.size ?? 100,
    archived: spec.archived ?? false,
    fork: spec.fork ?? false,
    private: visibility !== 'public',
    visibility,
  };
}

export async function startOrg(specs: RepoSpec[]): Promise<Org> {
  const dir = tempDir('keyfence-org-test-');
  const server = await startGitHubServer();
  const log = join(dir.path, 'packs.log');
  const hangFile = join(dir.path, 'hang');
  const hook = dir.write(
    'pack-hook.sh',
    `#!/bin/sh
echo "$PWD" >> '${log}'
if [ -e '${hangFile}' ] && [ "$(basename "$PWD")" = "$(cat '${hangFile}').git" ]; then
  while [ -e '${hangFile}' ]; do sleep 0.1; done
fi
exec "$@"
`,
  );
  chmodSync(hook, 0o755);
  const gitconfig = dir.write('gitconfig', `[uploadpack]\n\tpackObjectsHook = ${hook}\n[user]\n\tname = Test\n\temail = test@example.com\n`);
  const bare = (name: string) => join(dir.path, 'remotes', `${name}.git`);
  const items = specs.map((spec) => {
    if (!spec.missing) {
      const work = tempRepo('keyfence-org-work-');
      for (const [file, content] of Object.entries(spec.files ?? { 'README.md': `# ${spec.name}\n` })) work.write(file, content);
      work.git('add', '.');
      work.git('commit', '-q', '-m', 'first');
      work.git('clone', '-q', '--bare', work.path, bare(spec.name));
      work.remove();
    }
    return listed(spec, pathToFileURL(bare(spec.name)).href);
  });
  server.on('GET /orgs/{org}/repos', (req, s) => (req.params.org === ORG ? paginated(items, PER_PAGE, (page) => page)(req, s) : { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }));
  return {
    server,
    dir,
    bare,
    push(name, files) {
      const work = tempDir('keyfence-org-push-');
      work.git('clone', '-q', bare(name), '.');
      for (const [file, content] of Object.entries(files)) work.write(file, content);
      work.git('add', '.');
      work.git('commit', '-q', '-m', 'more');
      work.git('push', '-q', 'origin', 'HEAD');
      work.remove();
    },
    packs: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    hang: (name) => writeFileSync(hangFile, name),
    release: () => rmSync(hangFile, { force: true }),
    env: {
      GITHUB_TOKEN: `test-token-${process.pid}`,
      GH_TOKEN: '',
      GITHUB_API_URL: server.url,
      KEYFENCE_CACHE_DIR: join(dir.path, 'cache'),
      GIT_CONFIG_GLOBAL: gitconfig,
      GIT_CONFIG_NOSYSTEM: '1',
    },
    async close() {
      rmSync(hangFile, { force: true });
      await server.close();
      dir.remove();
    },
  };
}

/** The repository names of pack log lines (`…/remotes/api.git` → `api`). */
export const packNames = (lines: string[]) => lines.map((l) => l.replace(/^.*\/remotes\/([^/]+)\.git$/, '$1'));

/**
 * Runs the built CLI as runCli does, but without blocking this process: the API server answering
 * it lives here. A JSON report on stdout is checked against the report schema. `onStart` gets the
 * child (a test may kill it).
 */
export function runCliAsync(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onStart?: (child: ChildProcess) => void,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', CI: '', ...env };
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = { code: code ?? (signal ? -1 : -2), stdout, stderr };
      try {
        if (writesJsonReport(args) && (result.code === 0 || result.code === 1)) assertJsonReport(`keyfence ${args.join(' ')}`, result);
      } catch (error) {
        reject(error as Error);
        return;
      }
      resolve(result);
    });
    onStart?.(child);
  });
}
