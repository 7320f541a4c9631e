import { isBrokenPipe, reportError } from '../errors.js';
import { main } from './main.js';

// The program behind `keyfence` (see bin.ts): every command, and the pre-commit hook's dist/hook.js.

const argv = process.argv.slice(2);
const BYPASS = argv[0] === 'staged' ? 'to commit anyway, knowingly: git commit --no-verify' : argv[0] === 'push' ? 'to push anyway, knowingly: git push --no-verify' : undefined;

/**
 * The last line of defence: an error no command caught (one thrown from an event handler, a promise
 * nobody awaited) would make node exit 1, which means "findings". It is an internal error: exit 2,
 * so CI tells it from findings and the pre-commit hook blocks the commit saying how to bypass it.
 */
async function crash(error: unknown): Promise<void> {
  process.exit(await reportError(error instanceof Error ? error : new Error(String(error)), process.stderr, BYPASS));
}
process.on('uncaughtException', (error) => void crash(error));
process.on('unhandledRejection', (error) => void crash(error));

// A reader that stops early (`keyfence rules | head -1`) closes the pipe: what it did not read it
// did not want. The run ends as it would have, with the exit code its findings decide.
let stdoutClosed = false;
process.stdout.on('error', (error) => {
  // After the pipe broke, later writes fail as "destroyed": the same closed pipe.
  if (stdoutClosed || isBrokenPipe(error)) stdoutClosed = true;
  else void crash(error);
});

/** Settles when the command has run and set the exit code (the launcher awaits it: src/cli/bin.ts). */
export const finished = main(argv, {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  // No stdin: the commands that read it take process.stdin when they do. Its getter builds a stream
  // (on a file, node's fs streams and fs/promises: 7 M instructions) that a hook never reads.
}).then((code) => {
  process.exitCode = code;
});
