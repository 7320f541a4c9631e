import { CATEGORIES, ENVIRONMENTS, SEVERITIES, type Environment } from '../findings/finding.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { VALIDATORS, type FileValidator, type Validator, type ValidatorEntry } from './validators/index.js';

/** A rule ready to run: regexes built once, validator resolved. */
export interface CompiledRule {
  spec: RuleSpec;
  id: string;
  /** The content regex; for a path rule, one that never matches (its `path` is what it tests). */
  regex: RegExp;
  /** A path rule's test of the file path (rules/README.md, "Path rules"). */
  path?: RegExp;
  secretGroup: number;
  keywords: string[];
  allow: RegExp[];
  allowLine: RegExp[];
  /** A structure check: a match failing it is dropped. */
  validator?: Validator;
  /** A checksum: a match failing it is reported at lower severity (see VALIDATORS). */
  checksum?: Validator;
  /** A path rule's check of the file's bytes: a file failing it is not reported. */
  fileValidator?: FileValidator;
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

/**
 * Validates a rule (built-in or from keyfence.yml) and compiles it; errors name `origin` and the rule.
 * `lazy` defers building the regexes to first use: for the built-in rules, which the test suite has
 * already compiled and run. `groups`, the regex's number of capture groups, saves compiling it a
 * second time to count them (the build counts them for the built-in rules).
 */
export function compileRule(spec: RuleSpec, origin: string, options: { lazy?: boolean; groups?: number } = {}): CompiledRule {
  const where = `${origin} (rule ${spec?.id ?? '?'})`;
  if (!spec || typeof spec !== 'object') throw new RuleError(origin, 'a rule must be a mapping');
  if (typeof spec.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(spec.id))
    throw new RuleError(where, '`id` must be kebab-case (a-z, 0-9, -)');
  if (typeof spec.description !== 'string' || !spec.description) throw new RuleError(where, '`description` is required');
  if (!CATEGORIES.includes(spec.category)) throw new RuleError(where, `\`category\` must be one of ${CATEGORIES.join(', ')}`);
  if (!SEVERITIES.includes(spec.severity)) throw new RuleError(where, `\`severity\` must be one of ${SEVERITIES.join(', ')}`);
  const isPathRule = spec.path !== undefined;
  // Not a built-in rule's regex (lazy): the build checked it, and reading it expands its macros
  // (src/rules/builtinRules.ts), which only the rules a run compiles should pay for.
  if (!options.lazy) {
    if (isPathRule && spec.regex !== undefined) throw new RuleError(where, 'a rule has `regex` (the text) or `path` (the file name), not both');
    if (isPathRule ? typeof spec.path !== 'string' || !spec.path : typeof spec.regex !== 'string' || !spec.regex)
      throw new RuleError(where, isPathRule ? '`path` must be a regular expression' : '`regex` is required (or `path`, for a rule that reports files by name)');
  }
  if (!Array.isArray(spec.keywords) || spec.keywords.some((k) => typeof k !== 'string' || !k))
    throw new RuleError(where, '`keywords` must be a list of non-empty strings');
  const flags = spec.flags ?? '';
  if (!ALLOWED_FLAGS.test(flags)) throw new RuleError(where, '`flags` may only hold i, m, s and u');
  if (spec.validator !== undefined && !Object.hasOwn(VALIDATORS, spec.validator))
    throw new RuleError(where, `unknown \`validator\` "${spec.validator}"; known: ${Object.keys(VALIDATORS).join(', ')}`);
  if (spec.environments?.some((e) => !ENVIRONMENTS.includes(e)))
    throw new RuleError(where, `\`environments\` may only hold ${ENVIRONMENTS.join(', ')}`);
  const validator = spec.validator === undefined ? undefined : VALIDATORS[spec.validator]!;
  if (validator && (validator.kind === 'file') !== isPathRule)
    throw new RuleError(where, `\`validator\` "${spec.validator}" ${isPathRule ? 'checks a value, not a file' : 'checks a file: it needs a path rule'}`);
  const path = isPathRule ? buildRegex(spec.path!, 'i', where, '`path`') : undefined;
  const rule = new LazyRule(spec, where, flags, options.groups, validator, path);
  // Rules from a user's config are checked in full now, so a broken regex is a config error at load.
  if (!options.lazy) rule.compileNow();
  return rule;
}

/**
 * A rule whose regexes are built on first use: a pre-commit hook whose few lines wake three rules
 * should not pay for compiling three hundred; the allow lists, only once the regex has matched. A
 * class, not an object literal with getters: each such literal made its own four closures, 1.6 kB a
 * rule against 0.3 kB, young garbage every run paid a scavenge for.
 */
class LazyRule implements CompiledRule {
  readonly id: string;
  readonly keywords: string[];
  readonly validator?: Validator;
  readonly checksum?: Validator;
  readonly path?: RegExp;
  readonly fileValidator?: FileValidator;
  readonly environments?: ReadonlySet<Environment>;
  private regexes?: Pick<CompiledRule, 'regex' | 'secretGroup'>;
  private allowLists?: Pick<CompiledRule, 'allow' | 'allowLine'>;

  constructor(
    readonly spec: RuleSpec,
    private readonly where: string,
    private readonly flags: string,
    private readonly groups: number | undefined,
    validator: ValidatorEntry | undefined,
    path: RegExp | undefined,
  ) {
    this.id = spec.id;
    this.keywords = spec.keywords.map((k) => k.toLowerCase());
    if (validator?.kind === 'structure') this.validator = validator.check;
    if (validator?.kind === 'checksum') this.checksum = validator.check;
    if (validator?.kind === 'file') this.fileValidator = validator.checkFile;
    if (path) this.path = path;
    if (spec.environments) this.environments = new Set(spec.environments);
  }

  /** Builds every regex of the rule now, so that a broken one fails here. */
  compileNow(): void {
    this.build();
    this.buildAllowLists();
  }

  get regex(): RegExp {
    return this.build().regex;
  }

  get secretGroup(): number {
    return this.build().secretGroup;
  }

  get allow(): RegExp[] {
    return this.buildAllowLists().allow;
  }

  get allowLine(): RegExp[] {
    return this.buildAllowLists().allowLine;
  }

  private build(): Pick<CompiledRule, 'regex' | 'secretGroup'> {
    if (this.regexes) return this.regexes;
    const { spec, flags, where } = this;
    // A path rule matches no text: its regex never matches, so nothing that runs regexes needs a special case.
    const source = spec.regex ?? '(?!)';
    const regex = buildRegex(source, `gd${flags}`, where, '`regex`');
    const groups = this.groups ?? new RegExp(`${source}|`, flags).exec('')!.length - 1;
    const secretGroup = spec.secretGroup ?? (groups > 0 ? 1 : 0);
    if (!Number.isInteger(secretGroup) || secretGroup < 0 || secretGroup > groups)
      throw new RuleError(where, `\`secretGroup\` ${secretGroup} does not exist: the regex has ${groups} group(s)`);
    this.regexes = { regex, secretGroup };
    return this.regexes;
  }

  private buildAllowLists(): Pick<CompiledRule, 'allow' | 'allowLine'> {
    const { spec, flags, where } = this;
    return (this.allowLists ??= {
      allow: (spec.allow ?? []).map((a) => buildRegex(a, flags.includes('i') ? 'i' : '', where, '`allow`')),
      allowLine: (spec.allowLine ?? []).map((a) => buildRegex(a, 'i', where, '`allowLine`')),
    });
  }
}
