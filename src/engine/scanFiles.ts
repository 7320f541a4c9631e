import type { Finding, ScanStats } from '../findings/finding.js';
import { readFileFragment, type FileSet } from '../sources/files.js';
import type { Skipped } from '../sources/fragment.js';
import type { Engine } from './engine.js';

/** Files read ahead while the engine matches the ones already read. */
const READ_AHEAD = 32;

export interface FileScanResult {
  findings: Finding[];
  stats: ScanStats;
  skipped: Skipped[];
}

/** Scans a set of files on disk: reads them concurrently and matches each as it arrives. */
export async function scanFiles(engine: Engine, set: FileSet): Promise<FileScanResult> {
  const started = performance.now();
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  let files = 0;
  let bytes = 0;
  const maxSize = engine.config.maxFileSize;
  let next = 0;
  const worker = async () => {
    while (next < set.files.length) {
      const file = set.files[next++]!;
      const result = await readFileFragment(set.root, file, maxSize);
      if (!result) continue;
      if ('reason' in result) {
        skipped.push(result);
        continue;
      }
      files++;
      bytes += Buffer.byteLength(result.text);
      for (const f of engine.scan(result)) findings.push(f);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_AHEAD, set.files.length) }, worker));
  return {
    findings,
    skipped,
    stats: { files, bytes, commits: 0, durationMs: Math.round(performance.now() - started), skipped: skipped.length },
  };
}

/** One note per kind of skip, naming a few files, so a large tree does not flood the report. */
export function skipNotes(skipped: Skipped[]): string[] {
  const byReason = new Map<string, Skipped[]>();
  for (const s of skipped) {
    if (s.reason === 'binary') continue;
    byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s]);
  }
  const notes: string[] = [];
  for (const [reason, list] of byReason) {
    const names = list.slice(0, 3).map((s) => (s.detail ? `${s.file} (${s.detail})` : s.file));
    const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
    const why = { 'too-large': 'skipped, over maxFileSize', unreadable: 'could not be read', symlink: 'symlinks not followed', submodule: 'submodules skipped', 'not-utf8': 'not UTF-8' }[reason] ?? reason;
    notes.push(`${list.length} file${list.length === 1 ? '' : 's'} ${why}: ${names.join(', ')}${more}`);
  }
  return notes;
}
