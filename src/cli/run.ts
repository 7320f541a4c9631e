import { main } from './main.js';

// The program behind `keyfence` (see bin.ts): every command, and the pre-commit hook's dist/hook.js.

/**
 * The last line of defence: an error no command caught (one thrown from an event handler, a promise
 * nobody awaited) would make node exit 1, which means "findings". It is an internal error: exit 2,
 * so CI tells it from findings and the pre-commit hook blocks the commit saying how to bypass it.
 */
const argv = process.argv.slice(2);
async function crash(error: unknown): Promise<void> {
  let text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    text = (await import('../engine/maskText.js')).maskSecrets(text);
  } catch {
    // Masking needs the rules; the message is still better than none.
  }
  process.stderr.write(`keyfence: internal error: ${text}\n`);
  if (argv[0] === 'staged') process.stderr.write('  hint: to commit anyway, knowingly: git commit --no-verify\n');
  process.exit(2);
}
process.on('uncaughtException', (error) => void crash(error));
process.on('unhandledRejection', (error) => void crash(error));

const code = await main(argv, { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
process.exitCode = code;
