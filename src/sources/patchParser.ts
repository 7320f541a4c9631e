import { StringDecoder } from 'node:string_decoder';
import type { CommitInfo } from '../findings/finding.js';

/**
 * A streaming parser of the patches `git diff` and `git log -p` print, run with PATCH_ARGS: it
 * takes the output chunk by chunk and returns, per file, the lines the change adds with their line
 * numbers in the new file. It never holds more than one file's added lines.
 *
 * What it understands: `diff --git` headers with C-quoted paths (tabs, newlines, quotes, octal
 * bytes), renames and copies, new and deleted files, mode changes, binary files, submodules
 * (gitlinks), `\ No newline at end of file`, CRLF content (the CR stays in the line, as on disk),
 * and the dense combined diffs of merge commits (`--cc`), where a line counts as added only when it
 * is new against every parent.
 */

/**
 * Arguments every patch-producing git call gets, so no user or repository setting changes the
 * format: no external diff or textconv driver, no colour, no context lines (-U0, and no context
 * between close hunks), full blob ids, fixed a/ b/ prefixes, paths relative to the root, renames
 * detected (a pure rename adds nothing), submodules as one `Subproject commit` line, and deleted
 * files as a header without their removed lines.
 */
export const PATCH_ARGS = [
  '--no-ext-diff',
  '--no-textconv',
  '--no-color',
  '-U0',
  '--inter-hunk-context=0',
  '--full-index',
  '--find-renames',
  '--submodule=short',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--no-relative',
  '--irreversible-delete',
];

/**
 * The commit header `git log` prints before each commit's patch (`--format=` + this): a NUL first,
 * which no patch line can start with, then sha, parents, author time, name and email.
 */
export const COMMIT_FORMAT = '%x00%H%x00%P%x00%at%x00%an%x00%ae';

export interface CommitHeader extends CommitInfo {
  parents: string[];
}

export interface FileChange {
  /** Path in the new tree (the old path for a deletion), relative to the root, forward slashes. */
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied';
  kind: 'text' | 'binary' | 'submodule';
  /** Object id of the new content (with --full-index), when git printed one. */
  blob?: string;
  /** File mode after the change (100644, 100755, 120000 for a symlink, 160000 for a submodule). */
  mode?: string;
  /** True for a file of a merge commit's combined diff. */
  combined: boolean;
  /** The added lines, without their `+` and line break. */
  added: string[];
  /** Line number in the new file of each added line. */
  lineNumbers: number[];
  /** UTF-16 units of the added lines, line breaks included. */
  addedLength: number;
  /** The added lines went over the size limit and were dropped: `added` is empty. */
  truncated: boolean;
  commit?: CommitHeader;
}

export type PatchEvent =
  | { type: 'commit'; commit: CommitHeader }
  | { type: 'file'; file: FileChange }
  /** `* Unmerged path X`: `git diff --cached` during a conflict. */
  | { type: 'unmerged'; path: string };

export interface PatchParserOptions {
  /** Largest amount of added text kept per file (UTF-16 units); past it the file is `truncated`. */
  maxFileLength?: number;
}

const NUL = 0;
const AT = 64; // @
const PLUS = 43;
const MINUS = 45;
const SPACE = 32;

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;
const COMBINED_HUNK = /^(@{3,}) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @{3,}/;

/** The file being read: its header facts, then its added lines. */
interface Current {
  headerA?: string;
  headerB?: string;
  /** `diff --cc PATH`: the path; the patch is a combined diff. */
  combinedPath?: string;
  minus?: string;
  plus?: string;
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  isNew: boolean;
  isDeleted: boolean;
  binary: boolean;
  mode?: string;
  blob?: string;
  /** Parents of the combined diff (columns before each line); 0 for a two-way diff. */
  parents: number;
  inHunks: boolean;
  newLine: number;
  added: string[];
  lineNumbers: number[];
  addedLength: number;
  truncated: boolean;
}

export class PatchParser {
  private readonly decoder = new StringDecoder('utf8');
  private readonly maxFileLength: number;
  /** Parts of a line that has not ended yet. */
  private pending: string[] = [];
  private pendingLength = 0;
  /** The pending line grew past the size limit: only its first part is kept. */
  private pendingTooLong = false;
  private current: Current | undefined;
  private commit: CommitHeader | undefined;
  private events: PatchEvent[] = [];

  constructor(options: PatchParserOptions = {}) {
    this.maxFileLength = options.maxFileLength ?? Number.POSITIVE_INFINITY;
  }

  /** Feeds a chunk of git's output; chunks may split lines and UTF-8 characters anywhere. */
  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let start = 0;
    let eol = text.indexOf('\n');
    if (eol !== -1 && this.pending.length) {
      this.pending.push(text.slice(0, eol));
      const line = this.pending.join('');
      const tooLong = this.pendingTooLong;
      this.pending = [];
      this.pendingLength = 0;
      this.pendingTooLong = false;
      if (tooLong) this.longLine(line);
      else this.line(line);
      start = eol + 1;
      eol = text.indexOf('\n', start);
    }
    while (eol !== -1) {
      this.line(text.slice(start, eol));
      start = eol + 1;
      eol = text.indexOf('\n', start);
    }
    if (start < text.length) this.keepPending(text.slice(start));
  }

  /** Ends the input: the last line and the last file are complete. */
  end(): void {
    const rest = this.decoder.end();
    if (rest) this.write(rest);
    if (this.pending.length) {
      const line = this.pending.join('');
      const tooLong = this.pendingTooLong;
      this.pending = [];
      if (tooLong) this.longLine(line);
      else this.line(line);
    }
    this.finishFile();
  }

  /** Events completed so far, in order; each is returned once. */
  take(): PatchEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  private keepPending(part: string): void {
    if (this.pendingTooLong) return;
    this.pending.push(part);
    this.pendingLength += part.length;
    // A line longer than a whole file may be: keep its start only, so memory stays bounded.
    if (this.pendingLength > this.maxFileLength) {
      this.pending = [this.pending.join('').slice(0, 8)];
      this.pendingTooLong = true;
    }
  }

  /** A line too long to keep: it still takes its place, and an added one truncates its file. */
  private longLine(start: string): void {
    const file = this.current;
    if (!file?.inHunks) {
      this.line(start);
      return;
    }
    const n = Math.max(file.parents, 1);
    const prefix = start.slice(0, n);
    if (prefix.includes('-') || !/^[+ ]+$/.test(prefix)) return;
    if (file.parents === 0 ? prefix === '+' : !prefix.includes(' ')) this.truncate(file);
    file.newLine++;
  }

  private line(line: string): void {
    const c = line.charCodeAt(0);
    if (c === NUL) {
      this.finishFile();
      this.commit = parseCommitHeader(line);
      this.events.push({ type: 'commit', commit: this.commit });
      return;
    }
    if (c === 100 /* d */ && line.startsWith('diff ')) {
      this.finishFile();
      this.startFile(line);
      return;
    }
    if (c === 42 /* * */ && line.startsWith('* Unmerged path ')) {
      this.finishFile();
      this.events.push({ type: 'unmerged', path: unquote(line.slice(16)) });
      return;
    }
    const file = this.current;
    if (!file) return;
    if (file.inHunks) {
      if (c === PLUS || c === SPACE || c === MINUS) this.content(file, line);
      else if (c === AT) this.hunk(file, line);
      // `\ No newline at end of file` and anything unknown: nothing is added.
      return;
    }
    this.header(file, line);
  }

  private content(file: Current, line: string): void {
    const n = file.parents;
    if (n === 0) {
      const c = line.charCodeAt(0);
      if (c === PLUS) this.add(file, line.slice(1));
      else if (c === SPACE) file.newLine++;
      return;
    }
    // Combined diff: one column per parent. `-` in any column: the line is not in the result.
    // All `+`: new against every parent. A ` ` somewhere: the line came from that parent.
    let allPlus = true;
    for (let i = 0; i < n; i++) {
      const col = line.charCodeAt(i);
      if (col === MINUS) return;
      if (col !== PLUS) allPlus = false;
    }
    if (allPlus) this.add(file, line.slice(n));
    else file.newLine++;
  }

  private add(file: Current, text: string): void {
    const line = file.newLine++;
    if (file.truncated || file.binary || file.mode === '160000') return;
    file.addedLength += text.length + 1;
    if (file.addedLength > this.maxFileLength) {
      this.truncate(file);
      return;
    }
    file.added.push(text);
    file.lineNumbers.push(line);
  }

  private truncate(file: Current): void {
    file.truncated = true;
    file.added = [];
    file.lineNumbers = [];
  }

  private hunk(file: Current, line: string): void {
    if (file.parents > 0 || line.startsWith('@@@')) {
      const m = COMBINED_HUNK.exec(line);
      if (!m) return;
      file.parents = m[1]!.length - 1;
      file.newLine = Number(m[2]);
    } else {
      const m = HUNK.exec(line);
      if (!m) return;
      file.newLine = Number(m[1]);
    }
    file.inHunks = true;
  }

  private startFile(line: string): void {
    const file: Current = {
      isNew: false,
      isDeleted: false,
      binary: false,
      parents: 0,
      inHunks: false,
      newLine: 0,
      added: [],
      lineNumbers: [],
      addedLength: 0,
      truncated: false,
    };
    if (line.startsWith('diff --git ')) {
      const [a, b] = splitGitHeader(line.slice(11));
      file.headerA = a;
      file.headerB = b;
    } else if (line.startsWith('diff --cc ')) {
      file.combinedPath = unquote(line.slice(10));
      file.parents = 2;
    } else if (line.startsWith('diff --combined ')) {
      file.combinedPath = unquote(line.slice(16));
      file.parents = 2;
    } else {
      return;
    }
    this.current = file;
  }

  private header(file: Current, line: string): void {
    if (line.charCodeAt(0) === AT && line.startsWith('@@')) {
      this.hunk(file, line);
      return;
    }
    const space = line.indexOf(' ');
    const word = space === -1 ? line : line.slice(0, space);
    switch (word) {
      case '---':
        file.minus = line.slice(4);
        return;
      case '+++':
        file.plus = line.slice(4);
        return;
      case 'index': {
        // `index OLD..NEW[ MODE]`, or `index P1,P2..NEW` in a combined diff.
        const [ids, mode] = line.slice(6).split(' ');
        const to = ids?.slice(ids.indexOf('..') + 2);
        if (to) file.blob = to;
        if (mode) file.mode = mode;
        return;
      }
      case 'new':
        if (line.startsWith('new file mode ')) {
          file.isNew = true;
          file.mode = lastMode(line.slice(14));
        } else if (line.startsWith('new mode ')) file.mode = lastMode(line.slice(9));
        return;
      case 'deleted':
        if (line.startsWith('deleted file mode ')) {
          file.isDeleted = true;
          file.mode = lastMode(line.slice(18));
        }
        return;
      case 'rename':
        if (line.startsWith('rename from ')) file.renameFrom = unquote(line.slice(12));
        else if (line.startsWith('rename to ')) file.renameTo = unquote(line.slice(10));
        return;
      case 'copy':
        if (line.startsWith('copy from ')) file.copyFrom = unquote(line.slice(10));
        else if (line.startsWith('copy to ')) file.copyTo = unquote(line.slice(8));
        return;
      case 'Binary':
      case 'GIT':
        if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
        return;
      default:
        // old mode, similarity index, dissimilarity index: nothing we need.
        return;
    }
  }

  private finishFile(): void {
    const file = this.current;
    if (!file) return;
    this.current = undefined;
    const minus = file.minus === undefined || file.minus === '/dev/null' ? undefined : stripPrefix(unquoteName(file.minus), 'a/');
    const plus = file.plus === undefined || file.plus === '/dev/null' ? undefined : stripPrefix(unquoteName(file.plus), 'b/');
    const isDeleted = file.isDeleted || (file.plus === '/dev/null' && file.minus !== undefined);
    const path =
      file.combinedPath ??
      file.renameTo ??
      file.copyTo ??
      plus ??
      (file.headerB !== undefined ? stripPrefix(file.headerB, 'b/') : undefined) ??
      minus ??
      (file.headerA !== undefined ? stripPrefix(file.headerA, 'a/') : undefined);
    if (path === undefined) return;
    const oldPath = file.renameFrom ?? file.copyFrom;
    const status: FileChange['status'] = isDeleted
      ? 'deleted'
      : file.isNew || file.minus === '/dev/null'
        ? 'added'
        : file.renameTo !== undefined
          ? 'renamed'
          : file.copyTo !== undefined
            ? 'copied'
            : 'modified';
    const submodule = file.mode === '160000';
    const change: FileChange = {
      path,
      status,
      kind: submodule ? 'submodule' : file.binary ? 'binary' : 'text',
      combined: file.combinedPath !== undefined,
      added: submodule ? [] : file.added,
      lineNumbers: submodule ? [] : file.lineNumbers,
      addedLength: submodule ? 0 : file.addedLength,
      truncated: file.truncated,
    };
    if (oldPath !== undefined) change.oldPath = oldPath;
    if (file.blob !== undefined && !/^0+$/.test(file.blob)) change.blob = file.blob;
    if (file.mode !== undefined) change.mode = file.mode;
    if (this.commit) change.commit = this.commit;
    this.events.push({ type: 'file', file: change });
  }
}

/** Parses everything a parser would return for a whole patch at once (tests, small inputs). */
export function parsePatch(patch: Buffer | string, options?: PatchParserOptions): PatchEvent[] {
  const parser = new PatchParser(options);
  parser.write(patch);
  parser.end();
  return parser.take();
}

/** The added text of a file change, as a fragment's text: one line per added line. */
export function addedText(change: FileChange): string {
  return change.added.length ? `${change.added.join('\n')}\n` : '';
}

function parseCommitHeader(line: string): CommitHeader {
  const [, sha = '', parents = '', time = '', name = '', email = ''] = line.split('\0');
  const seconds = Number(time);
  const date = Number.isFinite(seconds) && time !== '' ? new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z') : '';
  return { sha, parents: parents ? parents.split(' ') : [], author: email ? `${name} <${email}>` : name, date };
}

/** `100644` from `100644`, and the result's mode from a combined diff's `100644,100644`. */
function lastMode(modes: string): string {
  return modes.slice(modes.lastIndexOf(',') + 1).trim();
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * A name from a `---`/`+++` line: C-quoted, or bare with the tab git appends to names that contain
 * a space (a name that really ends in a tab is always quoted).
 */
function unquoteName(name: string): string {
  if (name.startsWith('"')) return unquote(name);
  return name.endsWith('\t') ? name.slice(0, -1) : name;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Undoes git's C-style quoting (quote_c_style): `"a\tb\"c\303\251"`. Octal escapes are bytes of
 * UTF-8, so the result is decoded as such. A name that is not quoted is returned as it is.
 */
export function unquote(text: string): string {
  return parseQuoted(text, 0)?.value ?? text;
}

/** Parses a quoted name starting at `start`; returns it and the index after its closing quote. */
function parseQuoted(text: string, start: number): { value: string; end: number } | undefined {
  if (text.charCodeAt(start) !== 34) return undefined;
  const bytes: number[] = [];
  let plain = '';
  const flush = () => {
    if (plain) {
      for (const b of Buffer.from(plain, 'utf8')) bytes.push(b);
      plain = '';
    }
  };
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      flush();
      return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    }
    if (ch !== '\\') {
      plain += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return undefined;
    flush();
    if (next >= '0' && next <= '7') {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8) & 0xff);
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return undefined;
}

/**
 * The two names of `diff --git A B`, each quoted or bare. Bare names with spaces are ambiguous;
 * when both are the same file (everything but renames and copies, which have their own lines) the
 * line splits in the middle.
 */
export function splitGitHeader(rest: string): [string | undefined, string | undefined] {
  const first = parseQuoted(rest, 0);
  if (first) {
    const second = rest.slice(first.end + 1);
    return [first.value, second.startsWith('"') ? unquote(second) : second];
  }
  // `a/bare "b/quoted"`: the second name is the quoted string that ends the line.
  if (rest.endsWith('"')) {
    for (let i = rest.indexOf(' "'); i !== -1; i = rest.indexOf(' "', i + 1)) {
      const second = parseQuoted(rest, i + 1);
      if (second && second.end === rest.length) return [rest.slice(0, i), second.value];
    }
  }
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (a.slice(2) === b.slice(2) && rest[half] === ' ') return [a, b];
  }
  const split = rest.indexOf(' b/');
  return split === -1 ? [rest, undefined] : [rest.slice(0, split), rest.slice(split + 1)];
}
