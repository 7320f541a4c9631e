/**
 * excessive-permissions: a job that outsiders can start holds `write-all`, or write access to
 * contents, packages, actions or id-token. Label and comment bots need `issues`/`pull-requests`
 * write, which is not reported. A job without any permissions block gets the repository default,
 * which is read-write on older repositories: a low note.
 */
import { PRIVILEGED_UNTRUSTED, describeGuard, triggersIn, weakest } from '../analysis.js';
import { triggerRelated, type WorkflowCheck } from '../check.js';
import type { Job } from '../model.js';

const SENSITIVE = ['contents', 'packages', 'actions', 'id-token'];

const WHY: Record<string, string> = {
  contents: 'push commits and tags, and create releases',
  packages: 'publish packages',
  actions: 'change workflow runs, caches and artifacts',
  'id-token': 'mint OIDC tokens that cloud providers accept as this repository',
};

export const excessivePermissions: WorkflowCheck = {
  id: 'excessive-permissions',
  category: 'workflow',
  description: 'A job that outsiders can start holds write-all, or contents, packages, actions or id-token write.',
  run({ model, analysis, report }) {
    const reported = new Map<number, { jobs: string[] }>();
    const defaultJobs: { job: Job; trigger: string }[] = [];
    let defaultTrigger: ReturnType<typeof weakest>;
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const w = weakest(triggersIn(facts, PRIVILEGED_UNTRUSTED));
      if (!w || w.guard.fork || w.guard.merged) continue;
      const guarded = w.guard.author || w.guard.label || w.guard.actor;
      const perms = facts.permissions.perms;
      const level = facts.permissions.source === 'job' ? `job \`${job.id}\`` : 'the workflow';
      if (!perms || facts.permissions.source === 'default') {
        if (!job.uses) {
          defaultJobs.push({ job, trigger: w.trigger.name });
          defaultTrigger ??= w;
        }
        continue;
      }
      const items: { span: { start: number; end: number }; scope: string }[] = [];
      if (perms.kind === 'write-all') items.push({ span: (perms.node ?? perms.keyNode).span, scope: 'write-all' });
      else if (perms.kind === 'scopes') {
        for (const s of SENSITIVE) {
          const v = perms.scopes.get(s);
          if (v?.level === 'write') items.push({ span: v.value.span, scope: s });
        }
      }
      for (const item of items) {
        const prior = reported.get(item.span.start);
        if (prior) {
          prior.jobs.push(job.id);
          continue;
        }
        reported.set(item.span.start, { jobs: [job.id] });
        const what = item.scope === 'write-all' ? '`write-all`' : `\`${item.scope}: write\``;
        const why = item.scope === 'write-all' ? 'push code, publish packages, change workflows\' runs and mint OIDC tokens' : WHY[item.scope]!;
        report({
          severity: guarded ? 'low' : item.scope === 'write-all' || item.scope === 'id-token' ? 'high' : 'medium',
          message: `${what} in ${level} is in reach of \`${w.trigger.name}\` runs that outsiders start${guarded ? ` (behind ${describeGuard(w.guard)})` : ''}; any code execution in \`${job.id}\` can ${why}. Grant it only to a job that needs it and is not reachable from untrusted triggers, and set \`permissions: {}\` at the top of the workflow.`,
          span: item.span,
          related: [triggerRelated(w.trigger)],
          what: `${facts.permissions.source === 'job' ? job.id : '(workflow)'}/${item.scope}`,
        });
      }
    }
    if (defaultJobs.length > 0 && defaultTrigger) {
      const names = defaultJobs.map((d) => `\`${d.job.id}\``).join(', ');
      report({
        severity: 'low',
        message: `no \`permissions:\` for ${names}, which \`${defaultTrigger.trigger.name}\` runs reach: the token gets the repository default, read-write on older repositories. Declare \`permissions:\` with only the scopes needed (e.g. \`pull-requests: write\` for a labeler).`,
        span: defaultTrigger.trigger.node.span,
        related: [triggerRelated(defaultTrigger.trigger)],
        what: 'default-permissions',
      });
    }
  },
};
