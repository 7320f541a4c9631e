import type { Skipped } from './fragment.js';

type TallyReason = Skipped['reason'] | 'unmerged';

/**
 * Files a source passed over, counted per reason with the first few names: a history of many
 * thousand commits keeps a few bytes here, not a list of every binary change.
 */
export class SkipTally {
  private readonly byReason = new Map<TallyReason, { count: number; names: string[] }>();

  add({ file, reason, detail }: { file: string; reason: TallyReason; detail?: string }): void {
    let entry = this.byReason.get(reason);
    if (!entry) this.byReason.set(reason, (entry = { count: 0, names: [] }));
    entry.count++;
    const name = detail ? `${file} (${detail})` : file;
    if (entry.names.length < 3 && !entry.names.includes(name)) entry.names.push(name);
  }

  get total(): number {
    let n = 0;
    for (const e of this.byReason.values()) n += e.count;
    return n;
  }

  /** One note per reason, naming the first few files: as many files as `total` counts. */
  notes(): string[] {
    const notes: string[] = [];
    for (const [reason, { count, names }] of this.byReason) {
      const plural = count === 1 ? '' : 's';
      const list = `${names.join(', ')}${count > names.length ? ` and ${count - names.length} more` : ''}`;
      const what: Record<TallyReason, string> = {
        binary: `${count} binary file${plural} not scanned`,
        submodule: `${count} submodule${plural} not scanned (a submodule is a repository of its own: scan it there)`,
        'too-large': `${count} file${plural} over maxFileSize not scanned`,
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
