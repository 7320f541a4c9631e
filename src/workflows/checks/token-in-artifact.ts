/**
 * token-in-artifact: actions/checkout leaves the job's token in `.git/config` (persist-credentials
 * defaults to true), and a later actions/upload-artifact uploads the directory that holds it, hidden
 * files included. Whoever can download the run's artifacts (on a public repository: anyone) gets a
 * token that stays valid until the job ends.
 */
import { stepWhere, type WorkflowCheck } from '../check.js';
import type { Step } from '../model.js';
import { actionName, actionRef, carriesSecret, isFalse, isTrue, normalizeDir, withText, withValue } from '../steps.js';

/**
 * Whether this upload-artifact version uploads hidden files without being asked: before v4.4.0 it
 * did; from v4.4.0 `include-hidden-files` defaults to false. A bare major `v4` (or later) floats
 * to the newest release; a commit SHA cannot be placed without the network, so it counts as new.
 */
function uploadsHiddenByDefault(ref: string): boolean {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(ref);
  if (!m) return false;
  const major = Number(m[1]);
  if (major < 4) return true;
  return major === 4 && m[2] !== undefined && Number(m[2]) < 4;
}

/** Whether an upload path covers the checkout directory (`dir` '' is the workspace root). */
function covers(paths: string[], dir: string): boolean {
  return paths.some((raw) => {
    if (raw.startsWith('!')) return false;
    const p = normalizeDir(raw.replace(/^\$\{\{\s*github\.workspace\s*\}\}/, '').replace(/\/\*\*(\/\*)?$|\/\*$/, ''));
    if (p === '' || p === '.' || p === '*' || p === '**' || p === '**/*') return true;
    // The checkout directory itself or a parent of it.
    return dir !== '' && (dir === p || dir.startsWith(`${p}/`));
  });
}

export const tokenInArtifact: WorkflowCheck = {
  id: 'token-in-artifact',
  category: 'workflow',
  description: 'actions/checkout keeps the token in .git/config and a later upload-artifact uploads that directory with its hidden files.',
  run({ model, analysis, report }) {
    for (const job of model.jobs) {
      const facts = model.kind === 'workflow' ? analysis.facts(job) : undefined;
      const checkouts: { step: Step; dir: string }[] = [];
      for (const step of job.steps) {
        const name = actionName(step);
        if (name === 'actions/checkout') {
          if (!isFalse(withText(step, 'persist-credentials'))) checkouts.push({ step, dir: normalizeDir(withText(step, 'path') ?? '') });
          continue;
        }
        if (name !== 'actions/upload-artifact' || checkouts.length === 0) continue;
        const ref = actionRef(step);
        const hiddenInput = withText(step, 'include-hidden-files');
        const hidden = isTrue(hiddenInput) || (hiddenInput === undefined && uploadsHiddenByDefault(ref));
        if (!hidden) continue;
        const paths = (withText(step, 'path') ?? '').split(/\r?\n/).map((p) => p.trim()).filter(Boolean);
        const checkout = checkouts.find((c) => covers(paths, c.dir));
        if (!checkout) continue;
        const why = isTrue(hiddenInput) ? '`include-hidden-files: true`' : `upload-artifact ${ref}, which uploads hidden files by default (v4.4.0 and later do not)`;
        // A personal access token or app token from secrets outlives the job; the job's own token does not.
        const tokenInput = withValue(checkout.step, 'token');
        const longLived = carriesSecret(tokenInput, undefined, true);
        const pathNode = step.with.get('path')?.value?.node ?? step.uses!.node;
        const token = longLived
          ? `the \`token:\` secret it was given, which stays valid after the run`
          : `the job's ${facts?.tokenMayWrite ? 'write ' : ''}token, valid until the job ends (upload-artifact v4 artifacts can be downloaded while the job still runs)`;
        report({
          severity: longLived ? 'high' : 'medium',
          message: `${stepWhere(job, step)} uploads \`${paths.join(', ')}\` with ${why}, and step \`${checkout.step.label}\` left a token in ${checkout.dir ? `${checkout.dir}/` : ''}.git/config (actions/checkout persists credentials unless \`persist-credentials: false\`); anyone who can download the artifact gets ${token}. Set \`persist-credentials: false\` on the checkout, or upload only the build output.`,
          span: pathNode.span,
          related: [
            { span: checkout.step.uses!.node.span, label: 'keeps the token in .git/config' },
            { span: step.uses!.node.span, label: 'uploads it' },
          ],
          what: `${job.id}/${step.key}/${checkout.step.key}`,
        });
      }
    }
  },
};
