import type { ParseArgsConfig } from 'node:util';
import { closest } from '../closest.js';
import { UserError } from '../errors.js';

/**
 * A command-line parse error (node:util parseArgs) as one clean line: `scan: unknown option
 * --formt (did you mean --format?)`, without parseArgs' paragraph on positionals after `--`.
 */
export function argsError(command: string, error: unknown, options: ParseArgsConfig['options'] = {}): UserError {
  const hint = `run \`keyfence ${command} --help\` for usage`;
  const e = error as NodeJS.ErrnoException;
  const unknown = /^Unknown option '([^']+)'/.exec(e.message);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const flag = unknown[1]!;
    const names = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
    const guess = flag.startsWith('--') ? closest(flag, names.filter((n) => n.startsWith('--'))) : undefined;
    return new UserError(`${command}: unknown option ${flag}${guess ? ` (did you mean ${guess}?)` : ''}`, hint);
  }
  return new UserError(`${command}: ${e.message.split('\n')[0]}`, hint);
}
