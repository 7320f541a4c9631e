/**
 * Which secrets each workflow job uses, and which triggers reach that job: the workflow side of the
 * cross-check with where each secret is stored. Built from the workflow model and its per-job
 * analysis (src/workflows/), so guards such as a same-repository check are understood.
 */
import { analyse, triggersIn, type GuardFlags } from '../workflows/analysis.js';
import { buildModel, type WorkflowModel } from '../workflows/model.js';
import type { Span } from '../workflows/yamlNodes.js';

export interface WorkflowText {
  /** Repository-relative path with forward slashes. */
  file: string;
  text: string;
}

export interface SecretUse {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  lineText: string;
  job: string;
  /** The secret's name, or `*` when the job gets every secret (`secrets: inherit`, `toJSON(secrets)`). */
  secret: string;
  /** The job's `environment:` when it is a literal name. */
  environment?: string;
  /** Every trigger that can start the job, with the guards that hold for it. */
  triggers: Array<{ name: string; guard: GuardFlags }>;
}

function position(model: WorkflowModel, span: Span) {
  const start = model.lineCounter.linePos(span.start);
  const end = model.lineCounter.linePos(Math.max(span.end, span.start));
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col, lineText: model.lines[start.line - 1] ?? '' };
}

export function secretUsesIn(workflows: WorkflowText[]): SecretUse[] {
  const uses: SecretUse[] = [];
  for (const { file, text } of workflows) {
    const model = buildModel(file, text);
    if (model.kind !== 'workflow') continue;
    const analysis = analyse(model);
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const triggers = triggersIn(facts, new Set(facts.triggers.map((t) => t.name))).map((t) => ({ name: t.trigger.name, guard: t.guard }));
      const environmentNode = facts.job.environment?.name;
      const environment = environmentNode && environmentNode.exprs.length === 0 ? facts.environmentName : undefined;
      const seen = new Set<string>();
      const add = (secret: string, span: Span) => {
        if (seen.has(secret)) return;
        seen.add(secret);
        uses.push({ file, ...position(model, span), job: job.id, secret, ...(environment ? { environment } : {}), triggers });
      };
      for (const ref of facts.secrets) add(ref.name, ref.occ.span);
      for (const occ of facts.broadSecrets) add('*', occ.span);
      if (facts.inheritsSecrets && job.secrets) add('*', job.secrets.keyNode.span);
    }
  }
  return uses;
}
