import { spawn } from 'node:child_process';
import { UserError } from '../cli/errors.js';

/**
 * Every git call goes through here, with settings that stop the scanned repository from running
 * code of its own: no hooks, no fsmonitor daemon, no external diff or textconv drivers, no pager.
 */
export const SAFE_GIT_CONFIG = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  '-c', 'core.quotePath=false',
  '-c', 'diff.external=',
  '-c', 'core.pager=cat',
  '--no-pager',
];

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git and collects its output; use gitLines/streamGit for outputs that can be large. */
export function runGit(args: string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...SAFE_GIT_CONFIG, ...args], { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: gitEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new UserError('git was not found on PATH', 'install git, or use --no-git to scan plain files') : error),
    );
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 }));
    if (input !== undefined && child.stdin) {
      // git may exit before reading all of its input; that is its answer, not our error.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

/** Like runGit, but a non-zero exit becomes a UserError carrying git's first line of complaint. */
export async function git(args: string[], cwd: string, input?: string): Promise<Buffer> {
  const result = await runGit(args, cwd, input);
  if (result.code !== 0) {
    const reason = result.stderr.split('\n').find((l) => l.trim()) ?? `exit code ${result.code}`;
    throw new UserError(`git ${args[0]} failed in ${cwd}: ${reason.replace(/^(fatal|error): /, '')}`);
  }
  return result.stdout;
}

/** The environment for git: no prompts, no pager, stable English messages. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' };
}

/** The top of the work tree holding `cwd`, or undefined outside a repository. */
export async function findRepoRoot(cwd: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--show-toplevel'], cwd);
  if (result.code !== 0) return undefined;
  return result.stdout.toString('utf8').trim() || undefined;
}
