/**
 * gitlab-unpinned-include: configuration pulled from another project, a URL or a component at a
 * version that can change, into a pipeline that holds credentials. Whoever can push to that
 * project or URL changes the jobs that run with this project's variables.
 */
import type { GitlabCheck } from '../check.js';

export const gitlabUnpinnedInclude: GitlabCheck = {
  id: 'gitlab-unpinned-include',
  category: 'workflow',
  description: 'include: remote, project or component not pinned to a commit SHA (or integrity hash) in a pipeline that deploys or reads credentials.',
  run({ model, facts, report }) {
    const holder = model.jobs.find((j) => !j.hidden && (facts(j).deploy || facts(j).credentials.size > 0));
    if (!holder) return;
    const related = [{ at: facts(holder).deploy?.at ?? [...facts(holder).credentials.values()][0]!, label: `job \`${holder.id}\` holds credentials` }];
    for (const inc of model.includes) {
      if (inc.pinned) continue;
      const how =
        inc.kind === 'remote'
          ? `\`include: remote: ${inc.location}\` is fetched anew for every pipeline: whoever controls that URL writes jobs of this pipeline. Add \`integrity: sha256-…\`, or copy the file into the repository`
          : inc.kind === 'project'
            ? `\`include: project: ${inc.location}\` ${inc.ref ? `follows \`ref: ${inc.ref.text}\`, which moves` : 'follows that project\'s default branch'}: whoever can push there writes jobs of this pipeline. Set \`ref:\` to a commit SHA`
            : `\`include: component: ${inc.location}\` names a version that can move: pin the component to a commit SHA (\`@<sha>\`)`;
      report({
        severity: 'medium',
        message: `${how}. This pipeline deploys or reads credentials (job \`${holder.id}\`).`,
        at: inc.ref?.at ?? inc.node.at,
        related,
        what: `${inc.kind}/${inc.location}`,
      });
    }
  },
};
