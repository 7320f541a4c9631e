/**
 * Audits a GitLab pipeline: load `.gitlab-ci.yml` with its local includes, build the model for a
 * merge-request pipeline, run every GitLab check, then the child pipelines its trigger jobs start.
 * Never throws on bad input: what cannot be read becomes a `gitlab-pipeline-error` finding.
 */
import type { Finding, Location } from '../../findings/finding.js';
import { defaultIsProductionEnvironment, type WorkflowAuditOptions } from '../check.js';
import { checkFinding, type CheckPlace } from '../checkFinding.js';
import type { GitlabCheck, GitlabReport } from './check.js';
import { GITLAB_CHECKS } from './checks/index.js';
import { jobFacts, type JobFacts } from './facts.js';
import { loadChildPipeline, loadPipeline, type PipelineFiles } from './load.js';
import { buildModel, type GJob, type GitlabModel } from './model.js';
import type { At } from './tree.js';

export type { PipelineFiles } from './load.js';

const MAX_CHILD_PIPELINES = 20;

function position(at: At): Omit<Location, 'file' | 'label'> {
  const lc = at.src.lineCounter;
  const max = at.src.text.length;
  const start = lc.linePos(Math.min(Math.max(at.span.start, 0), max));
  const end = lc.linePos(Math.min(Math.max(at.span.end, at.span.start), max));
  return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

function toFinding(check: GitlabCheck, r: GitlabReport): Finding {
  const place = (at: At, label?: string): CheckPlace => ({
    file: at.src.file,
    ...position(at),
    ...(label !== undefined ? { label } : {}),
    lines: at.src.lines,
  });
  const related = (r.related ?? [])
    .filter((x) => !(x.at.src === r.at.src && x.at.span.start === r.at.span.start))
    .map((x) => place(x.at, x.label));
  return checkFinding(check, r, place(r.at), related);
}

function runChecks(model: GitlabModel, isProductionEnvironment: (name: string) => boolean, out: Finding[], seen: Set<string>): void {
  const cache = new Map<GJob, JobFacts>();
  const facts = (job: GJob): JobFacts => {
    let f = cache.get(job);
    if (!f) cache.set(job, (f = jobFacts(model, job, isProductionEnvironment)));
    return f;
  };
  for (const check of GITLAB_CHECKS) {
    const reports: GitlabReport[] = [];
    try {
      check.run({ model, facts, isProductionEnvironment, report: (r) => reports.push(r) });
    } catch (err) {
      throw new Error(`GitLab check ${check.id} failed on ${model.main.file}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, { cause: err });
    }
    for (const r of reports) {
      const f = toFinding(check, r);
      // A template's line reaches every job that extends it: reported once, where it is written.
      const place = `${check.id}:${f.file}:${r.at.span.start}`;
      if (seen.has(f.fingerprint) || seen.has(place)) continue;
      seen.add(f.fingerprint);
      seen.add(place);
      out.push(f);
    }
  }
}

export async function auditGitlabPipeline(
  file: string,
  text: string,
  files: PipelineFiles,
  options: WorkflowAuditOptions = {},
): Promise<Finding[]> {
  const isProductionEnvironment = options.isProductionEnvironment ?? defaultIsProductionEnvironment;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const model = buildModel(await loadPipeline(file, text, files), 'merge_request_event');
  runChecks(model, isProductionEnvironment, findings, seen);
  // Child pipelines: their jobs run with the parent's variables, in a pipeline of source
  // parent_pipeline; they can run for a merge request only if the trigger job can.
  const childrenOf = (m: GitlabModel) =>
    m.jobs.flatMap((j) => j.childIncludes.map((c) => ({ path: childPath(file, c.text), from: j, parent: m })));
  const queue = childrenOf(model);
  const done = new Set<string>([file]);
  let count = 0;
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (done.has(next.path) || ++count > MAX_CHILD_PIPELINES) continue;
    done.add(next.path);
    const loaded = await loadChildPipeline(next.path, files, next.from.key.at);
    if ('message' in loaded) {
      const pseudo: GitlabModel = { ...next.parent, jobs: [], includes: [], problems: [loaded] };
      runChecks(pseudo, isProductionEnvironment, findings, seen);
      continue;
    }
    const child = buildModel(loaded, 'parent_pipeline', next.from.mr.can);
    runChecks(child, isProductionEnvironment, findings, seen);
    queue.push(...childrenOf(child));
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

function childPath(mainFile: string, local: string): string {
  const dir = mainFile.replace(/\\/g, '/').split('/').slice(0, -1).join('/');
  const rel = local.trim().replace(/^\/+/, '');
  return dir ? `${dir}/${rel}` : rel;
}
