import type { Writable } from 'node:stream';
import { now } from './clock.js';

/**
 * One line on a terminal's stderr while commits are read, shown at the first commit and rewritten
 * at most every 200 ms: commits done, commits per second. Cleared before the report.
 */
export class Progress {
  private readonly started = now();
  private last = Number.NEGATIVE_INFINITY;
  private shown = false;

  constructor(private readonly stream: Writable) {}

  /** A progress line on `stream` when it is a terminal; none otherwise (CI logs, pipes). */
  static on(stream: Writable & { isTTY?: boolean }): Progress | undefined {
    return stream.isTTY === true ? new Progress(stream) : undefined;
  }

  tick(commits: number): void {
    const at = now();
    if (at - this.last < 200) return;
    this.last = at;
    const seconds = (at - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(commits / seconds) : 0;
    this.stream.write(`\r\x1b[Kkeyfence: ${commits.toLocaleString('en-US')} commit${commits === 1 ? '' : 's'}, ${rate.toLocaleString('en-US')} commits/s`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
