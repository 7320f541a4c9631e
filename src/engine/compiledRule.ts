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
  /** Lower case, as the prefilter matches them. */
  keywords: readonly string[];
  allow: RegExp[];
  allowLine: RegExp[];
  /** A structure check: a match failing it is dropped. */
  validator?: Validator;
  /** A checksum: a match failing it is reported at lower severity (see VALIDATORS). */
  checksum?: Validator;
  /** A path rule's check of the file's bytes: a file failing it is not reported. */
  fileValidator?: FileValidator;
  environments?: ReadonlySet<Environment>;
  /**
   * `allowUnlessAfter`: whether the secret found at offset `at` of `text` is not a finding (its shape
   * is `secret`'s and the text before it does not match `after`). Only rules with the field have it.
   */
  exempts?: (text: string, at: number, secret: string) => boolean;
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
  // A built-in rule: the test suite checks each in full (below) from rules/*.yml, of which the build
  // made it. Checked again here on every run, the checks allocated some 400 bytes a rule, young
  // garbage a pre-commit hook paid a scavenge for.
  if (options.lazy) {
    const validator = spec.validator === undefined ? undefined : VALIDATORS[spec.validator];
    return new LazyRule(spec, origin, spec.flags ?? '', options.groups, validator, spec.path === undefined ? undefined : new RegExp(spec.path, 'i'), true);
  }
  const where = `${origin} (rule ${spec?.id ?? '?'})`;
  if (!spec || typeof spec !== 'object') throw new RuleError(origin, 'a rule must be a mapping');
  if (typeof spec.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(spec.id))
    throw new RuleError(where, '`id` must be kebab-case (a-z, 0-9, -)');
  if (typeof spec.description !== 'string' || !spec.description) throw new RuleError(where, '`description` is required');
  if (!CATEGORIES.includes(spec.category)) throw new RuleError(where, `\`category\` must be one of ${CATEGORIES.join(', ')}`);
  if (!SEVERITIES.includes(spec.severity)) throw new RuleError(where, `\`severity\` must be one of ${SEVERITIES.join(', ')}`);
  const isPathRule = spec.path !== undefined;
  if (isPathRule && spec.regex !== undefined) throw new RuleError(where, 'a rule has `regex` (the text) or `path` (the file name), not both');
  if (isPathRule ? typeof spec.path !== 'string' || !spec.path : typeof spec.regex !== 'string' || !spec.regex)
    throw new RuleError(where, isPathRule ? '`path` must be a regular expression' : '`regex` is required (or `path`, for a rule that reports files by name)');
  if (!Array.isArray(spec.keywords) || spec.keywords.some((k) => typeof k !== 'string' || !k))
    throw new RuleError(where, '`keywords` must be a list of non-empty strings');
  const flags = spec.flags ?? '';
  if (!ALLOWED_FLAGS.test(flags)) throw new RuleError(where, '`flags` may only hold i, m, s and u');
  if (spec.validator !== undefined && !Object.hasOwn(VALIDATORS, spec.validator))
    throw new RuleError(where, `unknown \`validator\` "${spec.validator}"; known: ${Object.keys(VALIDATORS).join(', ')}`);
  const unless = spec.allowUnlessAfter;
  if (unless !== undefined && (typeof unless !== 'object' || unless === null || typeof unless.secret !== 'string' || !unless.secret || typeof unless.after !== 'string' || !unless.after))
    throw new RuleError(where, '`allowUnlessAfter` must be a mapping with `secret` and `after`, two regular expressions');
  if (spec.environments?.some((e) => !ENVIRONMENTS.includes(e)))
    throw new RuleError(where, `\`environments\` may only hold ${ENVIRONMENTS.join(', ')}`);
  const validator = spec.validator === undefined ? undefined : VALIDATORS[spec.validator]!;
  if (validator && (validator.kind === 'file') !== isPathRule)
    throw new RuleError(where, `\`validator\` "${spec.validator}" ${isPathRule ? 'checks a value, not a file' : 'checks a file: it needs a path rule'}`);
  const path = isPathRule ? buildRegex(spec.path!, 'i', where, '`path`') : undefined;
  const rule = new LazyRule(spec, origin, flags, options.groups, validator, path, false);
  // Rules from a user's config are checked in full now, so a broken regex is a config error at load.
  rule.compileNow();
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
  readonly keywords: readonly string[];
  readonly validator?: Validator;
  readonly checksum?: Validator;
  readonly path?: RegExp;
  readonly fileValidator?: FileValidator;
  readonly environments?: ReadonlySet<Environment>;
  readonly exempts?: (text: string, at: number, secret: string) => boolean;
  private regexes?: Pick<CompiledRule, 'regex' | 'secretGroup'>;
  private allowLists?: Pick<CompiledRule, 'allow' | 'allowLine'>;
  private exemption?: { secret: RegExp; after: RegExp };

  constructor(
    readonly spec: RuleSpec,
    private readonly origin: string,
    private readonly flags: string,
    private readonly groups: number | undefined,
    validator: ValidatorEntry | undefined,
    path: RegExp | undefined,
    lazy: boolean,
  ) {
    this.id = spec.id;
    // The prefilter folds case. The built-in rules' keywords are lower case (the test suite checks);
    // a custom rule's may not be.
    this.keywords = lazy || !spec.keywords.some(hasUpperCase) ? spec.keywords : spec.keywords.map((k) => k.toLowerCase());
    if (validator?.kind === 'structure') this.validator = validator.check;
    if (validator?.kind === 'checksum') this.checksum = validator.check;
    if (validator?.kind === 'file') this.fileValidator = validator.checkFile;
    if (path) this.path = path;
    if (spec.environments) this.environments = new Set(spec.environments);
    if (spec.allowUnlessAfter) {
      this.exempts = (text, at, secret) => {
        const { secret: shape, after } = this.buildExemption();
        if (!shape.test(secret)) return false;
        after.lastIndex = at;
        return !after.test(text);
      };
    }
  }

  /** Builds every regex of the rule now, so that a broken one fails here. */
  compileNow(): void {
    this.build();
    this.buildAllowLists();
    if (this.spec.allowUnlessAfter) this.buildExemption();
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

  /** The rule and where it comes from, for errors (made when needed: most rules never have one). */
  private get where(): string {
    return `${this.origin} (rule ${this.id})`;
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

  private buildExemption(): { secret: RegExp; after: RegExp } {
    if (this.exemption) return this.exemption;
    const { flags, where } = this;
    const { secret, after } = this.spec.allowUnlessAfter!;
    // Checked alone first: wrapped in the look-behind, `a)(b` would read as a valid regex.
    buildRegex(after, flags, where, '`allowUnlessAfter.after`');
    this.exemption = {
      secret: buildRegex(secret, flags, where, '`allowUnlessAfter.secret`'),
      // A look-behind tested at one offset only (sticky): it reads back from where the secret starts.
      after: buildRegex(`(?<=${after})`, `y${flags}`, where, '`allowUnlessAfter.after`'),
    };
    return this.exemption;
  }

  private buildAllowLists(): Pick<CompiledRule, 'allow' | 'allowLine'> {
    const { spec, flags, where } = this;
    return (this.allowLists ??= {
      allow: (spec.allow ?? []).map((a) => buildRegex(a, flags.includes('i') ? 'i' : '', where, '`allow`')),
      allowLine: (spec.allowLine ?? []).map((a) => buildRegex(a, 'i', where, '`allowLine`')),
    });
  }
}

/** ASCII is enough: the prefilter rejects any other keyword. A test, not toLowerCase, which copies. */
const UPPER_CASE = /[A-Z]/;
function hasUpperCase(keyword: string): boolean {
  return UPPER_CASE.test(keyword);
}
