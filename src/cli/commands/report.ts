import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../../errors.js';
import { FAIL_ON_LEVELS, failsAt, isFailOn, type FailOn } from '../../findings/failOn.js';
import { SEVERITIES, type Report } from '../../findings/finding.js';
import { FORMATS, formatsHelp, isFormat } from '../../reporters/reporter.js';
import { summaryLineOf } from '../../reporters/summary.js';
import { DIFF_FORMATS, type DiffFormat } from '../../reports/renderDiff.js';
import { checkReportTarget, type ReportTarget, type RunIO } from '../../run/report.js';
import { checkReportTargets, parseReportSpec } from '../../run/reportTargets.js';
import { argsError } from '../argsError.js';
import type { Command, CommandContext } from '../command.js';

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  report: { type: 'string', multiple: true },
  previous: { type: 'string' },
  'fail-on': { type: 'string' },
  'show-secrets': { type: 'boolean' },
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const command: Command = {
  summary: 'merge JSON reports into one (any format), or say what changed between two',
  usage: `Usage: keyfence report merge PATH... [--format FORMAT] [--output FILE] [--previous OLD.json]
       keyfence report diff OLD.json NEW.json [--format text|json|markdown] [--output FILE]

merge  reads keyfence JSON reports (\`--format json\`; a PATH that is a folder gives every .json file
       under it, as a workflow's downloaded artifacts lie) and writes one report: each finding once
       (the same repository, rule, fingerprint and place), in report order, stats added up, notes
       and secret inventories joined. The order of the PATHs does not matter; a report given twice
       counts once. Reports are read one at a time.
diff   says which findings of NEW are new, which of OLD are fixed and which are still open, per
       repository and category. A finding is followed by repository, rule and fingerprint, so a
       secret whose line moved is still open.

  -f, --format FORMAT      merge: the merged report's format, default text:
${formatsHelp()}
                           diff: text (default), json or markdown
  -o, --output FILE        write to FILE (atomically) instead of stdout
      --report FORMAT=FILE merge: one more rendering of the merged report (repeatable)
      --previous OLD.json  merge: last run's merged report; the new one carries a trend: OLD's runs
                           and this one by severity, and what is new, fixed and open since OLD
      --fail-on SEVERITY   exit 1 when merge keeps, or diff finds new, a finding at or above SEVERITY
                           (critical, high, medium, low; default none: exit 0 once written)
      --show-secrets       show values a report written with --show-secrets holds (redacted by default)
  -c, --config FILE        configuration whose custom rules describe findings (SARIF, markdown)
  -h, --help               show this help

Exit codes: 0 written, 1 findings at or above --fail-on, 2 a PATH that is not a keyfence JSON
report (nothing is written).`,
  async run(context) {
    let parsed;
    try {
      parsed = parseArgs({ args: context.args, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw argsError('report', error, OPTIONS);
    }
    const { values, positionals } = parsed;
    const [action, ...paths] = positionals;
    const failOn = values['fail-on'] ?? 'none';
    if (!isFailOn(failOn)) throw new UserError(`report: --fail-on "${failOn}" is not a severity`, `use one of ${FAIL_ON_LEVELS.join(', ')}`);
    if (action === 'merge') return merge(values, paths, failOn, context);
    if (action === 'diff') return diff(values, paths, failOn, context);
    throw new UserError(action ? `report: unknown action "${action}"` : 'report: merge or diff?', 'run `keyfence report merge PATH...` or `keyfence report diff OLD NEW`');
  },
};

type Values = { format?: string; output?: string; report?: string[]; previous?: string; config?: string; 'fail-on'?: string; 'show-secrets'?: boolean };

/** A report file read back and masked (maskReadBack.ts): what merge and diff work on. */
async function readMasked(path: string, shown: string, values: Values): Promise<Report> {
  const { readReport } = await import('../../reports/readReport.js');
  const { maskReadBack } = await import('../../reports/maskReadBack.js');
  return maskReadBack(await readReport(path, shown), values['show-secrets'] === true);
}

async function merge(values: Values, paths: string[], failOn: FailOn, context: CommandContext): Promise<number> {
  if (!paths.length) throw new UserError('report merge: which reports?', 'give JSON report files or folders: keyfence report merge shards/');
  const format = values.format ?? 'text';
  if (!isFormat(format)) throw new UserError(`report merge: unknown format "${format}"`, `use one of ${FORMATS.join(', ')}`);
  const io = ioOf(context);
  const targets: ReportTarget[] = [{ format, output: values.output }, ...(values.report ?? []).map((spec) => parseReportSpec(spec))];
  checkReportTargets(targets, io);
  // What this run writes, or reads as last week's, lying in a folder to merge is not one of its reports
  // (a file named on its own is: `report merge merged.json shard.json --output merged.json` adds to it).
  const written = targets.flatMap((t) => (t.output !== undefined ? [resolve(io.cwd, t.output)] : []));
  const own = new Set([...written, ...(values.previous ? [resolve(io.cwd, values.previous)] : [])]);
  const files = await reportFiles(paths, io.cwd, own);
  if (!files.length) throw new UserError(`report merge: no .json file in ${paths.join(', ')}`, 'give the JSON reports to merge');

  // Findings are sorted on disk, not held (spilledMerge.ts), and each format reads them as it writes.
  const { SpilledMerge } = await import('../../reports/spilledMerge.js');
  const { tallyFindings, writeStreamedReports } = await import('../../run/streamReports.js');
  const merged = new SpilledMerge();
  try {
    for (const file of files) merged.add(await readMasked(file.path, file.shown, values));
    const head = merged.head();
    const keys = new Set<string>();
    const { secretKey } = await import('../../reports/findingOrder.js');
    const tally = await tallyFindings(merged.merged(), values.previous !== undefined ? (f) => keys.add(secretKey(f)) : undefined);
    if (values.previous !== undefined) {
      const { trendSince } = await import('../../reports/reportTrend.js');
      const path = resolve(io.cwd, values.previous);
      const previous = await readMasked(path, values.previous, values);
      const dated = (await stat(path)).mtime;
      head.trend = trendSince(previous, isoSeconds(dated), { date: isoSeconds(new Date()), counts: tally.bySeverity }, keys);
    }

    const { openEngine } = await import('../../run/openEngine.js');
    const { findRepoRoot } = await import('../../sources/git.js');
    const root = (await findRepoRoot(io.cwd)) ?? io.cwd;
    const engine = await openEngine(root, values.config);
    await writeStreamedReports({ head, findings: () => merged.merged() }, tally, targets, { engine, io, ...(failOn !== 'none' ? { failOn } : {}) });
    const repeated = merged.repeated ? ` (${merged.repeated} repeated, counted once)` : '';
    if (values.output !== undefined || values.report?.length) {
      const where = targets.flatMap((t) => (t.output !== undefined ? [t.output] : [])).join(', ');
      io.stderr.write(`keyfence: merged ${merged.added} reports${repeated}: ${summaryLineOf(tally.bySeverity, head)}; written to ${where}\n`);
    }
    return SEVERITIES.some((s) => tally.bySeverity[s] > 0 && failsAt(s, failOn)) ? 1 : 0;
  } finally {
    await merged.dispose();
  }
}

async function diff(values: Values, paths: string[], failOn: FailOn, context: CommandContext): Promise<number> {
  if (paths.length !== 2) throw new UserError(`report diff: ${paths.length < 2 ? 'give OLD and NEW' : `unexpected argument "${paths[2]}"`}`, 'run `keyfence report diff OLD.json NEW.json`');
  for (const option of ['report', 'previous'] as const) if (values[option] !== undefined) throw new UserError(`report diff: --${option} belongs to report merge`);
  const format = values.format ?? 'text';
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) throw new UserError(`report diff: unknown format "${format}"`, `use one of ${DIFF_FORMATS.join(', ')}`);
  const io = ioOf(context);
  const target = { format: 'json' as const, output: values.output };
  checkReportTarget(target, io);
  const { diffReports } = await import('../../reports/diffReports.js');
  const { renderDiff } = await import('../../reports/renderDiff.js');
  const [oldPath, newPath] = paths as [string, string];
  const before = await readMasked(resolve(io.cwd, oldPath), oldPath, values);
  const after = await readMasked(resolve(io.cwd, newPath), newPath, values);
  const changes = diffReports(before, after);
  const text = renderDiff(changes, format as DiffFormat);
  if (values.output === undefined) io.stdout.write(text);
  else {
    const { writeAtomic } = await import('../../run/writeAtomic.js');
    await writeAtomic(resolve(io.cwd, values.output), text);
  }
  return changes.new.some((f) => failsAt(f.severity, failOn)) ? 1 : 0;
}

function ioOf(context: CommandContext): RunIO {
  return { cwd: context.cwd, env: context.env, stdout: context.stdout, stderr: context.stderr };
}

/**
 * The report files PATHs name, in the order given: a file as it is, a folder as every .json file
 * under it but those in `skip`, by path. Reading them is the next step; this only lists.
 */
async function reportFiles(paths: string[], cwd: string, skip: ReadonlySet<string>): Promise<Array<{ path: string; shown: string }>> {
  const files: Array<{ path: string; shown: string }> = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UserError(`report merge: ${given} does not exist`, 'give JSON report files or folders');
    if (!info.isDirectory()) {
      files.push({ path, shown: given });
      continue;
    }
    const entries = await readdir(path, { recursive: true, withFileTypes: true });
    const found = entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => join(e.parentPath ?? (e as { path?: string }).path ?? path, e.name))
      .filter((file) => !skip.has(file));
    for (const file of found.sort()) files.push({ path: file, shown: relative(cwd, file) || file });
  }
  return files;
}

/** ISO 8601 to the second, UTC, as reports write dates. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
