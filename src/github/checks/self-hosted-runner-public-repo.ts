import { orgSettingPath, settingPath, type SettingsCheck } from '../check.js';

export const check: SettingsCheck = {
  id: 'self-hosted-runner-public-repo',
  description: 'Self-hosted runners serve a public repository, where fork pull requests can run code on them.',
  async run(ctx) {
    if (!(await ctx.facts.isPublic())) return;
    const runners = (await ctx.facts.repositoryRunners()) ?? [];
    if (runners.length > 0) {
      const names = runners.slice(0, 3).map((r) => `"${r.name}"`).join(', ') + (runners.length > 3 ? ` and ${runners.length - 3} more` : '');
      ctx.report({
        severity: 'high',
        environment: 'ci',
        file: settingPath(ctx.facts, 'runners'),
        message: `public repository ${ctx.facts.fullName} has ${runners.length} self-hosted runner${runners.length === 1 ? '' : 's'} (${names}): a fork pull request can run code on them and persist there between jobs; use GitHub-hosted or ephemeral, isolated runners`,
        what: 'repository-runners',
      });
    }
    if (!(await ctx.facts.isOrganization())) return;
    for (const group of (await ctx.facts.organizationRunnerGroups()) ?? []) {
      if (!group.allows_public_repositories || group.visibility !== 'all') continue;
      const inGroup = await ctx.facts.runnerGroupRunners(group);
      if (!inGroup || inGroup.length === 0) continue;
      ctx.report({
        severity: 'high',
        environment: 'ci',
        file: orgSettingPath(ctx.facts, 'runner-groups', group.name),
        message: `runner group "${group.name}" of ${ctx.facts.owner} (${inGroup.length} self-hosted runner${inGroup.length === 1 ? '' : 's'}) serves all repositories, public ones included: a fork pull request to ${ctx.facts.fullName} can run code on them; turn "Allow public repositories" off for the group`,
        what: `runner-group:${group.name}`,
      });
    }
  },
};
