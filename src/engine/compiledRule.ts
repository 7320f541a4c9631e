import { CATEGORIES, ENVIRONMENTS, SEVERITIES, type Environment } from '../findings/finding.js';
import type { RuleSpec } from './ruleSpec.js';
import { VALIDATORS, type Validator } from './validators/index.js';

/** A rule ready to run: regexes built once, validator resolved. */
export interface CompiledRule {
  spec: RuleSpec;
  id: string;
  regex: RegExp;
  secretGroup: number;
  keywords: string[];
  allow: RegExp[];
  allowLine: RegExp[];
  validator?: Validator;
  environments?: ReadonlySet<Environment>;
}

/** A rule that cannot be used; `where` names the file (and rule) at fault. */
export class RuleError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
  }
}

const ALLOWED_FLAGS = /^[imsu]*$/;

function buildRegex(source: string, flags: string, where: string, field: string): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new RuleError(where, `${field} is not a valid regular expression: ${(error as Error).message}`);
  }
}

/** Validates a rule (built-in or from keyfence.yml) and compiles it; errors name `origin` and the rule. */
export function compileRule(spec: RuleSpec, origin: string): CompiledRule {
  const where = `${origin} (rule ${spec?.id ?? '?'})`;
  if (!spec || typeof spec !== 'object') throw new RuleError(origin, 'a rule must be a mapping');
  if (typeof spec.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(spec.id))
    throw new RuleError(where, '`id` must be kebab-case (a-z, 0-9, -)');
  if (typeof spec.description !== 'string' || !spec.description) throw new RuleError(where, '`description` is required');
  if (!CATEGORIES.includes(spec.category)) throw new RuleError(where, `\`category\` must be one of ${CATEGORIES.join(', ')}`);
  if (!SEVERITIES.includes(spec.severity)) throw new RuleError(where, `\`severity\` must be one of ${SEVERITIES.join(', ')}`);
  if (typeof spec.regex !== 'string' || !spec.regex) throw new RuleError(where, '`regex` is required');
  if (!Array.isArray(spec.keywords) || spec.keywords.some((k) => typeof k !== 'string' || !k))
    throw new RuleError(where, '`keywords` must be a list of non-empty strings');
  const flags = spec.flags ?? '';
  if (!ALLOWED_FLAGS.test(flags)) throw new RuleError(where, '`flags` may only hold i, m, s and u');
  const regex = buildRegex(spec.regex, `gd${flags}`, where, '`regex`');
  const groups = new RegExp(`${spec.regex}|`, flags.replace('g', '')).exec('')!.length - 1;
  const secretGroup = spec.secretGroup ?? (groups > 0 ? 1 : 0);
  if (!Number.isInteger(secretGroup) || secretGroup < 0 || secretGroup > groups)
    throw new RuleError(where, `\`secretGroup\` ${secretGroup} does not exist: the regex has ${groups} group(s)`);
  if (spec.validator !== undefined && !VALIDATORS[spec.validator])
    throw new RuleError(where, `unknown \`validator\` "${spec.validator}"; known: ${Object.keys(VALIDATORS).join(', ')}`);
  if (spec.environments?.some((e) => !ENVIRONMENTS.includes(e)))
    throw new RuleError(where, `\`environments\` may only hold ${ENVIRONMENTS.join(', ')}`);
  return {
    spec,
    id: spec.id,
    regex,
    secretGroup,
    keywords: spec.keywords.map((k) => k.toLowerCase()),
    allow: (spec.allow ?? []).map((a) => buildRegex(a, flags.includes('i') ? 'i' : '', where, '`allow`')),
    allowLine: (spec.allowLine ?? []).map((a) => buildRegex(a, 'i', where, '`allowLine`')),
    validator: spec.validator ? VALIDATORS[spec.validator] : undefined,
    environments: spec.environments ? new Set(spec.environments) : undefined,
  };
}
