import { DEFAULT_MAX_FILE_SIZE } from '../../config/config.js';
import { loadBuiltinRules } from '../../rules/builtinRules.js';
import { reportError, UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { blockMessage } from '../../run/blockMessage.js';
import { runScanReport } from '../../run/run.js';
import { stagedSource, startStagedRead } from '../../sources/stagedDiff.js';
import type { Command, CommandContext } from '../command.js';
import { skipNote } from '../hookSkip.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

const BYPASS = 'to commit anyway, knowingly: git commit --no-verify';


export const command: Command = {
  summary: 'scan what `git commit` would add: the staged lines, read from the index (the pre-commit hook)',
  usage: `Usage: keyfence staged [options]

Scans the lines the next commit adds: the index against HEAD (against the empty tree before the
first commit), read from the index, so partially staged files and later unstaged edits are handled
right. Line numbers are those of the staged file. Pure renames and deleted files add nothing;
binary files and submodules are skipped with a note, except key stores (.p12, .jks, .kdbx…), which
are reported. A staged workflow file is audited whole, as
the index holds it, and a value added to one environment's config is compared with the other
environments' config files in the index. The husky pre-commit hook runs this; a commit it blocks
can still be made, knowingly, with \`git commit --no-verify\`; KEYFENCE_SKIP=1 (or the pre-commit
framework's SKIP=keyfence) skips only keyfence, with a note on stderr.

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const skip = skipNote(context.env, 'staged', ['keyfence']);
    if (skip) {
      context.stderr.write(skip);
      return 0;
    }
    try {
      const { code, report, failOn } = await runStaged(context);
      // Any other code is findings (--exit-code N); 0 is a clean run or --fail-on none. After the
      // report: what blocked the commit, and how to fix or silence each (run/blockMessage.ts).
      if (code !== 0) context.stderr.write(blockMessage(report.findings, failOn, 'commit', BYPASS));
      return code;
    } catch (error) {
      // A hook that fails must block the commit (exit 2) and still say how to get past it.
      return reportError(error, context.stderr, BYPASS);
    }
  },
};

async function runStaged(context: CommandContext): ReturnType<typeof runScanReport> {
  const { options, positionals } = parseCommandArgs(context.args, {}, 'staged');
  if (positionals.length) throw new UserError('staged takes no PATH: it scans everything staged', 'run `keyfence staged --help` for usage');
  // git reads the index while the configuration loads and the rules compile. The configured size
  // limit is known only then, so the source keeps up to a generous cap and the run applies the limit.
  const read = startStagedRead(context.cwd, DEFAULT_MAX_FILE_SIZE * 4);
  // While git starts: the built-in rules need no configuration, and the configuration loads from
  // where the work tree most likely starts, again from git's answer should that differ.
  loadBuiltinRules();
  const likely = read.likelyRoot ?? (await read.root);
  let engine = await openEngine(likely, options.config);
  const root = await read.root;
  if (root !== likely) engine = await openEngine(root, options.config);
  return runScanReport({ engine, sources: [stagedSource(await read.changes)] }, options, context);
}
