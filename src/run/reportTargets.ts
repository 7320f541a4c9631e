import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { FORMATS, isFormat } from '../reporters/reporter.js';
import { checkReportTarget, type ReportTarget, type RunIO } from './report.js';

/**
 * `--report FORMAT=FILE` (the Action's `report` input, a line each): one more rendering of the same
 * run, written to FILE beside the console output. `option` names where it came from, for messages.
 */
export function parseReportSpec(spec: string, option = '--report'): ReportTarget & { output: string } {
  const at = spec.indexOf('=');
  const format = at < 0 ? spec : spec.slice(0, at);
  const output = at < 0 ? '' : spec.slice(at + 1);
  const example = `e.g. ${option} sarif=keyfence.sarif (formats: ${FORMATS.join(', ')})`;
  if (!isFormat(format)) throw new UserError(`${option} "${spec}": unknown format "${format}"`, example);
  if (!output) throw new UserError(`${option} "${spec}": no file to write the ${format} report to`, example);
  return { format, output, option };
}

/**
 * Every report of a run, checked before anything is scanned: each file writable (report.ts), and no
 * two reports to one file (the last would silently replace the others).
 */
export function checkReportTargets(targets: readonly ReportTarget[], io: Pick<RunIO, 'cwd'>): void {
  const seen = new Map<string, ReportTarget>();
  for (const target of targets) {
    checkReportTarget(target, io);
    if (target.output === undefined) continue;
    const path = resolve(io.cwd, target.output);
    const earlier = seen.get(path);
    if (earlier)
      throw new UserError(
        `${target.option ?? '--output'} ${target.output}: the ${earlier.format} report of ${earlier.option ?? '--output'} goes to the same file`,
        'give each report its own file',
      );
    seen.set(path, target);
  }
}
