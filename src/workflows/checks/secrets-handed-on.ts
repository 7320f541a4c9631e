/**
 * secrets-handed-on: secrets passed wholesale or to code an outsider can start: `secrets: inherit`
 * or explicit secrets given to a reusable workflow from an untrusted trigger, `toJSON(secrets)`,
 * and `secrets[<computed>]`, which make the runner load every secret of the repository; and on any
 * trigger, `secrets: inherit` to a reusable workflow of another repository not pinned to a commit.
 */
import { PRIVILEGED_UNTRUSTED, describeGuard, triggersIn, weakest } from '../analysis.js';
import { quoteList, triggerRelated, triggeredJob, type WorkflowCheck } from '../check.js';
import { secretUses } from '../expressions.js';

/**
 * A reusable workflow of another repository referenced by a branch, tag or nothing: its owner (or
 * whoever takes over their account) decides what runs. Null for local and SHA-pinned workflows.
 */
function movableRemoteWorkflow(uses: string): { name: string; ref: string } | null {
  const m = /^([^./$][^/]*\/[^/]+\/\.github\/workflows\/[^@]+)(?:@(.*))?$/.exec(uses.trim());
  if (!m) return null;
  const ref = m[2] ?? '';
  return /^[0-9a-f]{40}$/i.test(ref) ? null : { name: m[1]!, ref };
}

export const secretsHandedOn: WorkflowCheck = {
  id: 'secrets-handed-on',
  category: 'workflow',
  followsCallers: true,
  description: 'Secrets passed to a reusable workflow from an untrusted trigger, secrets: inherit to an unpinned workflow of another repository, or all secrets exposed via toJSON(secrets) or secrets[...].',
  run({ model, analysis, report }) {
    // Workflow-level env: every job gets it.
    const anyOpen = model.jobs.some((j) => {
      const w = weakest(triggersIn(analysis.facts(j), PRIVILEGED_UNTRUSTED));
      return w && !w.guard.fork && !w.guard.merged;
    });
    for (const e of model.env) {
      for (const occ of e.value?.exprs ?? []) {
        if (!occ.parsed.ast || !secretUses(occ.parsed.ast).some((u) => u.kind !== 'named')) continue;
        const expr = `\${{${occ.part.text}}}`.replace(/\s+/g, ' ');
        report({
          severity: anyOpen ? 'high' : 'medium',
          message: `\`${expr}\` in the workflow's \`env:\` puts every secret of the repository in the environment of every step of every job; name the secrets each step needs instead.`,
          span: occ.span,
          what: `(workflow)/env/${e.name}`,
        });
      }
    }
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const untrusted = weakest(triggersIn(facts, PRIVILEGED_UNTRUSTED));
      const open = untrusted && !untrusted.guard.fork && !untrusted.guard.merged ? untrusted : undefined;

      if (job.uses && job.secrets && open) {
        const guarded = open.guard.author || open.guard.label || open.guard.actor;
        const names = job.secrets.entries.map((e) => e.name);
        const what = job.secrets.inherit ? 'every secret of the repository (`secrets: inherit`)' : `secrets ${quoteList(names)}`;
        if (job.secrets.inherit || names.length > 0) {
          report({
            severity: guarded ? 'low' : 'high',
            message: `${triggeredJob(open.trigger, job)} hands ${what} to the reusable workflow \`${job.uses.value.trim()}\`, which an outsider can start${guarded ? ` (behind ${describeGuard(open.guard)})` : ''}. Pass only the secrets it needs, and only from a trusted trigger or behind \`github.event.pull_request.head.repo.full_name == github.repository\`.`,
            span: job.secrets.keyNode.span,
            related: [triggerRelated(open.trigger)],
            what: `${job.id}/secrets/${job.secrets.inherit ? 'inherit' : names.join(',')}`,
          });
        }
      }

      // Trusted triggers too: `inherit` hands every secret to code another repository's owner can change.
      const remote = job.uses && job.secrets?.inherit && !open ? movableRemoteWorkflow(job.uses.value) : null;
      if (remote && job.secrets) {
        const by = remote.ref ? `\`@${remote.ref}\`, which can move` : 'no ref at all';
        report({
          severity: 'medium',
          message: `job \`${job.id}\` hands every secret of the repository (\`secrets: inherit\`) to \`${remote.name}\`, a reusable workflow in another repository referenced by ${by}; whoever can push there receives all of them, not just the ones it needs. Pass only the secrets it needs by name, and pin the full commit SHA.`,
          span: job.secrets.keyNode.span,
          what: `${job.id}/secrets/inherit-remote`,
        });
      }

      const seen = new Set<string>();
      for (const occ of facts.broadSecrets) {
        if (!occ.parsed.ast) continue;
        if (!job.strings.includes(occ.str)) continue;
        // The step is part of the identity: two steps with the same expression are two findings.
        const step = job.steps.find((st) => st.strings.includes(occ.str));
        const uses = secretUses(occ.parsed.ast).filter((u) => u.kind !== 'named');
        for (const u of uses) {
          const key = `${occ.span.start}:${u.kind}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const expr = `\${{${occ.part.text}}}`.replace(/\s+/g, ' ');
          const whole = u.kind === 'whole';
          report({
            severity: open && !(open.guard.author || open.guard.label || open.guard.actor) ? 'high' : 'medium',
            message: whole
              ? `\`${expr}\` in job \`${job.id}\` exposes every secret of the repository to this step${open ? `, in a job \`${open.trigger.name}\` lets outsiders start` : ''}; name the secrets the step needs instead.`
              : `\`${expr}\` in job \`${job.id}\` reads a secret by a computed name, so the runner receives every secret of the repository${open ? `, in a job \`${open.trigger.name}\` lets outsiders start` : ''}; name the secrets explicitly (e.g. one step per environment).`,
            span: occ.span,
            related: open ? [triggerRelated(open.trigger)] : undefined,
            what: `${job.id}/${step ? step.key : '(job)'}/${whole ? 'all-secrets' : 'computed-secret'}/${occ.part.text.trim()}`,
          });
        }
      }
    }
  },
};
