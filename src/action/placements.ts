import type { Finding } from '../findings/finding.js';
import { runGit } from '../sources/git.js';
import { PATCH_ARGS, parsePatch } from '../sources/patchParser.js';

/**
 * Per file, the lines a pull request adds as a whole (`git diff BASE...HEAD`, line number in HEAD
 * -> text): where GitHub lets a review comment go. Undefined when git cannot diff the range.
 */
export async function addedLines(root: string, base: string, head: string): Promise<Map<string, Map<number, string>> | undefined> {
  const diff = await runGit(['diff', ...PATCH_ARGS, `${base}...${head}`], root);
  if (diff.code !== 0) return undefined;
  const added = new Map<string, Map<number, string>>();
  for (const event of parsePatch(diff.stdout)) {
    if (event.type !== 'file' || event.file.status === 'deleted') continue;
    const lines = new Map<number, string>();
    event.file.lineNumbers.forEach((n, i) => lines.set(n, event.file.added[i] ?? ''));
    added.set(event.file.path, lines);
  }
  return added;
}

/** Where a finding sits in the pull request's diff: the line in HEAD it can be commented on. */
export function placeFinding(f: Finding, added: Map<string, Map<number, string>>): number | undefined {
  const lines = added.get(f.file);
  if (!lines) return undefined;
  const text = f.lineText;
  if (lines.has(f.line) && (text === undefined || lines.get(f.line) === text)) return f.line;
  if (text === undefined) return undefined;
  // Found in an earlier commit of the range, where the line stood elsewhere.
  for (const [n, t] of lines) if (t === text) return n;
  return undefined;
}
