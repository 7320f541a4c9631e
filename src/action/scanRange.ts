/**
 * What the Action scans on a pull request or a push: the added lines of every commit in
 * BASE..HEAD (the commit-range source), the workflow checks on workflow files the range changes,
 * and, for placing review comments, the lines the range adds as a whole (`git diff BASE...HEAD`).
 */
import type { Engine } from '../engine/engine.js';
import type { Finding, ScanStats } from '../findings/finding.js';
import { git, runGit } from '../sources/git.js';
import { SkipTally } from '../sources/gitChanges.js';
import { readLog, type LogScan } from '../sources/gitLog.js';
import { resolveRange } from '../sources/commitRange.js';
import { openRepository, SHALLOW_NOTE } from '../sources/repository.js';
import { scanGitFragment } from '../cli/gitScan.js';
import { PATCH_ARGS, parsePatch } from '../sources/patchParser.js';
import { auditWorkflowFile, isWorkflowFile } from '../workflows/auditWorkflow.js';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export interface RangeScan {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
  /** Per file, the lines the range adds in HEAD (line number -> text): where a review comment may go. */
  added: Map<string, Map<number, string>>;
  /** Files the range adds or changes. */
  changedFiles: Set<string>;
}

async function hasCommit(root: string, sha: string): Promise<boolean> {
  return (await runGit(['cat-file', '-e', `${sha}^{commit}`], root)).code === 0;
}

/**
 * actions/checkout fetches one commit by default. Fetches BASE and enough of HEAD's history to
 * cover the range when they are missing; says so in a note when that fails.
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

export async function scanRange(engine: Engine, root: string, base: string, head: string, options: { depth?: number } = {}): Promise<RangeScan> {
  if (!SHA.test(head) || !(base === '' || SHA.test(base))) throw new Error(`scanRange: not commit ids: ${base}..${head}`);
  const started = performance.now();
  const notes: string[] = [];
  if (base) await ensureCommits(root, base, head, options.depth, notes);
  else if (!(await hasCommit(root, head))) await runGit(['fetch', '--no-tags', '--quiet', '--depth=2', 'origin', head], root);

  // Every commit of the range, added lines only: a secret added and removed again is still in history.
  const scan: LogScan = { skipped: new SkipTally(), commits: 0, patchBytes: 0 };
  const findings: Finding[] = [];
  let files = 0;
  let bytes = 0;
  const repo = await openRepository(root);
  const range = base ? await resolveRange(repo, `${base}..${head}`, process.env) : { revisions: ['--max-count=1', head], notes: [] };
  notes.push(...range.notes);
  if (repo.shallow) notes.push(SHALLOW_NOTE);
  for await (const item of readLog(repo.root, range.revisions, engine.config.maxFileSize, scan)) {
    if (item.type !== 'fragment') continue;
    files++;
    bytes += item.item.fragment.bytes ?? item.item.fragment.text.length;
    findings.push(...scanGitFragment(engine, item.item));
  }
  notes.push(...scan.skipped.notes());

  // The range as a whole: where comments can go, and which workflow files changed.
  const diffArgs = base ? ['diff', ...PATCH_ARGS, `${base}...${head}`] : ['diff', ...PATCH_ARGS, `${head}~1`, head];
  const diff = await runGit(diffArgs, root);
  const added = new Map<string, Map<number, string>>();
  const changedFiles = new Set<string>();
  if (diff.code === 0) {
    for (const event of parsePatch(diff.stdout)) {
      if (event.type !== 'file' || event.file.status === 'deleted') continue;
      changedFiles.add(event.file.path);
      const lines = new Map<number, string>();
      event.file.lineNumbers.forEach((n, i) => lines.set(n, event.file.added[i] ?? ''));
      added.set(event.file.path, lines);
    }
  } else {
    notes.push(`could not diff ${base.slice(0, 12)}...${head.slice(0, 12)}: ${diff.stderr.trim().split('\n')[0] ?? ''}`);
  }
  for (const file of [...changedFiles].filter(isWorkflowFile).sort()) {
    const text = (await git(['show', `${head}:${file}`], root)).toString('utf8');
    findings.push(...auditWorkflowFile(file, text));
  }
  return {
    findings,
    stats: { files, bytes, commits: scan.commits, durationMs: Math.round(performance.now() - started), skipped: scan.skipped.total },
    notes,
    added,
    changedFiles,
  };
}
