/**
 * gitlab-mutable-image: a deploy job's `image:` named by a tag. A tag can be pushed again: the next
 * deployment runs whatever the image's publisher (or whoever took over the tag) put there, with the
 * deployment's credentials. Advice: pin deploy images by digest.
 */
import { jobWhere, type GitlabCheck } from '../check.js';

export const gitlabMutableImage: GitlabCheck = {
  id: 'gitlab-mutable-image',
  category: 'workflow',
  description: 'A deploy job runs in an image named by a mutable tag rather than a digest.',
  run({ model, facts, report }) {
    for (const job of model.jobs) {
      if (job.hidden || !job.image) continue;
      const deploy = facts(job).deploy;
      if (!deploy || /@sha256:[0-9a-f]{64}$/i.test(job.image.text.trim())) continue;
      const name = job.image.text.trim();
      // Variables in the name are decided elsewhere; only a literal name is judged.
      if (name.includes('$')) continue;
      report({
        severity: 'low',
        message: `${jobWhere(model, job)} deploys (${deploy.label}) in \`image: ${name}\`, a tag that can be pushed again: the next deployment runs whatever the tag then holds, with the deployment's credentials. Pin it by digest: \`${name.replace(/:[^/:@]+$/, '')}@sha256:…\`.`,
        at: job.image.at,
        related: [{ at: deploy.at, label: 'deploys' }],
        what: `${job.id}/image/${name}`,
      });
    }
  },
};
