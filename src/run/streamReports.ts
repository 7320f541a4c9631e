import { SEVERITIES, type Finding, type Report, type ReportFinding, type Severity } from '../findings/finding.js';
import { loadReporter, reporterEntry, type StreamedReport } from '../reporters/reporter.js';
import { renderContext, writeTarget, type RenderSetting, type ReportTarget } from './report.js';

/**
 * What the findings of a report too large to hold come to: counts by severity (the summary line),
 * and one finding of each rule, category and severity, which is all that describing the rules
 * (describeRules) and judging --fail-on look at.
 */
export interface FindingTally {
  bySeverity: Record<Severity, number>;
  kinds: ReportFinding[];
}

/** One pass over the findings; `each` sees every one (the keys a trend counts). */
export async function tallyFindings(findings: AsyncIterable<ReportFinding>, each?: (f: ReportFinding) => void): Promise<FindingTally> {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const kinds = new Map<string, ReportFinding>();
  for await (const f of findings) {
    bySeverity[f.severity]++;
    const kind = `${f.ruleId}\0${f.category}\0${f.severity}`;
    if (!kinds.has(kind)) kinds.set(kind, f);
    each?.(f);
  }
  return { bySeverity, kinds: [...kinds.values()] };
}

/** The tally's findings as rule descriptions take them: rule, category and severity are what they read. */
function keptKinds(tally: FindingTally): Finding[] {
  return tally.kinds.map(({ commit: _commit, author: _author, date: _date, ...f }) => f);
}

/**
 * Each target written: a format with a StreamReporter (all but text, markdown and HTML) reads the findings as it
 * writes them, so memory stays flat in their number; any other format (text, markdown, HTML...)
 * gets the report whole, its findings read once for all of those.
 */
export async function writeStreamedReports(
  report: StreamedReport,
  tally: FindingTally,
  targets: readonly ReportTarget[],
  setting: RenderSetting,
): Promise<void> {
  let whole: Report | undefined;
  const kept = keptKinds(tally);
  for (const target of targets) {
    const entry = reporterEntry(target.format);
    const context = await renderContext(target, setting, kept);
    if (entry.stream) {
      const stream = await entry.stream();
      await writeTarget(target, setting.io, (write) => stream(report, context, write));
      continue;
    }
    if (!whole) {
      const findings: ReportFinding[] = [];
      for await (const f of report.findings()) findings.push(f);
      whole = { ...report.head, findings };
    }
    await writeTarget(target, setting.io, (await loadReporter(target.format))(whole, context));
  }
}
