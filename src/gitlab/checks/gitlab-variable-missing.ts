import { scopeReaches } from '../pipelineUse.js';
import { atUse, describeVariable, settingLocation, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-variable-missing',
  description: 'A job reads a credential variable that neither the pipeline nor the project or group settings define for it: the job gets an empty value.',
  async run(ctx) {
    const project = await ctx.facts.projectVariables();
    // Without every list, "defined nowhere" cannot be told from "defined where the token cannot see".
    if (!project || !(await ctx.facts.allGroupVariablesRead())) return;
    const stored = [...project, ...(await ctx.facts.groupVariables())];
    for (const use of ctx.uses) {
      if (use.definedInPipeline) continue;
      const named = stored.filter((v) => v.key === use.variable);
      if (named.some((v) => scopeReaches(v.environmentScope, use.environment))) continue;
      const hint = named.length
        ? `; it is defined only for other environments (${named.map((v) => `\`${v.environmentScope}\``).join(', ')}), and the job's is ${use.environment !== undefined ? `"${use.environment}"` : 'none'}`
        : ': define it in Settings > CI/CD > Variables (protected, masked), or remove the reference';
      ctx.report({
        severity: 'medium',
        environment: use.environment !== undefined && ctx.isProduction(use.environment) ? 'production' : 'ci',
        ...atUse(use),
        message: `variable ${use.variable}, read by job "${use.job}", is defined neither in the pipeline nor in the project or its groups' CI/CD settings (an instance-level variable is not visible to the audit): the job gets an empty string${hint}`,
        what: `missing:${use.job}:${use.variable}`,
        ...(named.length ? { related: named.map((v) => settingLocation(v.place, describeVariable(v))) } : {}),
      });
    }
  },
};
