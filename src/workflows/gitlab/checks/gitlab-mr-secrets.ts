/**
 * gitlab-mr-secrets: a job that merge-request pipelines can run, and that deploys (a production
 * environment, a deploy command) or reads credential variables. A merge-request pipeline runs the
 * merge request's code: for a branch of the project, and for a fork's merge request that a member
 * runs in the parent project, every unprotected CI/CD variable is in the job's environment.
 */
import { jobWhere, mrWhy, type GitlabCheck } from '../check.js';
import { isProductionName } from '../facts.js';
import { quoteList } from '../../check.js';

export const gitlabMrSecrets: GitlabCheck = {
  id: 'gitlab-mr-secrets',
  category: 'workflow',
  description: 'A job that merge-request pipelines can run deploys to production or reads credential variables, so the merge request\'s code runs with them.',
  run({ model, facts, report }) {
    for (const job of model.jobs) {
      if (!job.mr.can || job.trigger) continue;
      const f = facts(job);
      const related = job.mr.because ? [{ at: job.mr.because.at, label: 'lets merge requests in' }] : [];
      const where = jobWhere(model, job);
      if (f.deploy) {
        report({
          severity: 'high',
          message: `${where} ${mrWhy(job)} and deploys (${f.deploy.label}): the merge request's code runs with the deployment's credentials. Run deploy jobs only on protected branches (\`rules: - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\`) and protect the environment.`,
          at: f.deploy.at,
          related,
          what: `${model.main.file}/${job.id}/deploy`,
        });
        continue;
      }
      if (f.credentials.size === 0) continue;
      const names = [...f.credentials.keys()];
      const prod = names.filter(isProductionName);
      const first = f.credentials.get(prod[0] ?? names[0]!)!;
      report({
        severity: prod.length > 0 ? 'high' : 'medium',
        message: `${where} ${mrWhy(job)} and reads ${quoteList(names)}: unless those variables are protected, the merge request's code can read them. Protect them (they then reach only protected branches and tags), or keep the job out of merge-request pipelines.`,
        at: first,
        related,
        what: `${model.main.file}/${job.id}/credentials`,
      });
    }
  },
};
