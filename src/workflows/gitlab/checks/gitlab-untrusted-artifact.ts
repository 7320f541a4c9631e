/**
 * gitlab-untrusted-artifact: a job that deploys or reads credentials executes a file from the
 * artifacts of a job that merge-request pipelines run. The artifact is built by the merge
 * request's code: approving the deploy job, or reviewing its script, says nothing about what it runs.
 */
import { jobWhere, type GitlabCheck } from '../check.js';
import { locateIn } from '../facts.js';
import type { GJob, GNeed } from '../model.js';
import { stagesOf } from '../model.js';

const RUNNERS = /^(sh|bash|zsh|source|\.|python[0-9.]*|node|ruby|perl|php)$/;

function clean(p: string): string {
  return p.replace(/^\.\//, '').replace(/\/+$/, '').replace(/\/\*\*?$/, '');
}

export const gitlabUntrustedArtifact: GitlabCheck = {
  id: 'gitlab-untrusted-artifact',
  category: 'workflow',
  description: 'A deploy or credential job executes a file from the artifacts of a job that merge-request pipelines run.',
  run({ model, facts, report }) {
    const byId = new Map(model.jobs.map((j) => [j.id, j]));
    const stages = stagesOf(model);
    for (const job of model.jobs) {
      if (job.hidden || !job.mr.can) continue;
      const f = facts(job);
      if (!f.deploy && f.credentials.size === 0) continue;
      // needs: wins over dependencies:; with neither, every job of an earlier stage.
      let sources: { from: GJob; need?: GNeed }[];
      if (job.node.pairs.some((p) => p.key.text === 'needs')) sources = job.needs.filter((n) => n.artifacts).flatMap((n) => (byId.has(n.job) ? [{ from: byId.get(n.job)!, need: n }] : []));
      else if (job.dependencies) sources = job.dependencies.flatMap((n) => (byId.has(n.job) ? [{ from: byId.get(n.job)!, need: n }] : []));
      else {
        const stage = stages.indexOf(job.stage);
        const earlier = (j: GJob) => !j.hidden && stages.indexOf(j.stage) >= 0 && stages.indexOf(j.stage) < stage;
        sources = model.jobs.filter(earlier).map((from) => ({ from }));
      }
      for (const { from, need } of sources) {
        if (!from.mr.can || from.artifactPaths.length === 0) continue;
        const paths = from.artifactPaths.map((p) => clean(p.text)).filter(Boolean);
        for (const { item, pipeline } of f.pipelines) {
          for (const c of pipeline.commands) {
            const [c0, ...rest] = c.args;
            const target = c0 && RUNNERS.test(c0) ? rest.find((a) => !a.startsWith('-')) : c0;
            if (!target || !/\//.test(target)) continue;
            const file = clean(target);
            const hit = paths.find((p) => p === '.' || file === p || file.startsWith(`${p}/`));
            if (!hit) continue;
            report({
              severity: 'high',
              message: `${jobWhere(model, job)} ${f.deploy ? `deploys (${f.deploy.label})` : 'reads credentials'} and executes \`${target}\` from the artifacts of job \`${from.id}\`, which merge-request pipelines run: the merge request's code decides what this job runs. Build what the deploy job executes in the deploy job itself, from protected-branch code.`,
              at: locateIn(item.str, pipeline.line, target),
              related: [{ at: need?.at ?? from.key.at, label: `artifacts of \`${from.id}\`` }],
              what: `${job.id}/${from.id}/${target}`,
            });
          }
        }
      }
    }
  },
};
