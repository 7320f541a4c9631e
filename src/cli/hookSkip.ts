/**
 * Skipping only keyfence for one commit or push, leaving the other hooks to run (which `--no-verify`
 * does not): `KEYFENCE_SKIP=1`, or the pre-commit framework's `SKIP=keyfence` (a comma-separated list
 * of hook ids, which keyfence also honours when a plain git or husky hook runs it). Returns the note
 * to print, or undefined to run.
 */
export function skipNote(env: NodeJS.ProcessEnv, command: 'staged' | 'push', hookIds: readonly string[]): string | undefined {
  const flag = env.KEYFENCE_SKIP?.trim().toLowerCase();
  const what = command === 'staged' ? 'the staged changes were' : 'the pushed commits were';
  if (flag && flag !== '0' && flag !== 'false' && flag !== 'no') return `keyfence: skipped (KEYFENCE_SKIP=${env.KEYFENCE_SKIP}): ${what} not scanned\n`;
  const skipped = (env.SKIP ?? '').split(',').map((id) => id.trim());
  const id = hookIds.find((h) => skipped.includes(h));
  return id ? `keyfence: skipped (SKIP=${env.SKIP} names ${id}): ${what} not scanned\n` : undefined;
}
