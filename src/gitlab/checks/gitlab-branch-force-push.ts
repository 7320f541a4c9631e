import { gitlabSettingPath, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-branch-force-push',
  description: 'A protected branch allows force push: its history, and so what its pipelines deploy with protected variables, can be rewritten.',
  async run(ctx) {
    const branches = await ctx.facts.protectedBranches();
    if (!branches) return;
    const project = await ctx.facts.project();
    for (const b of branches) {
      if (!b.allowForcePush) continue;
      const main = b.name === project.defaultBranch || ctx.isProduction(b.name);
      ctx.report({
        severity: main ? 'high' : 'medium',
        environment: main ? 'production' : 'ci',
        file: gitlabSettingPath(ctx.facts, 'protected_branches', b.name),
        message: `protected branch ${b.name === project.defaultBranch ? `${b.name} (the default branch)` : `rule "${b.name}"`} allows force push: whoever may push can replace reviewed commits, and the pipeline of a protected branch gets the protected variables; turn "Allowed to force push" off`,
        what: `force-push:${b.name}`,
      });
    }
  },
};
