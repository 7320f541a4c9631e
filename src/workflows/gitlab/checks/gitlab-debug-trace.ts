/**
 * gitlab-debug-trace: `CI_DEBUG_TRACE` or `CI_DEBUG_SERVICES` set to true in the pipeline file.
 * Debug logging prints every variable available to the job, credentials included, to a job log
 * that everyone who can see the pipeline can read.
 */
import type { GitlabCheck } from '../check.js';
import type { GVariable } from '../model.js';

const DEBUG = new Set(['CI_DEBUG_TRACE', 'CI_DEBUG_SERVICES']);

export const gitlabDebugTrace: GitlabCheck = {
  id: 'gitlab-debug-trace',
  category: 'echo-leak',
  description: 'CI_DEBUG_TRACE or CI_DEBUG_SERVICES is set to true in the pipeline file, which prints every variable to the job log.',
  run({ model, report }) {
    // A template's variable reaches every job that extends it: one finding, where it is written.
    const seen = new Set<string>();
    const visit = (v: GVariable, where: string): void => {
      if (!DEBUG.has(v.name) || !v.value || !/^(true|1)$/i.test(v.value.text.trim())) return;
      const k = `${v.key.at.src.file}:${v.key.at.span.start}`;
      if (seen.has(k)) return;
      seen.add(k);
      const reach = v.where === 'trigger' ? `, passed to the downstream pipeline of ${where}` : v.where === 'global' ? ' for every job' : ` in ${where}`;
      report({
        severity: 'high',
        message: `\`${v.name}: true\`${reach} turns on debug logging: the job log shows the value of every variable the job has, credentials included. Enable it for one manual run from the UI instead, and delete that log.`,
        at: v.key.at,
        what: `${v.where}/${v.where === 'global' ? '' : where}/${v.name}`,
      });
    };
    for (const v of model.globalVariables) visit(v, 'the pipeline');
    for (const job of model.jobs) if (!job.hidden) for (const v of job.variables) if (v.where !== 'global') visit(v, `job \`${job.id}\``);
  },
};
