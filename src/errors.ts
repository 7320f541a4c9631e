/** Marks UserErrors across copies of this class (see `Symbol.hasInstance` below). */
const USER_ERROR = Symbol.for('keyfence.UserError');

/**
 * A problem the user can fix: bad usage, a broken config, not a git repository. The CLI prints
 * `keyfence: <message>` and the hint on one line each and exits 2. Anything else is an internal
 * error and keeps its stack.
 */
export class UserError extends Error {
  readonly [USER_ERROR] = true;

  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /**
   * `instanceof` by mark, not by class: each one-file program (dist/hook.js, dist/scan.js) has a
   * copy of this class, while code it loads on demand from the rest of dist/ throws the other one.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [USER_ERROR]?: unknown })[USER_ERROR] === true;
  }
}

/** Where a failure is written: a stream. */
export interface ErrorSink {
  write(text: string): void;
}

/**
 * The one place a failure becomes text, for every door. What the user can fix (a UserError, a
 * custom rule that does not compile) is a message and a hint; anything else is an internal error
 * and keeps its stack. Messages quote what they complain about (a config value, a regex), so any
 * key in them is masked first.
 */
export async function describeError(error: unknown): Promise<{ message: string; hint?: string }> {
  const mask = await loadMasking();
  if (!isUserFacing(error)) return { message: mask(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`) };
  const hint = error instanceof UserError ? error.hint : undefined;
  return { message: mask((error as Error).message), ...(hint ? { hint: mask(hint) } : {}) };
}

/**
 * Writes a failure as `keyfence: <message>` and `  hint: <hint>` lines and returns the exit code, 2.
 * `extraHint` is what this door adds to every hint (the pre-commit hook: how to commit anyway).
 */
export async function reportError(error: unknown, sink: ErrorSink, extraHint?: string): Promise<number> {
  const { message, hint } = await describeError(error);
  const hints = [hint, extraHint].filter(Boolean).join('; ');
  sink.write(`keyfence: ${message}\n${hints ? `  hint: ${hints}\n` : ''}`);
  return 2;
}

/** A UserError, or a custom rule's compile error (it names the file and rule `where` it failed). */
function isUserFacing(error: unknown): boolean {
  return error instanceof UserError || (typeof error === 'object' && error !== null && typeof (error as { where?: unknown }).where === 'string');
}

/** The masking of free text, loaded only when an error is printed; without the rules, none. */
async function loadMasking(): Promise<(text: string) => string> {
  try {
    return (await import('./engine/maskText.js')).maskSecrets;
  } catch {
    return (text) => text;
  }
}

/**
 * A closed pipe on stdout (`keyfence rules | head -1`): the reader has all it wanted. Not an
 * error: the run ends with the exit code its findings decide, and prints nothing more.
 */
export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}
