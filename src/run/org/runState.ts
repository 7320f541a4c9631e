import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What an interrupted organisation run leaves for the next one: `state.jsonl` in the run folder,
 * a header naming what the run was asked for, then one line per finished repository naming its
 * report file in `repos/`. A line is appended only after its report is on disk, so a run killed at
 * any point leaves a state that names only complete reports; a rerun of the same request skips
 * those repositories. A request that differs (another organisation, filters, shard, scan options)
 * starts afresh. A completed run removes the folder: next week's run audits everything again.
 */
export class RunState {
  private constructor(
    readonly folder: string,
    /** Finished repositories (full name) and the file of each one's report. */
    readonly finished: Map<string, string>,
  ) {}

  static async open(folder: string, request: unknown): Promise<RunState> {
    const key = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const path = join(folder, 'state.jsonl');
    const finished = new Map<string, string>();
    let lines: string[] = [];
    try {
      lines = (await readFile(path, 'utf8')).split('\n');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const header = parse(lines[0]);
    if (header?.key === key) {
      for (const line of lines.slice(1)) {
        const entry = parse(line);
        // A line cut short by a kill is not a record.
        if (typeof entry?.repository === 'string' && typeof entry.file === 'string') finished.set(entry.repository, entry.file);
      }
    } else {
      await rm(folder, { recursive: true, force: true });
      await mkdir(join(folder, 'repos'), { recursive: true });
      await appendFile(path, `${JSON.stringify({ version: 1, key })}\n`);
    }
    return new RunState(folder, finished);
  }

  /**
   * Where a repository's report goes: one file per repository, named from its full name and a
   * digest of it (GitLab's `group/sub/app` and `group/sub_app` would otherwise share a file).
   */
  reportFile(fullName: string): string {
    const digest = createHash('sha256').update(fullName).digest('hex').slice(0, 8);
    return join('repos', `${fullName.replace(/[^A-Za-z0-9._-]/g, '_')}-${digest}.json`);
  }

  async markFinished(fullName: string, file: string): Promise<void> {
    await appendFile(join(this.folder, 'state.jsonl'), `${JSON.stringify({ repository: fullName, file })}\n`);
    this.finished.set(fullName, file);
  }

  async remove(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}

function parse(line: string | undefined): Record<string, unknown> | undefined {
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
