import { REPOSITORY_URL } from '../repository.js';

/**
 * Where each rule's documentation lives. Secret rules are documented per rule file
 * (`rules/<file>.yml` -> `docs/rules/<file>.md#<rule-id>`), workflow checks one page each
 * (`docs/workflows/<check-id>.md`); a test fails when one is missing. Custom rules from a user's
 * keyfence.yml have no page.
 */
export const DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/`;

/** The project's home, for SARIF's `informationUri`. */
export const HOMEPAGE_URL = REPOSITORY_URL;

/** The doc page of a built-in secret rule, from the rule file it came from (`rules/stripe.yml`). */
export function secretRuleDocUrl(origin: string, ruleId: string): string | undefined {
  const m = /^rules\/([^/]+)\.ya?ml$/.exec(origin);
  return m ? `${DOCS_BASE_URL}docs/rules/${m[1]}.md#${ruleId}` : undefined;
}

export function workflowCheckDocUrl(checkId: string): string {
  // GitLab CI checks (`gitlab-…`) have their own folder.
  return `${DOCS_BASE_URL}docs/workflows/${checkId.startsWith('gitlab-') ? 'gitlab/' : ''}${checkId}.md`;
}

/** How a user silences a finding, for help texts. A path rule's file (a binary key store) holds no comment. */
export function suppressionHelp(ruleId: string, kind: 'secret' | 'workflow' | 'path' | 'policy'): string {
  switch (kind) {
    case 'path':
      return `To silence a false alarm, add an \`allow:\` entry to keyfence.yml with \`rules: [${ruleId}]\`, the file's path in \`paths:\` and the reason, or record it in a baseline with \`keyfence baseline --output .keyfence-baseline.json\` and scan with \`--baseline .keyfence-baseline.json\`. A real key must be revoked first: removing the file does not remove it from history.`;
    case 'workflow':
      return `To accept a finding, add \`# keyfence: ignore[${ruleId}] why this is safe\` on its line or the comment line above it (the reason is required), or record it in a baseline: \`keyfence baseline --output .keyfence-baseline.json\` and scan with \`--baseline .keyfence-baseline.json\`.`;
    case 'policy':
      return 'Review the change to the policy as a change to access control: merged, it stops keyfence from reporting what it names. It is judged by the base branch\'s policy, so only an `allow:` entry there can silence it.';
    default:
      return `To silence a false alarm, add \`keyfence:allow[${ruleId}] reason\` in a comment on its line (or \`keyfence-ignore-next-line[${ruleId}]\` on the line above), add an \`allow:\` entry to keyfence.yml, or record it in a baseline with \`keyfence baseline --output .keyfence-baseline.json\` and scan with \`--baseline .keyfence-baseline.json\`. A real secret must be rotated first: removing it from the file does not remove it from history.`;
  }
}
