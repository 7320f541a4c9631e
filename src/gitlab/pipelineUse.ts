/**
 * What the project's pipeline asks of its CI/CD variables, for the cross-check of use against
 * storage: each credential variable a job reads (where it reads it), whether merge-request
 * pipelines can run that job, and the job's environment. Built on the GitLab pipeline model of
 * `keyfence workflows`, judged for a merge-request pipeline.
 */
import { jobFacts } from '../workflows/gitlab/facts.js';
import { loadPipeline, type PipelineFiles } from '../workflows/gitlab/load.js';
import { buildModel } from '../workflows/gitlab/model.js';
import type { At } from '../workflows/gitlab/tree.js';

/** A pipeline file and where its local includes are read from. */
export interface PipelineText {
  file: string;
  text: string;
  files: PipelineFiles;
}

export interface VariableUse {
  variable: string;
  job: string;
  /** Whether a merge-request pipeline can run the job (rules, only/except, workflow:rules). */
  mr: boolean;
  /** The job's `environment:` name, if any: it chooses which scoped variables the job receives. */
  environment?: string;
  /** Variables the job defines itself (`variables:`, its rules', `secrets:`) or inherits from the file. */
  definedInPipeline: boolean;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  lineText: string;
}

function place(at: At): Pick<VariableUse, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'lineText'> {
  const lc = at.src.lineCounter;
  const max = at.src.text.length;
  const start = lc.linePos(Math.min(Math.max(at.span.start, 0), max));
  const end = lc.linePos(Math.min(Math.max(at.span.end, at.span.start), max));
  return { file: at.src.file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col, lineText: at.src.lines[start.line - 1] ?? '' };
}

/** Every credential variable the pipeline's jobs read, one use per job and variable. */
export async function variableUsesIn(
  pipeline: PipelineText | undefined,
  isProductionEnvironment: (name: string) => boolean,
): Promise<VariableUse[]> {
  if (!pipeline) return [];
  const model = buildModel(await loadPipeline(pipeline.file, pipeline.text, pipeline.files), 'merge_request_event');
  const uses: VariableUse[] = [];
  for (const job of model.jobs) {
    if (job.hidden || job.trigger) continue;
    const facts = jobFacts(model, job, isProductionEnvironment);
    const defined = new Set([...job.variables.map((v) => v.name), ...(job.secrets?.pairs.map((p) => p.key.text) ?? [])]);
    for (const [variable, at] of facts.credentials) {
      uses.push({
        variable,
        job: job.id,
        mr: job.mr.can,
        ...(job.environment ? { environment: job.environment.name.text } : {}),
        definedInPipeline: defined.has(variable),
        ...place(at),
      });
    }
  }
  return uses;
}

/**
 * Whether a variable of `scope` reaches a job of `environment`: `*` reaches every job; any other
 * scope (a name, or a pattern with `*` wildcards) only jobs of a matching environment.
 */
export function scopeReaches(scope: string, environment: string | undefined): boolean {
  if (scope === '*' || scope === '') return true;
  if (environment === undefined) return false;
  const re = new RegExp(`^${scope.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(environment);
}
