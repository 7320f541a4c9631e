/**
 * hardcoded-credentials: a password or token written into the workflow itself: a literal
 * `container.credentials.password` or `services.<id>.credentials.password`, or an `env:` variable
 * named like a credential with a literal value. Everyone who can read the repository (for a public
 * one, everyone) has it, and it lives on in Git history after it is removed.
 */
import type { WorkflowCheck } from '../check.js';
import type { EnvEntry } from '../model.js';
import { asMap, asScalar, get, type YScalar } from '../yamlNodes.js';

const CREDENTIAL_NAME = /(^|_)(PASSWORD|PASSWD|PASS|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CLIENT_?SECRET|AUTH)(_|$)/i;
/** Values that are test fixtures or placeholders, not credentials anyone could reuse. */
const PLACEHOLDER = /^(true|false|yes|no|none|null|test|testing|password|postgres|mysql|root|admin|example|changeme|dummy|fake|secret|xxx+|\*+|<[^>]*>|\$\w+|\$\{[^}]*\})$/i;

function literal(node: YScalar | null): string | null {
  if (!node || node.value === null || typeof node.value !== 'string') return null;
  const v = node.value.trim();
  if (v === '' || v.includes('${{')) return null;
  return v;
}

export const hardcodedCredentials: WorkflowCheck = {
  id: 'hardcoded-credentials',
  category: 'workflow',
  description: 'A container or service registry password, or a credential-named env variable, is written into the workflow as a literal.',
  run({ model, report }) {
    if (model.kind !== 'workflow') return;
    for (const job of model.jobs) {
      const places: { node: YScalar | null; where: string }[] = [
        { node: asScalar(get(get(get(job.node, 'container'), 'credentials'), 'password')), where: `the container of job \`${job.id}\`` },
        ...(asMap(get(job.node, 'services'))?.pairs ?? []).map((p) => ({
          node: asScalar(get(get(p.value, 'credentials'), 'password')),
          where: `service \`${p.key.text}\` of job \`${job.id}\``,
        })),
      ];
      for (const { node, where } of places) {
        if (!literal(node)) continue;
        report({
          severity: 'high',
          message: `the registry password for ${where} is written into the workflow; anyone who can read the repository can pull (and often push) with it, and it stays in Git history. Store it as a secret and use \`password: \${{ secrets.REGISTRY_PASSWORD }}\`, then rotate the one that was committed.`,
          span: node!.span,
          what: `${job.id}/registry-password/${where}`,
        });
      }
      // Service containers commonly take throwaway database passwords in their env: not reported.
      const envs: { e: EnvEntry; where: string }[] = [
        ...job.env.map((e) => ({ e, where: `job \`${job.id}\`` })),
        ...job.steps.flatMap((s) => s.env.map((e) => ({ e, where: `step \`${s.label}\` of job \`${job.id}\`` }))),
      ];
      if (job === model.jobs[0]) envs.push(...model.env.map((e) => ({ e, where: 'the workflow' })));
      for (const { e, where } of envs) {
        if (!CREDENTIAL_NAME.test(e.name)) continue;
        const v = literal(e.value?.node ?? null);
        // Paths and URLs without a user:password part name where a credential is, not the credential.
        if (!v || v.length < 8 || PLACEHOLDER.test(v) || /^(https?:\/\/[^@\s]*|[./~][^\s]*)$/.test(v)) continue;
        report({
          severity: 'medium',
          message: `\`${e.name}\` in ${where} is set to a literal value; a credential in the workflow is readable by everyone who can read the repository and stays in Git history. Store it as a secret (\`${e.name}: \${{ secrets.${e.name.toUpperCase()} }}\`) and rotate the committed one.`,
          span: e.value!.node.span,
          what: `literal-env/${where}/${e.name}`,
        });
      }
    }
  },
};
