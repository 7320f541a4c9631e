import { isProductionName } from '../../workflows/gitlab/facts.js';
import { scopeReaches } from '../pipelineUse.js';
import { atUse, describeVariable, settingLocation, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-mr-reachable-variable',
  description: "An unprotected CI/CD variable is read by a job that merge-request pipelines run: the merge request's code gets it.",
  async run(ctx) {
    if (!ctx.uses.some((u) => u.mr)) return;
    const stored = await ctx.facts.variables();
    const protectedEnvs = (await ctx.facts.protectedEnvironments()) ?? [];
    for (const use of ctx.uses) {
      if (!use.mr || use.definedInPipeline) continue;
      // GitLab's precedence: a project variable over a group's; among those, the one whose scope reaches the job.
      const reaching = stored.filter((v) => v.key === use.variable && scopeReaches(v.environmentScope, use.environment));
      const first = reaching.find((v) => v.level === 'project') ?? reaching[0];
      if (!first || first.protected) continue;
      const prod =
        isProductionName(use.variable) ||
        (use.environment !== undefined && ctx.isProduction(use.environment)) ||
        (first.environmentScope !== '*' && ctx.isProduction(first.environmentScope));
      // A protected environment with approvals holds the job until a second person approves it.
      const gate = protectedEnvs.find((e) => e.name === use.environment && (e.requiredApprovalCount > 0 || e.ruleApprovals > 0));
      ctx.report({
        severity: gate ? 'medium' : prod ? 'critical' : 'high',
        environment: prod ? 'production' : 'ci',
        ...atUse(use),
        message: `${describeVariable(first)} is not protected and job "${use.job}" reads it in a merge-request pipeline${gate ? ` (environment "${gate.name}" waits for approval)` : ''}: the merge request's code, a fork's too once a member runs it, can read and send it away; protect the variable, or keep the job out of merge-request pipelines`,
        what: `${use.job}:${use.variable}:${first.place}`,
        related: [settingLocation(first.place, describeVariable(first))],
      });
    }
  },
};
