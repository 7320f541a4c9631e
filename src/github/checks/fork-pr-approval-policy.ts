import { settingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'fork-pr-approval-policy',
  description: 'A public repository runs workflows of fork pull requests from some outside contributors without approval.',
  async run(ctx) {
    if (!(await ctx.facts.isPublic())) return;
    const policy = (await ctx.facts.forkPrApproval())?.approval_policy;
    if (policy === undefined || policy === 'all_external_contributors') return;
    const who = policy === 'first_time_contributors_new_to_github' ? 'only for accounts new to GitHub' : 'only for first-time contributors';
    ctx.report({
      severity: policy === 'first_time_contributors_new_to_github' ? 'medium' : 'low',
      environment: 'ci',
      file: settingPath(ctx.facts, 'settings', 'actions', 'fork-pr-approval'),
      message: `workflows of fork pull requests need approval ${who} (policy "${policy}"): anyone with one merged typo fix can run code in your workflows; require approval for all external contributors`,
      what: `approval_policy:${policy}`,
    });
  },
};
