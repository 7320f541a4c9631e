/**
 * A problem the user can fix: bad usage, a broken config, not a git repository. The CLI prints
 * `keyfence: <message>` and the hint on one line each and exits 2. Anything else is an internal
 * error and keeps its stack.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
