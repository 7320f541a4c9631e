import { constants } from 'node:buffer';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { UserError } from '../cli/errors.js';
import { isBinary } from './binary.js';
import type { Fragment, Skipped } from './fragment.js';
import { findRepoRoot, git } from './git.js';

/** The files a `scan` covers, relative to `root`, with forward slashes. */
export interface FileSet {
  root: string;
  files: string[];
  inRepository: boolean;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/**
 * Inside a git work tree: tracked files plus untracked files that are not ignored, under PATHs.
 * Elsewhere, or with `noGit`: every regular file under PATHs (no .git folders).
 */
export async function listFiles(paths: string[], cwd: string, noGit = false): Promise<FileSet> {
  const targets = (paths.length ? paths : ['.']).map((p) => resolve(cwd, p));
  for (const target of targets) {
    try {
      await stat(target);
    } catch {
      throw new UserError(`${relative(cwd, target) || target} does not exist`, 'give a file or directory to scan');
    }
  }
  const root = noGit ? undefined : await findRepoRoot(targets[0]!);
  if (root) {
    const pathspecs = targets.map((t) => toPosix(relative(root, t)) || '.');
    const outside = pathspecs.find((p) => p.startsWith('..') || isAbsolute(p));
    if (outside) throw new UserError(`${outside} is outside the repository at ${root}`, 'scan paths of one repository at a time, or use --no-git');
    const out = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate', '--', ...pathspecs.map((p) => `:(literal)${p}`)], root);
    const files = out.toString('utf8').split('\0').filter(Boolean);
    return { root, files: [...new Set(files)].sort(), inRepository: true };
  }
  // One PATH: paths relative to it (to its folder, for a file). Several: relative to the working directory.
  const base = targets.length === 1 ? ((await stat(targets[0]!)).isDirectory() ? targets[0]! : dirname(targets[0]!)) : cwd;
  const files = new Set<string>();
  for (const target of targets) {
    if ((await stat(target)).isFile()) {
      files.add(toPosix(relative(base, target)));
      continue;
    }
    const found = await fg('**/*', { cwd: target, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ['**/.git/**'], suppressErrors: true });
    for (const f of found) files.add(toPosix(relative(base, resolve(target, f))));
  }
  return { root: base, files: [...files].sort(), inRepository: false };
}


/**
 * Reads one file as a fragment, or says why it was skipped. Never follows a symlink. Synchronous on
 * purpose: it runs in scan workers (or a short CLI run), where blocking costs nothing, and
 * `lstatSync` + `readFileSync` cost a fifth of their promise versions on trees of small files.
 */
export function readFileFragment(root: string, file: string, maxSize: number, rawName?: Buffer): Fragment | Skipped | undefined {
  const path: string | Buffer = rawName ?? resolve(root, file);
  let info;
  try {
    info = lstatSync(path);
  } catch (error) {
    // A name that is not UTF-8 reached us decoded, with replacement characters: open it by its bytes.
    const raw = !rawName && (error as NodeJS.ErrnoException).code === 'ENOENT' ? rawPath(root, file) : undefined;
    if (raw) return readFileFragment(root, file, maxSize, raw);
    // Tracked but deleted in the work tree: nothing to scan.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { file, reason: 'unreadable', detail: (error as Error).message };
  }
  if (info.isSymbolicLink()) return { file, reason: 'symlink' };
  if (info.isDirectory()) return { file, reason: 'submodule' };
  if (!info.isFile()) return undefined;
  // No file can be longer than the longest string a JavaScript engine holds, whatever maxFileSize says.
  if (info.size > Math.min(maxSize, constants.MAX_STRING_LENGTH)) return { file, reason: 'too-large', detail: `${info.size} bytes` };
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    return { file, reason: 'unreadable', detail: (error as Error).message };
  }
  if (isBinary(buffer)) return { file, reason: 'binary' };
  return { file, text: buffer.toString('utf8'), firstLine: 1, bytes: buffer.length };
}

/**
 * The bytes of the path of `file` under `root` when its name is not valid UTF-8 (git and the folder
 * walk hand such names over with U+FFFD in place of the bytes): each such part of the path is
 * looked up among the raw names of its folder. Undefined when no name, or more than one, fits.
 */
function rawPath(root: string, file: string): Buffer | undefined {
  if (!file.includes('\uFFFD')) return undefined;
  let at: Buffer = Buffer.from(resolve(root));
  for (const part of file.split('/')) {
    let name: Buffer = Buffer.from(part);
    if (part.includes('\uFFFD')) {
      let entries: Buffer[];
      try {
        entries = readdirSync(at, { encoding: 'buffer' });
      } catch {
        return undefined;
      }
      const fits = entries.filter((e) => e.toString('utf8') === part);
      if (fits.length !== 1) return undefined;
      name = fits[0]!;
    }
    at = Buffer.concat([at, Buffer.from(sep), name]);
  }
  return at;
}
