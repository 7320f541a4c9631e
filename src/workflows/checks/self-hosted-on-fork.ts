/**
 * self-hosted-on-fork: a job on a self-hosted runner that runs fork pull-request code. Runners that
 * are not ephemeral keep state between jobs, so one fork pull request can plant a backdoor for the
 * jobs that follow, and reach the runner's network.
 */
import { CHECKOUT_TRIGGERS, FORK_CODE_TRIGGERS, describeGuard, triggersIn, weakest } from '../analysis.js';
import { triggerRelated, type WorkflowCheck } from '../check.js';
import type { Job } from '../model.js';
import { asMap, asScalar, asSeq, get, type YNode, type YScalar } from '../yamlNodes.js';
import { actionName, withText } from '../steps.js';
import { allPaths } from '../expressions.js';

/** The `self-hosted` label of runs-on, directly or through a matrix value. */
function selfHostedLabel(job: Job): YScalar | null {
  const runsOn = job.runsOn;
  if (!runsOn) return null;
  const labels: YNode[] = [];
  if (runsOn.kind === 'scalar') labels.push(runsOn);
  else if (runsOn.kind === 'seq') labels.push(...runsOn.items);
  else {
    const l = get(runsOn, 'labels');
    if (l?.kind === 'scalar') labels.push(l);
    else if (l?.kind === 'seq') labels.push(...l.items);
  }
  for (const l of labels) {
    const s = asScalar(l);
    if (!s) continue;
    if (/^self-hosted$/i.test(s.text.trim())) return s;
    // runs-on: ${{ matrix.runner }} with self-hosted among the matrix values.
    const m = /^\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}$/.exec(s.text.trim());
    if (m && job.matrix) {
      const values = get(job.matrix, m[1]!);
      const candidates = [...(asSeq(values)?.items ?? []), ...(asSeq(get(job.matrix, 'include'))?.items.map((i) => get(asMap(i), m[1]!)).filter((x): x is YNode => x !== null) ?? [])];
      for (const c of candidates) {
        const flat = c.kind === 'seq' ? c.items : [c];
        for (const f of flat) if (f.kind === 'scalar' && /^self-hosted$/i.test(f.text.trim())) return f;
      }
    }
  }
  return null;
}

/** Whether the job fetches pull-request code (for triggers that do not run it by themselves). */
function fetchesPrCode(job: Job): boolean {
  for (const step of job.steps) {
    if (actionName(step) === 'actions/checkout') {
      const ref = step.with.get('ref')?.value;
      const text = withText(step, 'ref') ?? '';
      const paths = ref ? ref.exprs.flatMap((o) => (o.parsed.ast ? allPaths(o.parsed.ast).map((p) => p.path) : [])) : [];
      if (/refs\/pull\//.test(text) || paths.some((p) => /^github\.(head_ref|event\.pull_request\.(head\.|merge_commit_sha)|event\.workflow_run\.head_)/.test(p))) return true;
    }
    if (step.run && /\bgh\s+pr\s+checkout\b|refs\/pull\//.test(step.run.value)) return true;
  }
  return false;
}

export const selfHostedOnFork: WorkflowCheck = {
  id: 'self-hosted-on-fork',
  category: 'workflow',
  description: 'A job on a self-hosted runner runs code from fork pull requests.',
  run({ model, analysis, report }) {
    for (const job of model.jobs) {
      const label = selfHostedLabel(job);
      if (!label) continue;
      const facts = analysis.facts(job);
      const candidates = [
        ...triggersIn(facts, FORK_CODE_TRIGGERS),
        ...(fetchesPrCode(job) ? triggersIn(facts, CHECKOUT_TRIGGERS) : []),
      ];
      const w = weakest(candidates);
      if (!w || w.guard.fork || w.guard.merged) continue;
      const guarded = w.guard.author || w.guard.label || w.guard.actor;
      report({
        severity: guarded ? 'low' : 'high',
        message: `job \`${job.id}\` runs on a self-hosted runner and \`${w.trigger.name}\` lets fork pull requests run their code on it${guarded ? ` (behind ${describeGuard(w.guard)})` : ''}; on a public repository anyone can then persist on the runner or reach its network. Use GitHub-hosted runners for pull requests, skip forks with \`github.event.pull_request.head.repo.full_name == github.repository\`, or use ephemeral runners and require approval for outside contributors.`,
        span: label.span,
        related: [triggerRelated(w.trigger)],
        what: `${job.id}/self-hosted`,
      });
    }
  },
};
