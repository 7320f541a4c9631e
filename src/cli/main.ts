import type { Command, CommandContext } from './command.js';
import { closest } from '../closest.js';
import { reportError, UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { now } from '../run/clock.js';

/**
 * Commands load on demand, so `keyfence staged` never pays for the workflow parser or octokit.
 * The help lists them in this order.
 */
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  scan: () => import('./commands/scan.js'),
  staged: () => import('./commands/staged.js'),
  diff: () => import('./commands/diff.js'),
  push: () => import('./commands/push.js'),
  history: () => import('./commands/history.js'),
  workflows: () => import('./commands/workflows.js'),
  audit: () => import('./commands/audit.js'),
  org: () => import('./commands/org.js'),
  baseline: () => import('./commands/baseline.js'),
  init: () => import('./commands/init.js'),
  rules: () => import('./commands/rules.js'),
  config: () => import('./commands/config.js'),
  explain: () => import('./commands/explain.js'),
  import: () => import('./commands/import.js'),
  verify: () => import('./commands/verify.js'),
  rotate: () => import('./commands/rotate.js'),
  report: () => import('./commands/report.js'),
};

async function help(): Promise<string> {
  const lines = ['Usage: keyfence <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(10)} ${(await load()).command.summary}`);
  lines.push('', 'Run `keyfence <command> --help` for a command\'s options.', 'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, configuration or runtime error.');
  return `${lines.join('\n')}\n`;
}

export async function main(argv: string[], context: Omit<CommandContext, 'args'>): Promise<number> {
  const [name, ...args] = argv;
  const started = now();
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      context.stdout.write(await help());
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v' || name === 'version') {
      context.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const load = COMMANDS[name];
    if (!load) {
      const guess = closest(name, Object.keys(COMMANDS));
      throw new UserError(`unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}`, 'run `keyfence --help` for the list of commands');
    }
    const { command } = await load();
    if (args.includes('--help') || args.includes('-h')) {
      context.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run({ started, ...context, args });
  } catch (error) {
    return reportError(error, context.stderr);
  }
}
