import { Writable } from 'node:stream';

/** A stream that keeps what a command writes, for in-process runs of a command's `run`. */
export function textSink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}
