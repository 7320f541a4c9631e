import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { openEngine } from '../../run/openEngine.js';
import { openFileSource } from '../../run/openFileSource.js';
import { historySource } from '../../sources/history.js';
import { openRepository } from '../../sources/repository.js';
import { pathFilter } from '../../run/pathFilter.js';
import { preparePlan, runPipeline } from '../../run/run.js';
import { writeAtomic } from '../../run/writeAtomic.js';
import { DEFAULT_BASELINE_FILE, isIsoDate, readBaseline, serializeBaseline, updateBaseline } from '../../suppressions/baseline.js';
import type { Command } from '../command.js';
import { parseCommandArgs } from '../scanOptions.js';

export const command: Command = {
  summary: 'record today\'s findings as a baseline, so only new ones fail (--output FILE)',
  usage: `Usage: keyfence baseline [PATH...] --output FILE [options]
       keyfence baseline --history [--all] --output FILE [options]

Scans files as \`keyfence scan\` does and writes the findings to FILE as a baseline; scanning
commands given \`--baseline FILE\` then drop them. Entries hold rule, file and a keyed hash of the
secret, never the secret or its line: moving code, reformatting and squashing keep them matching.
An existing FILE keeps its salt and the reason, owner and expiry of entries that still match;
entries of files outside PATH are kept as they are. With --history, what every commit added is
recorded instead (as \`keyfence history\` finds it), so an old repository can adopt the \`history\` and
\`audit\` gates without a wall of already-rotated keys.

  -o, --output FILE        the baseline to write or update (e.g. ${DEFAULT_BASELINE_FILE})
      --prune              only drop entries that match nothing any more; add no new ones
      --reason TEXT        reason recorded on new entries
      --owner NAME         owner recorded on new entries
      --expires YYYY-MM-DD new entries stop suppressing after this day
      --no-git             scan every file under PATH, ignoring git
      --history            record what the whole history holds (every commit reachable from HEAD)
      --all                with --history: every commit reachable from any ref
  -c, --config FILE        configuration (default keyfence.yml or .keyfence.yml at the root)
      --no-suppressions    record findings that inline comments and allowlists silence, too
      --include GLOB       record only paths matching GLOB (repeatable); entries of other paths are kept
      --exclude GLOB       leave out paths matching GLOB (repeatable; wins over --include)
  -h, --help               show this help`,
  async run(context) {
    const { options, values, positionals } = parseCommandArgs(
      context.args,
      { 'no-git': { type: 'boolean' }, history: { type: 'boolean' }, all: { type: 'boolean' }, prune: { type: 'boolean' }, reason: { type: 'string' }, owner: { type: 'string' }, expires: { type: 'string' } },
      'baseline',
    );
    if (!options.output)
      throw new UserError('baseline: --output FILE is required', `run \`keyfence baseline --output ${DEFAULT_BASELINE_FILE}\``);
    if (options.baseline !== undefined) throw new UserError('baseline: --baseline does not apply here', 'an existing baseline at --output FILE is updated in place');
    if (values.format !== undefined) throw new UserError('baseline: --format does not apply here', 'the baseline is always JSON');
    const expires = values.expires as string | undefined;
    if (expires !== undefined && !isIsoDate(expires)) throw new UserError(`baseline: --expires "${expires}" is not a date`, 'use YYYY-MM-DD');
    if (values.prune === true && (values.reason !== undefined || values.owner !== undefined || expires !== undefined))
      throw new UserError('baseline: --prune adds no entries, so --reason, --owner and --expires do not apply');

    const path = resolve(context.cwd, options.output);
    // Read first: a broken baseline is a usage error before a long scan, not after it.
    const existing = existsSync(path) ? await readBaseline(path, options.output) : undefined;
    if (values.prune === true && !existing) throw new UserError(`baseline: ${options.output} does not exist, so there is nothing to prune`);

    if (values.all === true && values.history !== true) throw new UserError('baseline: --all applies to --history only');
    if (values.history === true && (positionals.length || values['no-git'] === true)) throw new UserError('baseline: --history takes no PATH and no --no-git', 'it records what the commits added, file by file');
    const { source, workers } =
      values.history === true
        ? { source: await historySource(await openRepository(context.cwd), { all: values.all === true }), workers: undefined }
        : await openFileSource(positionals, context.cwd, { noGit: values['no-git'] === true });
    const plan = await preparePlan({ engine: openEngine(source.root, options.config), sources: [source], workers });
    // The findings a scan would report, before any baseline: what the new baseline records.
    const { kept, report } = (await runPipeline(plan, options, context)).finished;

    // History holds every file a commit ever touched: all of its entries are in scope. Paths that
    // --include/--exclude leave out were not looked at: their entries are kept as they are.
    const inScope = source.covers ?? (() => true);
    const paths = pathFilter(options.include, options.exclude);
    const update = await updateBaseline(existing, kept, {
      prune: values.prune === true,
      covers: (file) => (paths ? paths.matches(file) : true) && inScope(file),
      defaults: {
        ...(values.reason !== undefined ? { reason: values.reason as string } : {}),
        ...(values.owner !== undefined ? { owner: values.owner as string } : {}),
        ...(expires !== undefined ? { expires } : {}),
      },
    });
    await writeAtomic(path, serializeBaseline(update.baseline));
    for (const note of report.notes) context.stderr.write(`note: ${note}\n`);
    const n = update.baseline.entries.length;
    context.stdout.write(
      `${existing ? 'updated' : 'wrote'} ${options.output}: ${n} entr${n === 1 ? 'y' : 'ies'} (${update.added} new, ${update.kept} kept, ${update.removed} removed)\n`,
    );
    return 0;
  },
};
