import { scopeReaches } from '../pipelineUse.js';
import { gitlabSettingPath, type GitLabSettingsCheck } from '../check.js';

/** GitLab's Developer role (30) and below: anyone who can push at all. */
const DEVELOPER = 30;

export const check: GitLabSettingsCheck = {
  id: 'gitlab-default-branch-unprotected',
  description: 'The default branch is not protected, or every developer may push to it: unreviewed code runs with the protected variables.',
  async run(ctx) {
    const branches = await ctx.facts.protectedBranches();
    const project = await ctx.facts.project();
    const main = project.defaultBranch;
    if (!branches || main === undefined) return;
    // A protected branch rule may be a wildcard (`release/*`), matched as environment scopes are.
    const rules = branches.filter((b) => scopeReaches(b.name, main));
    const file = gitlabSettingPath(ctx.facts, 'protected_branches', main);
    if (rules.length === 0) {
      ctx.report({
        severity: 'high',
        environment: 'production',
        file,
        message: `the default branch ${main} is not protected: anyone with the Developer role can push to it without review, and it cannot receive protected variables, so credentials for its pipelines are left unprotected; protect it, with "Allowed to push" set to No one or Maintainers`,
        what: `unprotected:${main}`,
      });
      return;
    }
    const developers = ({ accessLevel: l }: { accessLevel: number | undefined }) => l !== undefined && l > 0 && l <= DEVELOPER;
    const open = rules.filter((b) => b.pushAccessLevels.some(developers));
    if (open.length === 0) return;
    ctx.report({
      severity: 'medium',
      environment: 'production',
      file,
      message: `the default branch ${main} is protected, but Developers may push to it directly (rule "${open[0]!.name}"): code reaches it, and the protected variables, without a merge request; set "Allowed to push" to No one or Maintainers`,
      what: `developers-push:${main}`,
    });
  },
};
