// Running the tools the corpus is built with (npm, apt-get, dpkg-deb, tar) and the scanner itself.

import { execFile } from 'node:child_process';
import { SetupError } from './errors.mjs';

/**
 * Runs a command and resolves with its exit code and output whatever the code: npm and apt-get
 * report a missing version through their exit code and stderr, which the caller turns into advice.
 * Rejects only when the command could not be started at all (not installed).
 */
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 1 << 26, encoding: 'utf8', ...options }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') {
        reject(new SetupError(`cannot run ${cmd}: ${error.code}${error.code === 'ENOENT' ? ' (not installed?)' : ''}`));
        return;
      }
      // A signal leaves no code: count it as a failure.
      const code = error ? (typeof error.code === 'number' ? error.code : 128) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The first line of a tool's error output worth showing: the `E:` / `npm error` line when there is one. */
export function firstErrorLine(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(E:|npm error|npm ERR!|dpkg-deb: error|tar:)/.test(l)) ?? lines[0] ?? '(no output)';
}

/**
 * `fn` over `items`, at most `limit` at a time, results in the order of the items. Downloads wait
 * on the network more than on the 2 cores, so a few run side by side; the first failure wins.
 */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
