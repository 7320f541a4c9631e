import type { CommitInfo } from '../findings/finding.js';

/**
 * A piece of text with its origin: the unit every source produces and the engine consumes.
 *
 * A whole file is one fragment with `firstLine` 1 and no `lineNumbers`. The added lines of a diff
 * hunk are a fragment whose i-th line (0-based) sits at `lineNumbers[i]` in the new file, so the
 * engine, and only the engine, turns offsets into the file's own 1-based line and column.
 */
export interface Fragment {
  /** Path relative to the repository root (or the scanned PATH), forward slashes. */
  file: string;
  text: string;
  /** 1-based line number in `file` of the fragment's first line, when lines are consecutive. */
  firstLine?: number;
  /** Line number in `file` of each line of `text`, when lines are not consecutive (diff hunks). */
  lineNumbers?: number[];
  commit?: CommitInfo;
  /** Size in bytes on disk or in git, for throughput stats (text.length counts UTF-16 units). */
  bytes?: number;
  /**
   * A binary file (`text` is empty), handed to the engine only when a path rule wants its name
   * (a key store): `content` holds its bytes when they could be read (not over maxFileSize).
   */
  binary?: { content?: Uint8Array };
}

/** A file a source passed over, with the reason shown in notes and stats. */
export interface Skipped {
  file: string;
  reason: 'binary' | 'too-large' | 'unreadable' | 'submodule' | 'symlink' | 'not-utf8';
  detail?: string;
}
