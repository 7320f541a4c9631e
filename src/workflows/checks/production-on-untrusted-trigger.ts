/**
 * production-on-untrusted-trigger: a job that deploys to production (an `environment:` the policy
 * calls production, or production-named secrets) and that an outsider can start without a fork
 * guard. Since December 2025, pull_request_target runs the default branch's workflow and
 * environment branch rules are evaluated against the default branch, so a branch-only deployment
 * policy lets such runs in; only required reviewers stop them.
 */
import { PRIVILEGED_UNTRUSTED, describeGuard, triggersIn, weakest } from '../analysis.js';
import { quoteList, triggerRelated, type WorkflowCheck } from '../check.js';
import { literalString, walk } from '../expressions.js';

const TRIGGERS = new Set([...PRIVILEGED_UNTRUSTED, 'pull_request_review', 'pull_request_review_comment']);

/** PROD_*, *_PROD, *_PRODUCTION, LIVE_*, deploy keys. */
function isProductionSecret(name: string): boolean {
  const parts = name.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  if (parts.some((p) => p === 'PROD' || p === 'PRODUCTION' || p === 'PRD' || p === 'LIVE')) return true;
  return /DEPLOY(_[A-Z0-9]+)*_(KEY|TOKEN|SSH_KEY|PRIVATE_KEY)$/.test(name.toUpperCase()) || name.toUpperCase() === 'DEPLOY_KEY';
}

export const productionOnUntrustedTrigger: WorkflowCheck = {
  id: 'production-on-untrusted-trigger',
  category: 'workflow',
  description: 'A production environment or production secrets are reachable from a trigger outsiders can start, without a fork guard.',
  run({ model, analysis, isProductionEnvironment, report }) {
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const w = weakest(triggersIn(facts, TRIGGERS));
      if (!w || w.guard.fork || w.guard.merged) continue;
      const guarded = w.guard.author || w.guard.label || w.guard.actor;

      // The environment: a literal name, or the literal names an expression can choose between.
      let envName: string | undefined;
      const env = job.environment?.name;
      if (env) {
        if (env.exprs.length === 0) {
          if (isProductionEnvironment(env.value.trim())) envName = env.value.trim();
        } else {
          for (const occ of env.exprs) {
            if (!occ.parsed.ast) continue;
            walk(occ.parsed.ast, (n) => {
              const s = literalString(n);
              if (s !== null && !envName && isProductionEnvironment(s)) envName = s;
            });
          }
          const literal = env.parts.filter((p) => p.kind === 'literal').map((p) => p.text).join('');
          if (!envName && literal && isProductionEnvironment(literal)) envName = env.value.trim();
        }
      }
      const prodSecrets = [...new Set(facts.secrets.filter((s) => isProductionSecret(s.name)).map((s) => s.name))];
      if (!envName && prodSecrets.length === 0) continue;

      const change = w.trigger.name === 'pull_request_target'
        ? ' Since December 2025 a pull_request_target run uses the default branch\'s workflow and environment branch rules are evaluated against the default branch, so a branch-only deployment policy does not stop it; only required reviewers do.'
        : w.trigger.name.startsWith('pull_request_review')
          ? ' Environment branch rules are evaluated against the merge ref (refs/pull/<n>/merge) for these runs; only required reviewers reliably stop them.'
          : ' These runs are on the default branch, so environment branch rules let them in; only required reviewers stop them.';
      const fix = ' Deploy from `push`/`workflow_dispatch`/`release` instead, or require reviewers on the environment and guard the job with `github.event.pull_request.head.repo.full_name == github.repository`.';
      const span = envName ? job.environment!.node.span : facts.secrets.find((s) => prodSecrets.includes(s.name))!.occ.span;
      const what = envName ? `environment \`${envName}\`` : `production secrets ${quoteList(prodSecrets)}`;
      report({
        severity: guarded ? 'low' : 'high',
        message: `\`${w.trigger.name}\` job \`${job.id}\` uses ${what}, and outsiders can start it${guarded ? ` (it is behind ${describeGuard(w.guard)})` : ' without a fork guard'}.${change}${fix}`,
        span,
        related: [triggerRelated(w.trigger)],
        what: `${job.id}/${envName ? `env:${envName}` : `secrets:${prodSecrets.join(',')}`}`,
      });
    }
  },
};
