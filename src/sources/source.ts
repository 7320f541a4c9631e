import type { CommitInfo } from '../findings/finding.js';
import type { FileSet } from './files.js';
import type { Fragment, Skipped } from './fragment.js';

/**
 * What a run reads: every door (a CLI command, the Action) picks one or more sources and hands them
 * to the one pipeline (src/run/). A source says where its text comes from, in which unit a
 * summary counts it, and which tree it stands for, so that the run can read whole files of that
 * tree for the checks that need them (workflow files, the other environments' config files).
 *
 * Two kinds:
 * - `files`: files on disk, listed up front; the run reads them itself, in parallel on large trees.
 * - `stream`: fragments the source reads (git's added lines, standard input), in order.
 */
export type Source = FileSource | StreamSource;

interface SourceBase {
  /** Report paths are relative to this: the repository root, or the scanned folder. */
  root: string;
  /** What the summary counts: files read, or commits walked. */
  unit: 'files' | 'commits';
  /**
   * The tree this source's changes end in, as the run judges it: where a touched workflow file is
   * read whole for the workflow checks, and where the other environments' config files are read for
   * the cross-environment comparison. Undefined: there is no tree beyond the source (plain files
   * outside a repository, standard input).
   */
  snapshot: Snapshot | undefined;
  /** Notes known before reading (a shallow clone, where a range came from). */
  notes: string[];
  /**
   * Whether the run covered `file`, for stale baseline entries: a baseline entry of a file the run
   * did not look at is not stale. Default: the files the run scanned.
   */
  covers?: (file: string) => boolean;
  /** How the source's notes are introduced in a run of several sources (`history: `). */
  label?: string;
}

export interface FileSource extends SourceBase {
  kind: 'files';
  unit: 'files';
  set: FileSet;
}

export interface StreamSource extends SourceBase {
  kind: 'stream';
  /** Reads the source once, in order. `maxFileSize` is the configured limit, known only once the configuration is. */
  read(maxFileSize: number): AsyncIterable<SourceEvent>;
}

/** The trees whole files can be read from. */
export type Snapshot = { kind: 'worktree' } | { kind: 'index' } | { kind: 'commit'; sha: string };

export type SourceEvent =
  /** A commit walked: counted, and shown on the progress line. */
  | { type: 'commit' }
  /**
   * A file the source adds or changes, even by deleting lines only: a workflow whose guard was
   * deleted is audited as well as one whose lines were added.
   */
  | { type: 'changed'; file: string }
  /**
   * Text to scan. `environmentText`: the whole file, when only it tells the environment (`APP_ENV=`
   * in an env file).
   */
  | { type: 'fragment'; fragment: Fragment; environmentText?: string }
  /**
   * A binary file the source adds or changes. The run reads its bytes (`content()`: undefined when
   * they cannot be had, e.g. over maxFileSize) and scans it only when a path rule names it (a key
   * store); any other binary file is counted as passed over.
   */
  | { type: 'binary'; file: string; commit?: CommitInfo; content: () => Promise<Uint8Array | undefined> }
  | { type: 'skipped'; skipped: Skipped | { file: string; reason: 'unmerged' } };
