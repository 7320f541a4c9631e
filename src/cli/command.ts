import type { Readable, Writable } from 'node:stream';

/** What every command receives; tests build one to run a command in-process. */
export interface CommandContext {
  /** Arguments after the command name. */
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** When the command line was taken (src/run/clock.ts): reported durations start here. */
  started?: number;
  /** For `keyfence scan -` (default: the process's standard input). */
  stdin?: Readable;
}

/** A command module in src/cli/commands/<name>.ts exports `command`. Returns the exit code. */
export interface Command {
  summary: string;
  usage: string;
  run(context: CommandContext): Promise<number>;
}
