import { UserError } from '../../errors.js';

/** The git hooks keyfence can be installed in, and what each runs. */
export const HOOKS = ['pre-commit', 'pre-push'] as const;
export type HookName = (typeof HOOKS)[number];

/**
 * The command each hook runs. Plain `keyfence`, not `npx keyfence`: husky puts node_modules/.bin on
 * PATH for every hook, and npx costs a hook a whole npm start-up (about a second) per commit.
 */
export const HOOK_COMMANDS: Record<HookName, string> = { 'pre-commit': 'keyfence staged', 'pre-push': 'keyfence push' };

/** The id the pre-commit framework (and `SKIP=`) knows each hook by; .pre-commit-hooks.yaml ships both. */
export const HOOK_IDS: Record<HookName, string> = { 'pre-commit': 'keyfence', 'pre-push': 'keyfence-push' };

const WHAT: Record<HookName, string> = { 'pre-commit': 'commits that add secrets', 'pre-push': 'pushes whose commits add secrets' };
const BYPASS: Record<HookName, string> = {
  'pre-commit': 'git commit --no-verify (KEYFENCE_SKIP=1 git commit skips only keyfence)',
  'pre-push': 'git push --no-verify (KEYFENCE_SKIP=1 git push skips only keyfence)',
};

/** Whether a hook script already runs keyfence's command for this hook (`keyfence push`, `node …/keyfence.js push`). */
export function runsKeyfence(text: string, hook: HookName): boolean {
  const verb = HOOK_COMMANDS[hook].split(' ')[1]!;
  return new RegExp(`^[^#\\n]*\\bkeyfence(?:\\.js)?["']?\\s+${verb}\\b`, 'm').test(text);
}

/** One line for a YAML hook's `name:` or a comment: what the hook blocks. */
function hookPurpose(hook: HookName): string {
  return `keyfence: block ${WHAT[hook]}`;
}

/**
 * The lines keyfence adds to a shell hook. `command` is what runs keyfence (plain `keyfence …` in a
 * husky hook; a PATH-or-npx fallback in a plain git hook). A plain git hook runs without `set -e`,
 * so the block ends the hook itself when keyfence blocks.
 */
export function hookBlock(hook: HookName, command: string, exitOnFailure: boolean): string {
  return `# ${hookPurpose(hook)}. A false alarm: \`keyfence:allow[rule-id] reason\`
# in a comment on the line. To go ahead anyway, knowingly: ${BYPASS[hook]}
${command}${exitOnFailure ? ' || exit $?' : ''}
`;
}

/**
 * Puts the keyfence block into an existing hook after its opening lines (a shebang, comments, the
 * `. "$(dirname -- "$0")/_/husky.sh"` of husky 4-8) and before its commands: the secret check is
 * fast and should stop the commit before slower checks run, and an `exit 0` at the end of the hook
 * cannot skip it.
 *
 * A pre-push hook is different: git hands it the refs on standard input, which only one reader can
 * take. keyfence reading them first would leave the hook's own commands nothing to read, so an
 * existing pre-push hook with commands of its own is refused with a clear message instead.
 */
export function addToHook(text: string, block: string, hook: HookName, shown: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const isHeader = (line: string) => line.trim() === '' || line.trim().startsWith('#') || /^\.\s+"?\$\(dirname/.test(line.trim());
  let at = 0;
  while (at < lines.length && isHeader(lines[at]!)) at++;
  while (at > 0 && lines[at - 1]!.trim() === '') at--;
  const head = lines.slice(0, at);
  const tail = lines.slice(at);
  if (hook === 'pre-push' && tail.some((l) => l.trim() && !l.trim().startsWith('#')))
    throw new UserError(
      `${shown} exists with commands of its own; git hands a pre-push hook the pushed refs on standard input, and only one reader can take them, so keyfence did not change it`,
      `add \`${HOOK_COMMANDS[hook]}\` to it yourself, reading the refs once (e.g. refs=$(cat); printf '%s\\n' "$refs" | ${HOOK_COMMANDS[hook]}), or run \`keyfence push\` from another hook manager`,
    );
  const body = block.trimEnd().split('\n');
  const result = [...head, ...(head.length ? [''] : []), ...body, ...(tail.length && tail[0]!.trim() !== '' ? [''] : []), ...tail];
  return `${result.join(eol)}${eol}`;
}
