import type { Fragment, Skipped } from './fragment.js';
import type { BlobReader } from './git.js';
import { addedText, type FileChange } from './patchParser.js';

/**
 * What the git sources (staged, diff, history) hand to a command: the added lines of one file as a
 * fragment, and, for files whose content can declare their environment (`NODE_ENV=production` in
 * an env file), the file's whole text, so the engine classifies it as it would on disk.
 */
export interface GitFragment {
  fragment: Fragment;
  environmentText?: string;
}

/**
 * Files whose environment may be declared inside them: env files, as environment/classify.ts
 * reads them. Only these cost a blob read.
 */
export function mayDeclareEnvironment(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.startsWith('.env') || base.endsWith('.env');
}

/** Turns a parsed file change into what gets scanned, a reason it is not, or nothing to do. */
export async function toGitFragment(change: FileChange, blobs: BlobReader | undefined): Promise<GitFragment | Skipped | undefined> {
  if (change.status === 'deleted') return undefined;
  if (change.kind === 'submodule') return { file: change.path, reason: 'submodule' };
  if (change.kind === 'binary') return { file: change.path, reason: 'binary' };
  if (change.truncated) return { file: change.path, reason: 'too-large', detail: 'added lines over maxFileSize' };
  if (change.added.length === 0) return undefined;
  const fragment: Fragment = { file: change.path, text: addedText(change), lineNumbers: change.lineNumbers, bytes: change.addedLength };
  if (change.commit) fragment.commit = { sha: change.commit.sha, author: change.commit.author, date: change.commit.date };
  // A new file's added lines are its whole text, which the engine reads by itself.
  const whole = change.status === 'added' && !change.combined;
  if (blobs && change.blob && !whole && mayDeclareEnvironment(change.path)) {
    const content = await blobs.read(change.blob);
    if (content && !content.subarray(0, 8000).includes(0)) return { fragment, environmentText: content.toString('utf8') };
  }
  return { fragment };
}

export function isSkipped(value: GitFragment | Skipped): value is Skipped {
  return 'reason' in value;
}

type TallyReason = Skipped['reason'] | 'unmerged';

/**
 * Skipped files, counted per reason with the first few names: a history of many thousand commits
 * keeps a few bytes here, not a list of every binary change.
 */
export class SkipTally {
  private readonly byReason = new Map<TallyReason, { count: number; names: string[] }>();

  add(file: string, reason: TallyReason): void {
    let entry = this.byReason.get(reason);
    if (!entry) this.byReason.set(reason, (entry = { count: 0, names: [] }));
    entry.count++;
    if (entry.names.length < 3 && !entry.names.includes(file)) entry.names.push(file);
  }

  get total(): number {
    let n = 0;
    for (const e of this.byReason.values()) n += e.count;
    return n;
  }

  notes(): string[] {
    const notes: string[] = [];
    for (const [reason, { count, names }] of this.byReason) {
      const plural = count === 1 ? '' : 's';
      const list = `${names.join(', ')}${count > names.length ? ` and ${count - names.length} more` : ''}`;
      const what: Record<TallyReason, string> = {
        binary: `${count} binary file${plural} not scanned`,
        submodule: `${count} submodule change${plural} not scanned (a submodule is a repository of its own: scan it there)`,
        'too-large': `${count} file${plural} adding more than maxFileSize not scanned`,
        unmerged: `${count} unmerged path${plural} not scanned: resolve the conflict${plural} and stage the result`,
        unreadable: `${count} file${plural} could not be read`,
        symlink: `${count} symlink${plural} not followed`,
        'not-utf8': `${count} file${plural} not UTF-8`,
      };
      notes.push(`${what[reason]}: ${list}`);
    }
    return notes;
  }
}
