/**
 * The commits the Action scans on a pull request or a push, made present in the checkout first:
 * actions/checkout fetches one commit by default.
 */
import { runGit } from '../sources/git.js';
import { commitSource } from '../sources/commitSource.js';
import { rangeSource } from '../sources/commitRange.js';
import { openRepository } from '../sources/repository.js';
import type { StreamSource } from '../sources/source.js';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

async function hasCommit(root: string, sha: string): Promise<boolean> {
  return (await runGit(['cat-file', '-e', `${sha}^{commit}`], root)).code === 0;
}

/**
 * Fetches BASE and enough of HEAD's history to cover the range when they are missing, or the
 * clone is shallow; says so in a note when that fails.
 */
async function ensureCommits(root: string, base: string, head: string, depth: number | undefined, notes: string[]): Promise<void> {
  const missing = [];
  if (!(await hasCommit(root, head))) missing.push(head);
  if (!(await hasCommit(root, base))) missing.push(base);
  const shallow = (await runGit(['rev-parse', '--is-shallow-repository'], root)).stdout.toString().trim() === 'true';
  if (missing.length === 0 && !shallow) return;
  const args = ['fetch', '--no-tags', '--no-recurse-submodules', '--quiet'];
  if (shallow) args.push(`--depth=${Math.max(2, (depth ?? 50) + 1)}`);
  const result = await runGit([...args, 'origin', head, base], root);
  if (result.code !== 0 && missing.length > 0)
    notes.push(`could not fetch ${missing.map((s) => s.slice(0, 12)).join(' and ')} from origin (${result.stderr.trim().split('\n')[0] ?? ''}): check out with \`fetch-depth: 0\``);
}

/**
 * BASE..HEAD of a pull request or a push, as `keyfence diff` reads it. Without a base (a push that
 * created its branch), HEAD's own commit.
 */
export async function rangeCommits(
  root: string,
  base: string,
  head: string,
  env: NodeJS.ProcessEnv,
  depth?: number,
): Promise<StreamSource> {
  if (!SHA.test(head) || !(base === '' || SHA.test(base))) throw new Error(`not commit ids: ${base}..${head}`);
  const notes: string[] = [];
  if (base) await ensureCommits(root, base, head, depth, notes);
  else if (!(await hasCommit(root, head))) await runGit(['fetch', '--no-tags', '--quiet', '--depth=2', 'origin', head], root);
  const repo = await openRepository(root);
  if (!base) return commitSource(repo, ['--max-count=1', head], head, ['a new branch: only its last commit was scanned']);
  const source = await rangeSource(repo, `${base}..${head}`, env);
  return { ...source, notes: [...notes, ...source.notes] };
}
