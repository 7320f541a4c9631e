import type { Writable } from 'node:stream';
import { loadConfig } from '../config/configFile.js';
import { createEngine } from '../engine/createEngine.js';
import type { Engine } from '../engine/engine.js';
import type { Finding } from '../findings/finding.js';
import type { GitFragment } from '../sources/gitChanges.js';
import { readLog, type LogScan } from '../sources/gitLog.js';
import { SHALLOW_NOTE, type Repository } from '../sources/repository.js';
import { SkipTally } from '../sources/gitChanges.js';
import { readTreeFiles } from '../sources/treeFiles.js';
import type { CommandContext } from './command.js';
import { emitReport } from './emitReport.js';
import type { ScanOptions } from './scanOptions.js';

/** Scans one git fragment, classifying env files by their whole text when the source read it. */
export function scanGitFragment(engine: Engine, { fragment, environmentText }: GitFragment): Finding[] {
  return environmentText === undefined ? engine.scan(fragment) : engine.scan(fragment, engine.environmentOf(fragment.file, environmentText));
}

/**
 * `keyfence diff` and `keyfence history`: streams the commits `revisions` selects through the
 * engine and reports, with commit, author and date on each finding.
 */
export async function scanCommits(
  context: CommandContext,
  options: ScanOptions,
  repo: Repository,
  revisions: string[],
  extra: { notes: string[]; progress: boolean; /** Compare with the config files of this commit (a range's head). */ observeAt?: string },
): Promise<number> {
  const started = performance.now();
  const engine = await createEngine(await loadConfig(repo.root, options.config));
  const scan: LogScan = { skipped: new SkipTally(), commits: 0, patchBytes: 0 };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let files = 0;
  const progress = extra.progress && context.stderr.isTTY === true ? new Progress(context.stderr) : undefined;
  try {
    for await (const item of readLog(repo.root, revisions, engine.config.maxFileSize, scan)) {
      if (item.type === 'commit') {
        progress?.tick(scan.commits);
        continue;
      }
      files++;
      seen.add(item.item.fragment.file);
      for (const f of scanGitFragment(engine, item.item)) findings.push(f);
    }
  } finally {
    progress?.clear();
  }
  if (extra.observeAt !== undefined && [...seen].some((file) => engine.wantsObservation(file))) {
    const others = await readTreeFiles(repo.root, extra.observeAt, (file) => !seen.has(file) && engine.wantsObservation(file), engine.config.maxFileSize);
    for (const fragment of others) engine.observe(fragment);
  }
  findings.push(...engine.finish());
  const notes = [...(repo.shallow ? [SHALLOW_NOTE] : []), ...extra.notes, ...scan.skipped.notes()];
  const stats = { files, bytes: scan.patchBytes, commits: scan.commits, durationMs: Math.round(performance.now() - started), skipped: scan.skipped.total };
  return emitReport(context, options, engine, { findings, stats, notes, covers: (file) => seen.has(file) });
}

/**
 * One line on a terminal's stderr, shown at the first commit and rewritten at most every 200 ms:
 * commits done, commits per second. Cleared before the report.
 */
export class Progress {
  private readonly started = performance.now();
  private last = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(private readonly stream: Writable) {}

  tick(commits: number): void {
    const now = performance.now();
    if (now - this.last < 200) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(commits / seconds) : 0;
    this.stream.write(`\r\x1b[Kkeyfence: ${commits.toLocaleString('en-US')} commit${commits === 1 ? '' : 's'}, ${rate.toLocaleString('en-US')} commits/s`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
  }
}
