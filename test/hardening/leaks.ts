/**
 * What "a secret escaped" means, for the hardening tests: the value, or the middle third of it, in
 * any output, raw or in the escaped forms the report formats use (JSON, workflow commands, markdown
 * cells). The redacted form a report may show (a provider prefix and the last four characters)
 * never holds the middle of a value, so the middle third is what must never show.
 */
import { fileURLToPath } from 'node:url';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import type { RuleExamples } from '../../src/rules/ruleSpec.js';
import { escapeData, escapeProperty } from '../../src/reporters/github.js';
import { expandTemplates, type Random } from '../support/fakeSecrets.js';

/**
 * Categories whose matched value is a credential. `prod-host` matches a host name and `echo-leak`
 * a variable name or a command (`$NPM_TOKEN`, `printenv`): they are redacted all the same, but
 * their messages may name the same words, so only the full value is checked for them.
 */
const CREDENTIAL_CATEGORIES = new Set(['live-key', 'generic-secret', 'fixture', 'env-crossover']);

const middle = (s: string) => s.slice(Math.floor(s.length / 3), Math.ceil((2 * s.length) / 3));
const alnum = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');

/** The forms a value takes in the formats: raw, JSON-escaped, workflow-command-escaped, in a markdown cell. */
function forms(s: string): string[] {
  return [s, JSON.stringify(s).slice(1, -1), escapeData(s), escapeProperty(s), s.replace(/\|/g, '\\|'), s.replace(/\r\n|\r|\n/g, ' ')];
}

/** Outputs to search, prepared once: each output and its letters and digits alone. */
export class Outputs {
  private readonly items: Array<{ name: string; text: string; flat: string }> = [];

  add(name: string, text: string | undefined): this {
    if (text) this.items.push({ name, text, flat: alnum(text) });
    return this;
  }

  get names(): string[] {
    return this.items.map((i) => i.name);
  }

  /** Where `secret` escaped (`"json: full"`, `"sarif: middle"`), or undefined. */
  leakOf(secret: string, { middleToo = true } = {}): string | undefined {
    const flat = alnum(secret);
    const mid = middle(secret);
    for (const { name, text, flat: flatText } of this.items) {
      if (forms(secret).some((f) => text.includes(f))) return `${name}: the whole value`;
      // Whatever the escaping, the letters and digits of a long value stay in order.
      if (flat.length >= 16 && flatText.includes(flat)) return `${name}: the whole value, escaped`;
      if (middleToo && mid.length >= 6 && forms(mid).some((f) => text.includes(f))) return `${name}: its middle "${mid}"`;
    }
    return undefined;
  }

  /** Every value of `findings` that escaped, as readable lines (empty when none did). */
  leaksOf(findings: ReadonlyArray<{ ruleId: string; category: string; secret: string }>): string[] {
    const out = new Set<string>();
    for (const f of findings) {
      if (!f.secret || f.secret.length < 8) continue;
      // A production host is shown in full (docs/cli.md, Redaction): a hostname is not a secret,
      // and the one to fix must be found. A password beside it is a finding of its own.
      if (!CREDENTIAL_CATEGORIES.has(f.category)) continue;
      const leak = this.leakOf(f.secret);
      if (leak) out.add(`${f.ruleId} (${f.category}) ${JSON.stringify(f.secret)} -> ${leak}`);
    }
    return [...out];
  }
}

/** A built-in rule with its `match:` examples. */
export interface RuleWithExamples {
  id: string;
  category: string;
  origin: string;
  match: RuleExamples['match'];
}

export function builtinRulesWithExamples(): RuleWithExamples[] {
  const dir = fileURLToPath(new URL('../../rules', import.meta.url));
  return loadRuleDirectory(dir)
    .filter(({ spec }) => (spec.examples?.match?.length ?? 0) > 0)
    .map(({ spec, origin }) => ({ id: spec.id, category: spec.category, origin, match: spec.examples.match }));
}

/** One `match:` example of a rule, expanded with `random`: its text, its file and the value it plants. */
export function expandExample(rule: RuleWithExamples, pick: number, random: Random): { text: string; file: string; planted?: string } {
  const example = rule.match[pick % rule.match.length]!;
  const raw = typeof example === 'string' ? { text: example } : example;
  const { text, first } = expandTemplates(raw.text, random);
  const planted = typeof example !== 'string' && example.secret !== undefined ? expandTemplates(example.secret, random, first).text : first;
  return { text, file: raw.file ?? 'example.txt', ...(planted ? { planted } : {}) };
}
