import { isCredentialName } from '../../workflows/gitlab/facts.js';
import { gitlabSettingPath, type GitLabSettingsCheck } from '../check.js';

export const check: GitLabSettingsCheck = {
  id: 'gitlab-fork-pipelines-in-parent',
  description: "Pipelines of fork merge requests may run in the project itself, with every unprotected CI/CD variable, once a member starts them.",
  async run(ctx) {
    const project = await ctx.facts.project();
    if (project.forkPipelinesInParent !== true) return;
    const exposed = (await ctx.facts.variables()).filter((v) => !v.protected && isCredentialName(v.key));
    const names = [...new Set(exposed.map((v) => v.key))].sort();
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    ctx.report({
      severity: exposed.length > 0 ? 'high' : 'medium',
      environment: 'ci',
      file: gitlabSettingPath(ctx.facts, 'settings', 'ci_cd', 'fork-pipelines'),
      message: `fork merge requests may run pipelines in this project (ci_allow_fork_pipelines_to_run_in_parent_project is on): when a member starts one, the fork's code and its .gitlab-ci.yml run on this project's runners${exposed.length > 0 ? ` with its unprotected credential variables (${shown})` : ' with its unprotected variables'}; turn the setting off, or protect every credential variable and review fork code before running its pipeline`,
      what: `fork-pipelines:${exposed.length > 0}`,
    });
  },
};
