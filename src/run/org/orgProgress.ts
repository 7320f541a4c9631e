import type { Writable } from 'node:stream';
import { now } from '../clock.js';

/**
 * The progress line of an organisation run on a terminal's stderr, rewritten at most every 200 ms:
 * repositories done of all, commits read per second, and the time left at the pace so far.
 */
export class OrgProgress {
  private readonly started = now();
  private last = Number.NEGATIVE_INFINITY;
  private shown = false;
  private done = 0;
  private commits = 0;

  private constructor(
    private readonly stream: Writable,
    private readonly total: number,
    /** Repositories finished by an earlier, interrupted run: done, but not part of this run's pace. */
    private readonly resumed: number,
  ) {}

  static on(stream: Writable & { isTTY?: boolean }, total: number, resumed: number): OrgProgress | undefined {
    return stream.isTTY === true ? new OrgProgress(stream, total, resumed) : undefined;
  }

  repositoryDone(commits: number): void {
    this.done += 1;
    this.commits += commits;
    this.show(false);
  }

  private show(force: boolean): void {
    const at = now();
    if (!force && at - this.last < 200) return;
    this.last = at;
    this.stream.write(`\r\x1b[K${progressLine(this.resumed + this.done, this.total, this.commits, this.done, (at - this.started) / 1000)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `keyfence: 12/200 repositories, 3,400 commits/s, ETA 4m 10s` (no ETA before the first one of this run). */
export function progressLine(done: number, total: number, commits: number, doneThisRun: number, seconds: number): string {
  const rate = seconds > 0 ? Math.round(commits / seconds) : 0;
  const left = total - done;
  const eta = doneThisRun > 0 && seconds > 0 ? `, ETA ${duration((seconds / doneThisRun) * left)}` : '';
  return `keyfence: ${done}/${total} repositories, ${rate.toLocaleString('en-US')} commits/s${eta}`;
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}
