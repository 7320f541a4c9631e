import { loadConfig } from '../../config/configFile.js';
import { DEFAULT_MAX_FILE_SIZE } from '../../config/config.js';
import { loadBuiltinRules } from '../../engine/builtinRules.js';
import { createEngine } from '../../engine/createEngine.js';
import type { Finding } from '../../findings/finding.js';
import { startStagedRead } from '../../sources/stagedDiff.js';
import { readTreeFiles } from '../../sources/treeFiles.js';
import type { Command, CommandContext } from '../command.js';
import { emitReport } from '../emitReport.js';
import { UserError } from '../../errors.js';
import { scanGitFragment } from '../gitScan.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

const BYPASS = 'to commit anyway, knowingly: git commit --no-verify';

/** Printed after a report that blocks a commit: how to fix it, silence a false alarm, or bypass. */
export const BLOCKED_HINT = `
keyfence: this commit is blocked: the staged lines above add secrets (values redacted).
  - a real secret: take it out of the file (read it from the environment or a secret store), stage, commit again
  - a false alarm: end the line with a comment \`keyfence:allow[RULE-ID] reason\` in the file's comment
    syntax (e.g. \`# keyfence:allow[stripe-live-secret-key] documented test fixture\`),
    or record it in a baseline (keyfence baseline FILE --output .keyfence-baseline.json) and add
    \`--baseline .keyfence-baseline.json\` to the hook's \`keyfence staged\`
  - ${BYPASS}
`;

export const command: Command = {
  summary: 'scan what `git commit` would add: the staged lines, read from the index (the pre-commit hook)',
  usage: `Usage: keyfence staged [options]

Scans the lines the next commit adds: the index against HEAD (against the empty tree before the
first commit), read from the index, so partially staged files and later unstaged edits are handled
right. Line numbers are those of the staged file. Pure renames and deleted files add nothing;
binary files and submodules are skipped with a note. The husky pre-commit hook runs this; a commit
it blocks can still be made, knowingly, with \`git commit --no-verify\`.

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    try {
      const code = await runStaged(context);
      if (code === 1) context.stderr.write(BLOCKED_HINT);
      return code;
    } catch (error) {
      // A hook that fails must block the commit (exit 2) and still say how to get past it.
      if (error instanceof UserError) throw new UserError(error.message, error.hint ? `${error.hint}; ${BYPASS}` : BYPASS);
      const { maskSecrets } = await import('../../engine/maskText.js');
      if ((error as { where?: string }).where !== undefined) {
        context.stderr.write(`keyfence: ${maskSecrets((error as Error).message)}\n  hint: ${BYPASS}\n`);
        return 2;
      }
      context.stderr.write(`keyfence: internal error: ${maskSecrets((error as Error).stack ?? String(error))}\n  hint: ${BYPASS}\n`);
      return 2;
    }
  },
};

async function runStaged(context: CommandContext): Promise<number> {
  const started = performance.now();
  const { options, positionals } = parseCommandArgs(context.args, {}, 'staged');
  if (positionals.length) throw new UserError('staged takes no PATH: it scans everything staged', 'run `keyfence staged --help` for usage');
  // git reads the index while the configuration loads and the rules compile. The configured size
  // limit is known only then, so the source keeps up to a generous cap and the limit applies below.
  const read = startStagedRead(context.cwd, DEFAULT_MAX_FILE_SIZE * 4);
  // While git starts: the built-in rules need no configuration, and the configuration loads from
  // where the work tree most likely starts, again from git's answer should that differ.
  loadBuiltinRules();
  const likely = read.likelyRoot ?? (await read.root);
  let engine = await createEngine(await loadConfig(likely, options.config));
  const root = await read.root;
  if (root !== likely) engine = await createEngine(await loadConfig(root, options.config));
  const staged = await read.changes;
  const findings: Finding[] = [];
  const scanned = new Set<string>();
  for (const item of staged.fragments) {
    if ((item.fragment.bytes ?? 0) > engine.config.maxFileSize) {
      staged.skipped.add(item.fragment.file, 'too-large');
      continue;
    }
    scanned.add(item.fragment.file);
    for (const f of scanGitFragment(engine, item)) findings.push(f);
  }
  // A commit that adds a value to one environment's config is compared with the other environments'
  // config files as the index holds them, so the commit that introduces a reuse is the one blocked.
  if ([...scanned].some((file) => engine.wantsObservation(file))) {
    const others = await readTreeFiles(root, 'index', (file) => !scanned.has(file) && engine.wantsObservation(file), engine.config.maxFileSize);
    for (const fragment of others) engine.observe(fragment);
  }
  findings.push(...engine.finish());
  // bytes: of patch read from git, as for `diff` and `history`.
  const stats = { files: scanned.size, bytes: staged.patchBytes, commits: 0, durationMs: Math.round(performance.now() - started), skipped: staged.skipped.total };
  return emitReport(context, options, engine, { findings, stats, notes: staged.skipped.notes(), covers: (file) => scanned.has(file) });
}
