/**
 * Credentials for each verifier, made at test time from the rule pack's own examples (templates
 * expanded with a seeded generator, then scanned by the real engine), so no token-shaped string is
 * committed and each credential is one the rule really finds.
 */
import { compileRule } from '../../src/engine/compiledRule.js';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { Scanner } from '../../src/engine/scanner.js';
import type { Finding } from '../../src/findings/finding.js';
import type { Candidate, Verifier } from '../../src/verification/verifier.js';
import { expandTemplates, seededRandom } from '../support/fakeSecrets.js';

const sourced = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname);
const scanner = new Scanner(sourced.map(({ spec, origin }) => compileRule(spec, origin)));

export const RULE_IDS = new Set(sourced.map(({ spec }) => spec.id));

/** A rule's `match` examples, expanded (with `seed`). */
export function exampleTexts(ruleId: string, seed = 'verify'): Array<{ text: string; file: string }> {
  const rule = sourced.find(({ spec }) => spec.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return rule.spec.examples.match.map((example, i) => {
    const { text, file } = typeof example === 'string' ? { text: example, file: undefined } : example;
    return { text: expandTemplates(text, seededRandom(`${seed}:${ruleId}:${i}`)).text, file: file ?? 'config/settings.env' };
  });
}

/** The candidate a finding makes among the findings of its text (as the verification stage builds it). */
function candidateOf(f: Finding, all: Finding[]): Candidate {
  const nearby = all.filter((o) => o !== f && o.secret).map((o) => ({ ruleId: o.ruleId, secret: o.secret }));
  return { ruleId: f.ruleId, secret: f.secret, lineText: f.lineText ?? '', nearby };
}

/** The first credential the verifier can check from its rules' examples, with the text that holds it. */
export function credentialFor(verifier: Verifier, seed = 'verify'): { credential: string; text: string; ruleId: string } {
  for (const ruleId of verifier.rules) {
    for (const { text, file } of exampleTexts(ruleId, seed)) {
      const findings = scanner.scan({ file, text }, 'production');
      for (const f of findings.filter((x) => x.ruleId === ruleId)) {
        const credential = verifier.credential ? verifier.credential(candidateOf(f, findings)) : f.secret;
        if (credential) return { credential, text, ruleId };
      }
    }
  }
  throw new Error(`no example of ${verifier.rules.join(', ')} gives ${verifier.id} a credential`);
}
