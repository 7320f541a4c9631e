import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BlobReader, gitFailure, type GitStream } from './git.js';
import { changeEvents } from './gitChanges.js';
import { PatchParser, type FileChange } from './patchParser.js';
import { stagedGitFor } from './stagedGit.js';
import type { SourceEvent, StreamSource } from './source.js';

export interface StagedChanges {
  root: string;
  /** What the run reads, in the order of the diff. */
  events: SourceEvent[];
  /**
   * Reads the staged content of binary files the run asks for (key stores), while it reads the
   * events; it starts git only on the first such read and is closed when the run has read them.
   */
  binaries?: BlobReader;
}

/** A staged read under way: the root arrives first, the changes after. */
export interface StagedRead {
  root: Promise<string>;
  /**
   * Where the work tree most likely starts, found at once: `root` itself when it was read from disk
   * (gitTopLevel.ts), else by looking for `.git` above `cwd` (undefined when GIT_DIR, GIT_WORK_TREE
   * or GIT_CEILING_DIRECTORIES may say otherwise): enough to start loading the configuration while
   * git confirms `root`. Compare before relying on it.
   */
  likelyRoot: string | undefined;
  changes: Promise<StagedChanges>;
}

/**
 * Starts reading the staged changes of the repository holding `cwd`. Latency is the point here
 * (this runs on every commit): git prints the diff (started by the launcher before this code
 * loaded, when it could: src/sources/stagedGit.ts) while the root is known at once, from disk where
 * `cwd` is plainly the top of the work tree, or from a second git at the same time; the caller can
 * load its configuration as soon as the root is known while the diff is still being read. The
 * diff is streamed, never held whole. Blobs are read only for env files.
 */
export function startStagedRead(cwd: string, maxFileLength: number): StagedRead {
  const git = stagedGitFor(cwd);
  const changes = readChanges(git.diff, git.root, maxFileLength);
  // Whoever awaits `root` first hears of a failure; the other promise must not crash the process.
  changes.catch(() => {});
  return { root: git.root, likelyRoot: git.plainRoot ?? likelyWorkTree(cwd), changes };
}

function likelyWorkTree(cwd: string): string | undefined {
  if (['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CEILING_DIRECTORIES'].some((name) => process.env[name] !== undefined)) return undefined;
  let dir: string;
  try {
    // git reports the root with symlinks resolved.
    dir = realpathSync(cwd);
  } catch {
    return undefined;
  }
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

async function readChanges(diff: GitStream, rootCall: Promise<string>, maxFileLength: number): Promise<StagedChanges> {
  const parser = new PatchParser({ maxFileLength });
  const changes: FileChange[] = [];
  const events: SourceEvent[] = [];
  const collect = () => {
    for (const event of parser.take()) {
      if (event.type === 'file') changes.push(event.file);
      else if (event.type === 'unmerged') events.push({ type: 'skipped', skipped: { file: event.path, reason: 'unmerged' } });
    }
  };
  try {
    for await (const chunk of diff.stdout) {
      parser.write(chunk);
      collect();
    }
    parser.end();
    collect();
  } finally {
    diff.kill();
  }
  const root = await rootCall;
  const { code, stderr } = await diff.done;
  if (code !== 0) throw gitFailure('diff --cached', stderr, code);

  const blobs = new BlobReader(root, maxFileLength);
  const binaries = new BlobReader(root, maxFileLength);
  try {
    for (const change of changes) for await (const event of changeEvents(change, change.kind === 'binary' ? binaries : blobs)) events.push(event);
  } finally {
    blobs.close();
  }
  return { root, events, binaries };
}

/** The staged changes as the run reads them: judged against the index they will be committed from. */
export function stagedSource({ root, events, binaries }: StagedChanges): StreamSource {
  return {
    kind: 'stream',
    root,
    unit: 'files',
    snapshot: { kind: 'index' },
    notes: [],
    async *read() {
      try {
        yield* events;
      } finally {
        binaries?.close();
      }
    },
  };
}
