import { loadConfig } from '../../config/configFile.js';
import { createEngine } from '../../engine/createEngine.js';
import { ScanWorkers, scanFiles, skipNotes } from '../../engine/scanFiles.js';
import { listFiles } from '../../sources/files.js';
import { coverageOfPaths } from '../../suppressions/baseline.js';
import type { Command } from '../command.js';
import { emitReport } from '../emitReport.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

export const command: Command = {
  summary: 'scan files on disk (tracked and untracked-not-ignored inside a git work tree)',
  usage: `Usage: keyfence scan [PATH...] [options]

Scans files on disk (default: the current directory). Inside a git work tree it scans tracked files
and untracked files that are not ignored; --no-git scans every file under PATH.

      --no-git             scan every file under PATH, ignoring git
${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(context.args, { 'no-git': { type: 'boolean' } }, 'scan');
    const workers = ScanWorkers.startFor(positionals, context.cwd);
    try {
      const set = await listFiles(positionals, context.cwd, values['no-git'] === true);
      const engine = await createEngine(await loadConfig(set.root, options.config));
      const result = await scanFiles(engine, set, workers);
      return await emitReport(context, options, engine, {
        findings: [...result.findings, ...engine.finish()],
        stats: result.stats,
        notes: skipNotes(result.skipped),
        covers: coverageOfPaths(set.root, context.cwd, positionals),
      });
    } finally {
      await workers?.close();
    }
  },
};
