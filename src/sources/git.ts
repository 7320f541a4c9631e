import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { SimpleGit } from 'simple-git';
import { UserError } from '../errors.js';
import { childProcess, stream } from '../lazyBuiltins.js';

/**
 * Every git call goes through here, with settings that stop the scanned repository from running
 * code of its own: no hooks, no fsmonitor daemon, no external diff or textconv drivers, no pager.
 */
const SAFE_GIT_CONFIG = [
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
    const child = childProcess().spawn('git', [...SAFE_GIT_CONFIG, ...args], { cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: gitEnv() });
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

/**
 * runGit, waiting: for the few small reads a configuration makes (config is read synchronously).
 * A missing git binary is the same UserError as runGit's.
 */
export function runGitSync(args: string[], cwd: string): { stdout: string; code: number } {
  const result = childProcess().spawnSync('git', [...SAFE_GIT_CONFIG, ...args], { cwd, encoding: 'utf8', env: gitEnv(), maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new UserError('git was not found on PATH', 'install git, or use --no-git to scan plain files');
  if (result.error) throw result.error;
  return { stdout: result.stdout, code: result.status ?? 1 };
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

/** The top of the work tree holding `path` (a folder or a file), or undefined outside a repository. */
export async function findRepoRoot(path: string): Promise<string | undefined> {
  let cwd = path;
  try {
    if (!statSync(path).isDirectory()) cwd = dirname(path);
  } catch {
    return undefined;
  }
  const result = await runGit(['rev-parse', '--show-toplevel'], cwd);
  if (result.code !== 0) return undefined;
  return result.stdout.toString('utf8').trim() || undefined;
}

/** The one-line UserError for a git command that failed: git's first complaint, and a hint. */
export function gitFailure(command: string, stderr: string, code: number, hint?: string): UserError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  // git often says `error: <detail>` lines and then `fatal: <what failed>`: the fatal one is the
  // summary (and names the object); an error without a fatal is the next best.
  const reason = (lines.find((l) => l.startsWith('fatal: ')) ?? lines.find((l) => l.startsWith('error: ')) ?? lines[0] ?? `exit code ${code}`).replace(/^(fatal|error): /, '');
  const corrupt = /corrupt|bad object|unable to read|could not read|invalid object|loose object|packfile|inflate|missing (blob|tree|commit)|does not point to a valid object/i.test(stderr);
  return new UserError(`git ${command} failed: ${reason}`, hint ?? (corrupt ? 'the repository may be damaged: run `git fsck` to see which objects are missing or corrupt' : undefined));
}

/** The one-line error for a `cwd` where there is no index to read. */
export function notARepository(cwd: string, stderr: string): UserError {
  if (/not a git repository/i.test(stderr))
    return new UserError(`not a git repository: ${cwd}`, 'run keyfence inside a git work tree, or `keyfence scan --no-git PATH` for plain files');
  if (/must be run in a work tree|bare repository/i.test(stderr))
    return new UserError(`${cwd} is a bare repository: it has no index or work tree to scan`, 'use `keyfence history` to scan its commits');
  return gitFailure('rev-parse', stderr, 1);
}

/** Starts git with the safety settings; the caller owns the child process. */
function spawnGit(args: string[], cwd: string, stdin: 'ignore' | 'pipe'): ChildProcess {
  return childProcess().spawn('git', [...SAFE_GIT_CONFIG, ...args], { cwd, stdio: [stdin, 'pipe', 'pipe'], env: gitEnv() });
}

export interface GitStream {
  /** git's standard output, chunk by chunk, as it arrives: iterate it once. */
  stdout: AsyncIterable<Buffer>;
  /** Settles when git has exited: its exit code and (the first 64 KiB of) its standard error. */
  done: Promise<{ code: number; stderr: string }>;
  /** Stops git, e.g. when the reader gives up early; harmless after git has exited. */
  kill(): void;
}

const MAX_STDERR = 64 * 1024;

/**
 * Runs git and hands its output over as a stream, for outputs too large to hold (`git log -p` of a
 * whole history). Back-pressure is the pipe's: git waits while the reader is busy, so memory stays
 * flat however long the output.
 */
export function streamGit(args: string[], cwd: string, { lateReader = false } = {}): GitStream {
  const child = spawnGit(args, cwd, 'ignore');
  // Node discards what a child left unread in its pipe once the child exits. For a reader that may
  // start after that, a pass-through reads from the start, and still makes git wait once full.
  const stdout = lateReader ? child.stdout!.pipe(new (stream().PassThrough)()) : child.stdout!;
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => {
    if (stderr.length < MAX_STDERR) stderr += s;
  });
  const done = new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new UserError('git was not found on PATH', 'install git, or use --no-git to scan plain files') : error),
    );
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });
  // The reader may stop early and never await `done`: its rejection must not crash the process.
  done.catch(() => {});
  return {
    stdout,
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

/**
 * Reads blobs by object id through one long-lived `git cat-file --batch`, started on first use.
 * Used where a source needs a file's whole content rather than its diff (an env file's declared
 * environment), which is rare: most runs never start it.
 */
export class BlobReader {
  private child: ChildProcess | undefined;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (b: Buffer | undefined) => void; reject: (e: Error) => void }> = [];
  private failure: Error | undefined;

  constructor(
    private readonly cwd: string,
    /** Blobs larger than this are not read (undefined is returned). */
    private readonly maxBytes: number,
  ) {}

  /** The blob's bytes, or undefined when it is missing, not a blob, or over the size limit. */
  read(id: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{40,64}$/.test(id)) return Promise.resolve(undefined);
    if (this.failure) return Promise.reject(this.failure);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      child.stdin!.write(`${id}\n`);
    });
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = spawnGit(['cat-file', '--batch'], this.cwd, 'pipe');
    child.stdin!.on('error', () => {});
    child.stderr!.resume();
    child.stdout!.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.answer();
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    child.on('error', fail);
    child.on('close', () => {
      if (this.waiting.length) fail(new UserError('git cat-file stopped before answering', 'run `git fsck` to check the repository'));
    });
    this.child = child;
    return child;
  }

  /** Answers waiting reads, in order, from what git has sent so far. */
  private answer(): void {
    while (this.waiting.length) {
      const eol = this.buffered.indexOf(10);
      if (eol === -1) return;
      const header = this.buffered.subarray(0, eol).toString('latin1');
      // `<id> missing`, `<id> ambiguous`: no content follows.
      const m = /^\S+ (\S+) (\d+)$/.exec(header);
      if (!m) {
        this.buffered = this.buffered.subarray(eol + 1);
        this.waiting.shift()!.resolve(undefined);
        continue;
      }
      const size = Number(m[2]);
      if (this.buffered.length < eol + 1 + size + 1) return;
      const content = this.buffered.subarray(eol + 1, eol + 1 + size);
      this.buffered = this.buffered.subarray(eol + 1 + size + 1);
      this.waiting.shift()!.resolve(m[1] === 'blob' && size <= this.maxBytes ? Buffer.from(content) : undefined);
    }
  }
}

/**
 * simple-git, for repository discovery, refs and configuration, with the same safety settings and
 * environment as every other git call. The settings simple-git calls "unsafe" are allowed because
 * ours switch those features off (hooks, fsmonitor, pager, external diff), and the environment is
 * the user's own, not the scanned repository's. Not used by `staged`: loading it costs the
 * pre-commit hook tens of milliseconds.
 */
export async function simpleGitAt(cwd: string): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  const config: string[] = [];
  for (let i = 0; i < SAFE_GIT_CONFIG.length; i++) if (SAFE_GIT_CONFIG[i] === '-c') config.push(SAFE_GIT_CONFIG[++i]!);
  const env = gitEnv();
  return simpleGit({
    baseDir: cwd,
    config,
    // simple-git refuses GIT_* variables it was not told about. These are the user's own (GIT_DIR
    // and GIT_INDEX_FILE in a hook, GIT_SSL_CAINFO, GIT_CONFIG_GLOBAL): git must see them as every
    // other call of ours does.
    allowEnvironment: Object.keys(env),
    unsafe: {
      allowUnsafeHooksPath: true,
      allowUnsafeFsMonitor: true,
      allowUnsafePager: true,
      allowUnsafeDiffExternal: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeEditor: true,
      allowUnsafeAskPass: true,
      allowUnsafeGitProxy: true,
      allowUnsafeTemplateDir: true,
      // git sets GIT_EXEC_PATH for every hook it runs (pre-push runs `keyfence push`): the user's own git.
      allowUnsafeExec: true,
    },
  }).env(env);
}
