import type { Fragment, Skipped } from './fragment.js';
import type { BlobReader } from './git.js';
import { addedText, type FileChange } from './patchParser.js';
import type { SourceEvent } from './source.js';

/**
 * What the git sources (staged, diff, history) hand to the run: the added lines of one file as a
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
function mayDeclareEnvironment(path: string): boolean {
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

/**
 * The events one parsed file change gives the run: it changed, and what to scan or why not. A
 * binary file (`Binary files … differ`: the patch holds none of its bytes) is handed over with a
 * way to read its new content from git, which the run uses only when a path rule names the file
 * (a key store). `blobs` must stay open until the run has handled the event.
 */
export async function* changeEvents(change: FileChange, blobs: BlobReader | undefined): AsyncGenerator<SourceEvent> {
  if (change.status !== 'deleted') yield { type: 'changed', file: change.path };
  if (change.kind === 'binary' && change.status !== 'deleted') {
    const blob = change.blob;
    yield {
      type: 'binary',
      file: change.path,
      ...(change.commit ? { commit: { sha: change.commit.sha, author: change.commit.author, date: change.commit.date } } : {}),
      content: () => (blobs && blob ? blobs.read(blob) : Promise.resolve(undefined)),
    };
    return;
  }
  const item = await toGitFragment(change, blobs);
  if (item === undefined) return;
  if (isSkipped(item)) yield { type: 'skipped', skipped: item };
  else yield { type: 'fragment', ...item };
}
