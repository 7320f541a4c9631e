import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** How to reach a clone URL: the token goes only to the host the API belongs to, never elsewhere. */
export interface CloneAccess {
  token?: string | undefined;
  /** The user name the token goes with over HTTPS: `x-access-token` (GitHub) unless given (`oauth2` on GitLab). */
  username?: string;
  /** Web hosts the token is for (github.com for api.github.com; the server itself for GHES or GitLab). */
  hosts: string[];
  /** Longest a clone or fetch may take, in milliseconds. */
  timeoutMs: number;
}

/** The web hosts that accept a token of the API at `baseUrl`. */
export function tokenHosts(baseUrl: string): string[] {
  const host = new URL(baseUrl).host;
  return host === 'api.github.com' ? ['github.com'] : [host];
}

/**
 * Settings for every git call here: no hooks, no prompts, no LFS downloads (a checkout must not
 * reach the network or run the repository's code).
 */
const SAFE = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'filter.lfs.process=', '-c', 'filter.lfs.smudge=', '-c', 'filter.lfs.required=false'];

/**
 * The process groups of the git calls running now. Each call has its own group (so a timeout ends
 * what git started too), which a terminal's Ctrl-C no longer reaches: on SIGINT or SIGTERM they are
 * ended here, then this process dies of the signal as it would have.
 */
const running = new Set<number>();

function onSignal(signal: NodeJS.Signals): void {
  for (const pid of running) killGroup(pid);
  process.kill(process.pid, signal);
}

function track(pid: number): void {
  if (running.size === 0) process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  running.add(pid);
}

function untrack(pid: number): void {
  running.delete(pid);
  if (running.size === 0) process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Runs git, killing it (and what it started: upload-pack, a transport helper) after `timeoutMs`.
 * Resolves with git's first line of complaint on failure.
 */
function git(args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE, ...args], {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1', LC_ALL: 'C', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group, so a timeout ends git's children too.
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => {
      if (stderr.length < 4096) stderr += b.toString('utf8');
    });
    const pid = child.pid;
    if (pid !== undefined) track(pid);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      if (pid !== undefined) untrack(pid);
    };
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code) => {
      done();
      if (timedOut) return reject(new Error(`git ${args[0]} did not finish in ${Math.round(timeoutMs / 1000)}s`));
      if (code === 0) return resolve();
      const line = stderr.split('\n').find((l) => /^(fatal|error):/.test(l)) ?? stderr.split('\n').find((l) => l.trim()) ?? `exit code ${code}`;
      reject(new Error(`git ${args[0]} failed: ${line.replace(/^(fatal|error): /, '').trim()}`));
    });
  });
}

/**
 * The token as an HTTP header for the clone URL's origin only, through the environment (never on a
 * command line other users can read, never in the mirror's config).
 */
export function accessEnv(url: string, access: Omit<CloneAccess, 'timeoutMs'>): NodeJS.ProcessEnv {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {};
  }
  if (!access.token || parsed.protocol !== 'https:' || !access.hosts.includes(parsed.host)) return {};
  const basic = Buffer.from(`${access.username ?? 'x-access-token'}:${access.token}`).toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${parsed.origin}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}

/**
 * A mirror of `url` at `path`, kept between runs: the first run clones it (`--mirror`: every ref),
 * later runs fetch only what changed. A clone is made beside its final place and renamed into it,
 * so an interrupted one leaves nothing a later run would take for a mirror.
 */
export async function updateMirror(url: string, path: string, access: CloneAccess): Promise<'cloned' | 'fetched'> {
  const env = accessEnv(url, access);
  if (existsSync(join(path, 'HEAD'))) {
    await git(['remote', 'set-url', 'origin', url], path, {}, access.timeoutMs);
    await git(['fetch', '--prune', '--quiet', 'origin'], path, env, access.timeoutMs);
    return 'fetched';
  }
  await mkdir(dirname(path), { recursive: true });
  // One fixed name: what an interrupted run left there is removed before the next clone.
  const temp = `${path}.partial`;
  await rm(temp, { recursive: true, force: true });
  try {
    await git(['clone', '--mirror', '--quiet', '--', url, temp], dirname(path), env, access.timeoutMs);
    await rm(path, { recursive: true, force: true });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return 'cloned';
}

/**
 * A work tree of the mirror's default branch at `path`, sharing its objects (nothing is copied):
 * what the tree part of an audit reads. Its remote-tracking refs and tags are the mirror's
 * branches and tags, which the history part reads.
 */
export async function checkoutMirror(mirror: string, path: string, timeoutMs: number): Promise<void> {
  await git(['clone', '--quiet', '--shared', '--', mirror, path], dirname(path), {}, timeoutMs);
}
