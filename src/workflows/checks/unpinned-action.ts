/**
 * unpinned-action: a third-party action or reusable workflow referenced by a tag or branch, in a job
 * that holds secrets or a write token. Whoever controls that repository (its owner, or whoever takes
 * over the account or a maintainer's token) can move the tag and run code with the job's secrets;
 * only a full commit SHA is immutable. Whether a SHA belongs to the action's own repository (and not
 * to a fork network) needs the network and is not checked.
 */
import { stepWhere, type WorkflowCheck } from '../check.js';
import type { TString } from '../model.js';
import { inReach, narrowReach, secretRelated } from '../reach.js';

/** Owners whose actions GitHub itself publishes and maintains: a tag there is GitHub's to move. */
const FIRST_PARTY = /^(actions|github)\//i;

interface Ref {
  name: string;
  ref: string;
  kind: 'tag' | 'branch' | 'none';
}

function parseUses(uses: string): Ref | null {
  const u = uses.trim();
  if (u.startsWith('./') || u.includes('${{')) return null;
  if (u.startsWith('docker://')) {
    // `docker://image@sha256:…` is pinned; a tag (or none) is not.
    if (/@sha256:[0-9a-f]{64}$/i.test(u)) return null;
    const image = u.slice('docker://'.length);
    const colon = image.lastIndexOf(':');
    const tagged = colon > image.lastIndexOf('/');
    return { name: `docker://${tagged ? image.slice(0, colon) : image}`, ref: tagged ? image.slice(colon + 1) : '', kind: tagged ? 'tag' : 'none' };
  }
  const at = u.lastIndexOf('@');
  const name = at >= 0 ? u.slice(0, at) : u;
  const ref = at >= 0 ? u.slice(at + 1) : '';
  if (FIRST_PARTY.test(name)) return null;
  if (/^[0-9a-f]{40}$/i.test(ref)) return null;
  if (!ref) return { name, ref, kind: 'none' };
  return { name, ref, kind: /^v?\d+(\.\d+)*([-+][\w.]+)?$/.test(ref) ? 'tag' : 'branch' };
}

export const unpinnedAction: WorkflowCheck = {
  id: 'unpinned-action',
  category: 'workflow',
  description: 'A third-party action or reusable workflow is referenced by a tag or branch, not a commit SHA, in a job that holds secrets or a write token.',
  run({ model, analysis, report }) {
    if (model.kind !== 'workflow') return;
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const reach = inReach(facts);
      if (!reach) continue;
      const uses: { str: TString; where: string; key: string }[] = [
        ...(job.uses ? [{ str: job.uses, where: `job \`${job.id}\``, key: 'job' }] : []),
        ...job.steps.flatMap((s) => (s.uses ? [{ str: s.uses, where: stepWhere(job, s), key: s.key }] : [])),
      ];
      for (const u of uses) {
        const r = parseUses(u.str.value);
        if (!r) continue;
        const pinned = r.kind === 'none' ? 'with no ref at all' : r.kind === 'branch' ? `by the branch \`${r.ref}\`` : `by the tag \`${r.ref}\``;
        report({
          severity: narrowReach(facts) ? (r.kind === 'tag' ? 'low' : 'medium') : r.kind === 'tag' ? 'medium' : 'high',
          message: `${u.where} runs \`${r.name}\` ${pinned}, with ${reach} in reach; whoever can push to that ${r.name.startsWith('docker://') ? 'image' : 'repository'} can ${r.kind === 'tag' ? 'move the tag' : 'change the code'} and run it with them. Pin ${r.name.startsWith('docker://') ? 'the image digest (`@sha256:…`)' : `the full commit SHA (\`${r.name}@<40-hex sha> # ${r.ref || 'version'}\`)`} and let Dependabot or Renovate update it.`,
          span: u.str.node.span,
          related: secretRelated(facts),
          what: `${job.id}/${u.key}/${r.name}`,
        });
      }
    }
  },
};
