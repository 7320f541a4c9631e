import { UserError } from '../errors.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { compileRule, RuleError, type CompiledRule } from './compiledRule.js';
import { checkRegexSafetyCached } from './regexSafety.js';
import { Scanner } from './scanner.js';

/** Where the rule's documentation ships: the README is in the package (node_modules/keyfence/README.md). */
const CUSTOM_RULES_DOCS = 'the rule fields are in README.md, "Custom rules" (node_modules/keyfence/README.md)';

/** A custom rule from keyfence.yml, with where it and (when known) each of its fields sit. */
export interface CustomRule {
  spec: RuleSpec;
  origin: string;
  /** `file:line:col` of each field the config gave (`regex`, `examples.match[0]`). */
  fields?: Record<string, string>;
}

/**
 * Everything a custom rule must pass before it scans anything, in the order a user fixes them: its
 * id does not silently replace a built-in rule (unless `override: true`), it compiles, none of its
 * regexes can backtrack catastrophically (the error names the regex's own line and column), and
 * its own examples behave: each `match` example is found, no `noMatch` example is.
 */
export async function checkCustomRule(rule: CustomRule, builtinIds: ReadonlySet<string>): Promise<CompiledRule> {
  const { spec, origin } = rule;
  const at = (field: string) => rule.fields?.[field] ?? origin;
  if (spec && builtinIds.has(spec.id) && spec.override !== true)
    throw new UserError(`${at('id')}: rule ${spec.id}: keyfence has a built-in rule with this id`, `give the rule another id, or add \`override: true\` to replace the built-in rule; ${CUSTOM_RULES_DOCS}`);
  let compiled: CompiledRule;
  try {
    compiled = compileRule(spec, origin);
  } catch (error) {
    if (error instanceof RuleError) throw new UserError(error.message, CUSTOM_RULES_DOCS);
    throw error;
  }
  const patterns = [
    ['regex', spec.regex, spec.flags ?? ''],
    ['path', spec.path, 'i'],
    ...(spec.allow ?? []).map((a, i) => [`allow[${i}]`, a, ''] as const),
    ...(spec.allowLine ?? []).map((a, i) => [`allowLine[${i}]`, a, 'i'] as const),
    ...(spec.allowUnlessAfter ? [['allowUnlessAfter.secret', spec.allowUnlessAfter.secret, spec.flags ?? ''] as const, ['allowUnlessAfter.after', spec.allowUnlessAfter.after, spec.flags ?? ''] as const] : []),
    ...(spec.requires ? [['requires.after', spec.requires.after, 'm'] as const, ['requires.until', spec.requires.until, 'm'] as const] : []),
  ] as const;
  for (const [field, source, flags] of patterns) {
    if (typeof source !== 'string') continue;
    const verdict = await checkRegexSafetyCached(source, flags.replace(/[^imsu]/g, ''));
    if (verdict.status === 'vulnerable')
      throw new UserError(
        `${at(field)}: rule ${spec.id}: \`${field}\` can backtrack catastrophically (${verdict.complexity ?? 'super-linear'} time, e.g. on "${verdict.attack ?? '?'}")`,
        `bound the repetition (e.g. {0,40} instead of *), and avoid nested or overlapping quantifiers; ${CUSTOM_RULES_DOCS}`,
      );
  }
  checkExamples(rule, compiled, at);
  return compiled;
}

/** `{{rand:CHARSET:N}}` in an example, as README.md shows: N characters of a fixed, seeded sequence. */
const RAND = /\{\{rand:([a-zA-Z0-9]+):(\d+)\}\}/g;
/** The character sets of `{{rand:CHARSET:N}}`, shared with the test suite's own templates. */
export const CHARSETS: Readonly<Record<string, string>> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  lowernum: 'abcdefghijklmnopqrstuvwxyz0123456789',
  uppernum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};

/** The example's text; undefined when it uses a template only the test suite expands. */
function expand(text: string, seed: number): string | undefined {
  let state = seed || 1;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const out = text.replace(RAND, (whole, set: string, n: string) => {
    const chars = CHARSETS[set];
    if (!chars) return whole;
    let s = '';
    for (let i = 0; i < Number(n); i++) s += chars[Math.floor(next() * chars.length)];
    return s;
  });
  return out.includes('{{') ? undefined : out;
}

function checkExamples(rule: CustomRule, compiled: CompiledRule, at: (field: string) => string): void {
  const examples = rule.spec.examples;
  if (!examples) return;
  const scanner = new Scanner([compiled]);
  const environment = rule.spec.environments?.[0] ?? 'unknown';
  const run = (kind: 'match' | 'noMatch') => {
    const list = examples[kind];
    if (list !== undefined && !Array.isArray(list)) throw new UserError(`${at('examples')}: rule ${rule.spec.id}: \`examples.${kind}\` must be a list`, CUSTOM_RULES_DOCS);
    (list ?? []).forEach((example, n) => {
      const raw = typeof example === 'string' ? { text: example } : example;
      const text = typeof raw?.text === 'string' ? expand(raw.text, n + 1) : undefined;
      if (text === undefined) return;
      const found = scanner.scan({ file: raw.file ?? 'example.txt', text }, environment).filter((f) => f.ruleId === rule.spec.id);
      const where = at(`examples.${kind}[${n}]`);
      if (kind === 'match' && found.length === 0)
        throw new UserError(`${where}: rule ${rule.spec.id}: its match example ${n + 1} finds nothing`, `fix the regex or the example (keywords, entropy and allow lists apply too); ${CUSTOM_RULES_DOCS}`);
      if (kind === 'noMatch' && found.length > 0)
        throw new UserError(`${where}: rule ${rule.spec.id}: its noMatch example ${n + 1} is found (at column ${found[0]!.column})`, `fix the regex or the example; ${CUSTOM_RULES_DOCS}`);
    });
  };
  run('match');
  run('noMatch');
}
