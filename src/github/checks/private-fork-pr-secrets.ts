import { settingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'private-fork-pr-secrets',
  description: 'A private repository sends secrets or a write token to workflows of fork pull requests.',
  async run(ctx) {
    if (await ctx.facts.isPublic()) return;
    const s = await ctx.facts.privateForkPrSettings();
    if (!s?.run_workflows_from_fork_pull_requests) return;
    const file = settingPath(ctx.facts, 'settings', 'actions', 'fork-pr-workflows');
    const approval = s.require_approval_for_fork_pr_workflows ? ' (after approval)' : ', without approval,';
    if (s.send_secrets_and_variables)
      ctx.report({
        severity: 'high',
        environment: 'ci',
        file,
        message: `workflows of fork pull requests are sent the repository's secrets and variables${approval} while running the fork's code: anyone with read access can fork and read them; turn "Send secrets and variables to workflows from fork pull requests" off`,
        what: 'send_secrets_and_variables:true',
      });
    if (s.send_write_tokens_to_workflows)
      ctx.report({
        severity: 'high',
        environment: 'ci',
        file,
        message: `workflows of fork pull requests get a GITHUB_TOKEN with write access${approval} while running the fork's code; turn "Send write tokens to workflows from fork pull requests" off`,
        what: 'send_write_tokens_to_workflows:true',
      });
  },
};
