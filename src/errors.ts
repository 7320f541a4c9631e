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
