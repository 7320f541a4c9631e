/**
 * Audits one GitHub Actions workflow or local action: parse into the positioned model, work out
 * per-job facts once, run every check, and turn their reports into findings. Never throws on bad
 * input: unreadable files become `workflow-parse-error` findings.
 */
import { severityRank, type Finding, type Location } from '../findings/finding.js';
import { fingerprint } from '../findings/fingerprint.js';
import { analyse, type Analysis } from './analysis.js';
import { checkFinding, type CheckPlace } from './checkFinding.js';
import { defaultIsProductionEnvironment, type CheckReport, type WorkflowAuditOptions, type WorkflowCheck } from './check.js';
import { WORKFLOW_CHECKS } from './checks/index.js';
import { buildModel, type WorkflowModel } from './model.js';
import type { Span } from './yamlNodes.js';

export type { WorkflowAuditOptions } from './check.js';
export { WORKFLOW_CHECKS } from './checks/index.js';

export { isWorkflowFile } from './workflowPath.js';

function position(model: WorkflowModel, span: Span): Omit<Location, 'file' | 'label'> {
  const lc = model.lineCounter;
  const max = model.text.length;
  const start = lc.linePos(Math.min(Math.max(span.start, 0), max));
  const end = lc.linePos(Math.min(Math.max(span.end, span.start), max));
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

export function auditWorkflowFile(file: string, text: string, options: WorkflowAuditOptions = {}): Finding[] {
  const isProductionEnvironment = options.isProductionEnvironment ?? defaultIsProductionEnvironment;
  const { repository } = options;
  let model: WorkflowModel;
  try {
    model = repository ? repository.model(file, text) : buildModel(file, text);
  } catch (err) {
    // The model builder handles malformed input itself; this is a last line of defence.
    return [internalError(file, text, err)];
  }
  // The file as it stands, then as each caller runs it (the checks that follow callers); one
  // finding per fingerprint, the most severe.
  const runs: { analysis: Analysis; checks: readonly WorkflowCheck[] }[] = [
    { analysis: analyse(model, repository?.scope(model)), checks: WORKFLOW_CHECKS },
  ];
  const followers = WORKFLOW_CHECKS.filter((c) => c.followsCallers);
  for (const context of repository?.contexts(model) ?? []) runs.push({ analysis: analyse(model, { context }), checks: followers });
  const byFingerprint = new Map<string, Finding>();
  for (const { analysis, checks } of runs) {
    for (const check of checks) {
      const reports: CheckReport[] = [];
      try {
        check.run({ model, analysis, isProductionEnvironment, report: (r) => reports.push(r) });
      } catch (err) {
        throw new Error(
          `workflow check ${check.id} failed on ${file}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`,
          { cause: err },
        );
      }
      for (const r of reports) {
        const f = toFinding(model, check, r);
        const had = byFingerprint.get(f.fingerprint);
        if (!had || severityRank(f.severity) > severityRank(had.severity)) byFingerprint.set(f.fingerprint, f);
      }
    }
  }
  const findings = [...byFingerprint.values()];
  findings.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

function toFinding(model: WorkflowModel, check: WorkflowCheck, r: CheckReport): Finding {
  const place = (span: Span, label: string | undefined, m: WorkflowModel): CheckPlace => ({
    file: m.file,
    ...position(m, span),
    ...(label !== undefined ? { label } : {}),
    lines: m.lines,
  });
  const flat = (r.related ?? []).flatMap((x) => [x, ...(x.also ?? [])]);
  const related = flat
    .filter((x) => !((x.model ?? model) === model && x.span.start === r.span.start && x.span.end === r.span.end))
    .map((x) => place(x.span, x.label, x.model ?? model));
  return checkFinding(check, r, place(r.span, undefined, model), related);
}

function internalError(file: string, text: string, err: unknown): Finding {
  const lines = text.split(/\r?\n/);
  return {
    ruleId: 'workflow-parse-error',
    category: 'workflow',
    severity: 'medium',
    message: `the file could not be read as a workflow: ${err instanceof Error ? err.message : String(err)}`,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    environment: 'ci',
    secret: '',
    fingerprint: fingerprint('workflow-parse-error', file, 'unreadable', false),
    lineText: lines[0] ?? '',
  };
}
