import { rmSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Content written in pieces: `produce` calls `write` with each, in order. */
export type Producer = (write: (chunk: string) => Promise<void>) => Promise<void>;

/**
 * Writes `content` to `path` through a temporary file in the same folder and a rename, so an
 * interrupted run leaves either the old file or the new one, never half of one. Content given as a
 * Producer is written as it comes, never held whole.
 */
export async function writeAtomic(path: string, content: string | Producer): Promise<void> {
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  // Ctrl-C or SIGTERM while the temporary file is written: remove it, then die of the signal as
  // node would have, so nothing is left but the old file.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(temp, { force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    if (typeof content === 'string') await writeFile(temp, content, { mode: 0o644 });
    else await writeProduced(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
  }
}

/** Pieces gathered into writes of about 64 KiB: a write per finding would be a system call per finding. */
async function writeProduced(path: string, produce: Producer): Promise<void> {
  const file = await open(path, 'w', 0o644);
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = async () => {
      if (pending.length) await file.write(pending.join(''));
      pending = [];
      size = 0;
    };
    await produce(async (chunk) => {
      pending.push(chunk);
      size += chunk.length;
      if (size >= 1 << 16) await flush();
    });
    await flush();
  } finally {
    await file.close();
  }
}
