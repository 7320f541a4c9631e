import type { KeyfenceConfig } from '../config/config.js';
import { classify, declaration, declaredEnvironment, explainPath, type Classification, type ExplainedClassification, type FileRole } from '../environment/classify.js';
import { ENVIRONMENTS, type Category, type Environment, type Finding } from '../findings/finding.js';
import type { Fragment } from '../sources/fragment.js';
import { loadBuiltinRules, type SourcedRule } from '../rules/builtinRules.js';
import { loadBuiltinKeywordAutomaton } from './keywordAutomaton.js';
import { globs } from './globs.js';
import { compileRule, RuleError, type CompiledRule } from './compiledRule.js';
import { CrossoverLedger, observationsOf, participates, secretSettings, type Observation } from './crossover.js';
import { Policy } from './policy.js';
import { ENV_CROSSOVER, PROD_DATA_DUMP, PROD_DATA_PERSONAL, PROD_HOST_DOMAIN, productionDomainRule } from '../rules/policyRules.js';
import { fingerprint } from '../findings/fingerprint.js';
import { wantsProdData } from './prodData/dataFiles.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { Scanner } from './scanner.js';
import { encodedTexts } from './encodedTexts.js';
import { LineIndex } from './lineIndex.js';

const PATH_CACHE_SIZE = 4096;

/** Rules whose secrets are compared across environments. */
const SECRET_CATEGORIES: ReadonlySet<Category> = new Set(['live-key', 'generic-secret', 'fixture']);

/**
 * Two engine-level rule fields (rules/README.md): `files:` globs limit a rule to those paths (`!`
 * excludes), so script rules never run on code; `requires:` keeps a match only when `after` matches
 * later in the fragment before `until` does (`set -x` followed by a secret variable before any
 * `set +x`), a look-ahead a single regex cannot make in linear time from every line. An `after`
 * match counts when it ends past the match (so it may start at its line: `^(?!#)…\$TOKEN` skips
 * comment lines), and comes before the next `until` match starts. In files matching
 * `requires.unlessFiles` the requirement does not apply.
 */

interface Requirement {
  after: RegExp;
  until?: RegExp;
  unless?: (file: string) => boolean;
}

/** One test for a list of micromatch globs, compiled on first use (a hook run may never need it), once. */
function anyGlob(patterns: string[], nocase = false): (file: string) => boolean {
  let tests: Array<(file: string) => boolean> | undefined;
  return (file) => (tests ??= patterns.map((g) => globs().matcher(g, { dot: true, nocase }))).some((test) => test(file));
}

function fileMatcher(patterns: string[], compiled?: SourcedRule['filesPattern']): (file: string) => boolean {
  if (compiled) {
    const yes = new RegExp(compiled.include, 'i');
    const no = compiled.exclude === undefined ? undefined : new RegExp(compiled.exclude);
    return (file) => yes.test(file) && !no?.test(file);
  }
  const include = patterns.filter((g) => !g.startsWith('!'));
  const exclude = patterns.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const yes = anyGlob(include.length ? include : ['**'], true);
  const no = anyGlob(exclude);
  return (file) => yes(file) && !no(file);
}

/** The production-data detectors, once a run has met a data file (Engine.prepare). */
let prodDataDetectors: typeof import('./prodData/prodData.js') | undefined;
let loadingProdData: Promise<void> | undefined;

export function loadProdDataDetectors(): Promise<void> {
  return (loadingProdData ??= import('./prodData/prodData.js').then((module) => {
    prodDataDetectors = module;
  }));
}

/**
 * The engine every source feeds: it knows the rules and the configuration, classifies each file's
 * environment, and runs each fragment through prefilter -> match -> verify (the scanners) and the
 * environment policy (policy.ts). The only state it keeps between fragments is the crossover
 * ledger: the secret values seen per environment, which `finish()` turns into `env-crossover`.
 *
 * How sources use it:
 * - `scan(fragment)` for every fragment the run reports on; then `finish()` once, after the last.
 * - `observe(fragment)` for text the run does not report on but whose values count for crossovers
 *   (`staged`: the index version of other environments' config files, chosen with
 *   `wantsObservation(path)`), before `finish()`.
 * - Worker threads: each worker's engine hands `takeObservations()` to the main thread's engine,
 *   which `addObservations()` before `finish()`.
 */
export class Engine {
  /** Every rule that can produce a finding, with the engine's own (env-crossover, prod-host-domain). */
  readonly rules: CompiledRule[];
  private readonly scanner: Scanner;
  private readonly policy: Policy;
  private readonly ledger = new CrossoverLedger();
  private readonly environmentGlobs: Array<[Environment, (file: string) => boolean]>;
  private readonly byPath = new Map<string, Classification>();
  /** `rules` by id: a finding's rule, as it was before the policy changed the finding's category. */
  private readonly ruleById = new Map<string, CompiledRule>();
  private readonly crossoverEnabled: boolean;
  /** The production-data rules that are on (src/engine/prodData/), by id. */
  private readonly prodData = new Map<string, CompiledRule>();
  private readonly requirements = new Map<string, Requirement>();

  constructor(readonly config: KeyfenceConfig) {
    const domainRule = productionDomainRule(config.productionDomains);
    const byId = new Map<string, { rule: CompiledRule; filesPattern?: SourcedRule['filesPattern'] }>();
    // `built`: what the build worked out for a built-in rule (its regex's group count, its `files:`
    // as regexes), which holds for it only, not for a custom rule with its id.
    const add = (spec: RuleSpec, origin: string, built?: SourcedRule) => {
      const override = config.overrides[spec.id];
      if (override?.enabled === false) {
        byId.delete(spec.id);
        return;
      }
      // A custom rule with a built-in rule's id replaces it.
      const overridden = override?.severity ? { ...spec, severity: override.severity } : spec;
      const rule = compileRule(overridden, origin, { lazy: built !== undefined, groups: built?.groups });
      byId.set(spec.id, built?.filesPattern ? { rule, filesPattern: built.filesPattern } : { rule });
    };
    for (const built of loadBuiltinRules()) add(built.spec, built.origin, built);
    if (domainRule) add(domainRule, 'keyfence.yml productionDomains');
    for (const { spec, origin } of config.rules) add(spec, origin);
    const scanned: CompiledRule[] = [];
    // Rules with the same `files:` share one matcher, which the scanner asks only when one of them
    // has a keyword in the file: most files never pay for a glob test.
    const scopes: Array<((file: string) => boolean) | undefined> = [];
    const matchers = new Map<string, (file: string) => boolean>();
    for (const { rule, filesPattern } of byId.values()) {
      scanned.push(rule);
      const { requires, files } = rule.spec;
      if (requires) this.requirements.set(rule.id, compileRequirement(requires, rule));
      let matches: ((file: string) => boolean) | undefined;
      if (files) {
        const key = JSON.stringify(files);
        matches = matchers.get(key);
        if (!matches) matchers.set(key, (matches = fileMatcher(files, filesPattern)));
      }
      scopes.push(matches);
    }
    this.scanner = new Scanner(scanned, scopes, loadBuiltinKeywordAutomaton);

    // The engine's own rules: metadata for reports, overrides applied like any rule's.
    const stage: CompiledRule[] = [];
    this.crossoverEnabled = config.overrides[ENV_CROSSOVER.id]?.enabled !== false;
    if (this.crossoverEnabled) stage.push(compileRule(withOverride(ENV_CROSSOVER, config), 'engine'));
    if (!domainRule && config.overrides[PROD_HOST_DOMAIN.id]?.enabled !== false) stage.push(compileRule(withOverride(PROD_HOST_DOMAIN, config), 'engine'));
    for (const spec of [PROD_DATA_DUMP, PROD_DATA_PERSONAL]) {
      if (config.overrides[spec.id]?.enabled === false) continue;
      const rule = compileRule(withOverride(spec, config), 'engine');
      this.prodData.set(spec.id, rule);
      stage.push(rule);
    }
    this.rules = [...scanned, ...stage];
    for (const rule of this.rules) this.ruleById.set(rule.id, rule);
    this.policy = new Policy(config, this.ruleById);

    // In the order the configuration lists them: the first environment with a matching glob wins.
    this.environmentGlobs = (Object.keys(config.environments) as Environment[])
      .filter((env) => ENVIRONMENTS.includes(env) && config.environments[env]?.length)
      .map((env) => [env, anyGlob(config.environments[env]!)]);
  }

  /** Environment and role of a path: configured globs, then the path conventions. */
  private classifyPath(file: string): Classification {
    let known = this.byPath.get(file);
    if (!known) {
      known = classify(file);
      for (const [env, matches] of this.environmentGlobs) {
        if (matches(file)) {
          known = { ...known, environment: env };
          break;
        }
      }
      // A cache for the paths a history touches again and again, bounded so a scan of a large tree
      // does not keep a classification per file.
      if (this.byPath.size >= PATH_CACHE_SIZE) this.byPath.clear();
      this.byPath.set(file, known);
    }
    return known;
  }

  /** Environment and role of a file: configured globs, then a declared `APP_ENV=` & co., then the path. */
  classify(file: string, text?: string): Classification {
    const byPath = this.classifyPath(file);
    if (text === undefined || this.environmentGlobs.some(([, matches]) => matches(file))) return byPath;
    const declared = declaredEnvironment(file, text);
    return declared ? { ...byPath, environment: declared } : byPath;
  }

  /**
   * `classify`, saying what decided: a configured glob (with where it was set), a declaration in
   * the file, or the path convention. For `keyfence explain`; scans never need the words.
   */
  explainFile(file: string, text?: string): ExplainedClassification {
    const byPath = explainPath(file);
    const placed = this.placedBy(file);
    if (placed) return { environment: placed.environment, role: byPath.role, why: `matches environments.${placed.environment}: ${placed.glob}${placed.at ? ` (${placed.at})` : ''}` };
    const declared = text === undefined ? undefined : declaration(file, text);
    if (declared) return { environment: declared.environment, role: byPath.role, why: `declares ${declared.text} on line ${declared.line}` };
    return byPath;
  }

  /** The configured `environments` glob that places `file`, and where it was set; undefined when none does. */
  placedBy(file: string): { environment: Environment; glob: string; at?: string } | undefined {
    for (const env of Object.keys(this.config.environments) as Environment[]) {
      const globs = this.config.environments[env] ?? [];
      const hit = globs.findIndex((glob) => anyGlob([glob])(file));
      if (hit === -1) continue;
      const at = this.config.origins[`environments.${env}[${hit}]`];
      return { environment: env, glob: globs[hit]!, ...(at ? { at } : {}) };
    }
    return undefined;
  }

  /** Whether a rule looks at this file at all: its `files:` globs. */
  looksAt(rule: CompiledRule, file: string): boolean {
    return !rule.spec.files || fileMatcher(rule.spec.files)(file);
  }

  /** The environment policy's verdict on a finding, with the reason when it drops or re-grades it. */
  judge(finding: Finding, role: FileRole): { finding?: Finding; because?: string } {
    return this.policy.judge(finding, role);
  }

  /** The environment of `file`: configured globs, then a declared NODE_ENV & co., then the path. */
  environmentOf(file: string, text?: string): Environment {
    return this.classify(file, text).environment;
  }

  /**
   * The findings of one fragment, after the environment policy. `environment` may be given when the
   * caller knows better than the fragment's text (a staged diff holds only the added lines, not
   * the file's `APP_ENV=` line): compute it with `environmentOf(path, wholeText)`.
   */
  scan(fragment: Fragment, environment?: Environment): Finding[] {
    if (this.prepare(fragment.file)) throw new Error(`internal error: Engine.prepare("${fragment.file}") must be awaited before scan`);
    const where = this.where(fragment, environment);
    const raw = this.match(fragment, where);
    this.remember(fragment, where, raw, true);
    const data = this.prodData.size > 0 ? this.findProdData(fragment, where) : undefined;
    if (data) raw.push(data);
    const out: Finding[] = [];
    for (const finding of raw) {
      const graded = this.policy.apply(finding, where.role);
      if (graded) out.push(graded);
    }
    return out;
  }

  /**
   * Loads what scanning `file` needs that the engine keeps out of start-up: the production-data
   * detectors (with their phone-number and IBAN tables) for the first data file of a run. Returns
   * undefined when all is there, so the common case costs no await; callers await it before `scan`.
   */
  prepare(file: string): Promise<void> | undefined {
    if (prodDataDetectors || this.prodData.size === 0 || !wantsProdData(file)) return undefined;
    return loadProdDataDetectors();
  }

  /**
   * Takes note of the secret values in a fragment without reporting anything in it: a value it
   * shares with a scanned fragment of another environment still makes an `env-crossover` finding,
   * located in the scanned fragment. For `staged`: observe the index version of every other file
   * for which `wantsObservation(path)` is true, so the commit that introduces a reuse is blocked.
   */
  observe(fragment: Fragment, environment?: Environment): void {
    if (!this.crossoverEnabled) return;
    const where = this.where(fragment, environment);
    if (!participates(where.environment)) return;
    this.remember(fragment, where, this.match(fragment, where), false);
  }

  /**
   * Whether a binary file can make a finding: a path rule names it (a key store). Sources read the
   * bytes of such a file and scan it as a binary fragment; any other binary file is passed over.
   */
  scansBinary(file: string): boolean {
    return this.scanner.wantsFile(file);
  }

  /** Whether observing this file can matter: config files of development, test, staging or production. */
  wantsObservation(file: string): boolean {
    if (!this.crossoverEnabled) return false;
    const { environment, role } = this.classifyPath(file);
    return role === 'config' && participates(environment);
  }

  /** The values this engine has seen, handed over (and forgotten): from a worker to the main engine. */
  takeObservations(): Observation[] {
    return this.ledger.take();
  }

  addObservations(observations: readonly Observation[]): void {
    for (const o of observations) this.ledger.record(o);
  }

  /**
   * Findings that need every fragment of a run: one secret value reused across environments. Every
   * command calls this once, after its last `scan` (and `observe`), and reports what it returns
   * with the rest.
   */
  finish(): Finding[] {
    if (!this.crossoverEnabled) return [];
    const base = this.config.overrides[ENV_CROSSOVER.id]?.severity;
    const findings = this.ledger.findings((env, severity) => this.policy.floor(env, ENV_CROSSOVER.id, base ?? severity));
    this.ledger.take();
    return findings;
  }

  /** The file's production data, as one finding at its first data line (src/engine/prodData/). */
  private findProdData(fragment: Fragment, where: Classification): Finding | undefined {
    const hit = prodDataDetectors?.findProdData(fragment, this.config.prodData);
    const rule = hit && this.prodData.get(hit.ruleId);
    if (!hit || !rule) return undefined;
    const lines = new LineIndex(fragment);
    const line = lines.fileLine(hit.line);
    const text = lines.lineText(hit.line);
    const previous = lines.previousLineText(hit.line);
    return {
      ruleId: rule.id,
      category: 'prod-data',
      severity: rule.spec.severity,
      message: hit.message,
      file: fragment.file,
      line,
      column: 1,
      endLine: line,
      endColumn: text.length + 1,
      environment: where.environment,
      secret: '',
      fingerprint: fingerprint(rule.id, fragment.file, hit.what, false),
      ...(fragment.commit ? { commit: fragment.commit } : {}),
      lineText: text,
      ...(previous !== undefined ? { previousLineText: previous } : {}),
    };
  }

  private where(fragment: Fragment, environment: Environment | undefined): Classification {
    const found = this.classify(fragment.file, environment === undefined ? fragment.text : undefined);
    return environment === undefined ? found : { ...found, environment };
  }

  private match(fragment: Fragment, where: Classification): Finding[] {
    const findings = this.withRequirementsMet(fragment, this.scanner.scan(fragment, where.environment));
    return where.role === 'config' ? this.withEncoded(fragment, where.environment, findings) : findings;
  }

  /**
   * Configuration often holds a secret base64-encoded (a CI variable with a whole service-account
   * JSON, a Helm value, a Secret's `data:`): each such value is decoded and scanned once more. What
   * is found inside is located at the encoded value and replaces a generic finding of that value;
   * its line is reported with the value masked, since the encoding hides nothing.
   */
  private withEncoded(fragment: Fragment, environment: Environment, findings: Finding[]): Finding[] {
    const encoded = encodedTexts(fragment.text);
    if (encoded.length === 0) return findings;
    const lines = new LineIndex(fragment);
    let out = findings;
    for (const value of encoded) {
      const inner = this.scanner
        .scan({ file: fragment.file, text: value.decoded, ...(fragment.commit ? { commit: fragment.commit } : {}) }, environment, {
          paths: false,
        })
        .filter((f) => !this.requirements.has(f.ruleId));
      if (inner.length === 0) continue;
      const from = lines.position(value.start);
      const to = lines.position(value.end);
      const index = lines.lineOf(value.start);
      const line = lines.lineText(index);
      const column = value.start - lines.startOf(index);
      const lineText = `${line.slice(0, column)}<base64>${line.slice(column + value.end - value.start)}`;
      out = out.filter((f) => f.category !== 'generic-secret' || f.line !== from.line || f.endColumn <= from.column || f.column >= to.column);
      for (const f of inner) {
        out.push({ ...f, message: `${f.message} (base64-encoded)`, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, lineText, previousLineText: lines.previousLineText(index) });
      }
    }
    return out;
  }

  /** Drops the findings of rules that `require` a later match (`set -x` … a secret) where it is missing. */
  private withRequirementsMet(fragment: Fragment, findings: Finding[]): Finding[] {
    if (this.requirements.size === 0 || !findings.some((f) => this.requirements.has(f.ruleId))) return findings;
    const offsets = new FragmentOffsets(fragment);
    const found = new Map<Requirement, { after: number[]; until: number[] }>();
    return findings.filter((f) => {
      const requirement = this.requirements.get(f.ruleId);
      if (!requirement || requirement.unless?.(fragment.file)) return true;
      let positions = found.get(requirement);
      if (!positions) {
        positions = {
          after: matchOffsets(requirement.after, fragment.text, 'end'),
          until: requirement.until ? matchOffsets(requirement.until, fragment.text, 'start') : [],
        };
        found.set(requirement, positions);
      }
      const end = offsets.offsetOf(f.endLine, f.endColumn);
      const after = firstAtOrAfter(positions.after, end);
      if (after === undefined) return false;
      const until = firstAtOrAfter(positions.until, end);
      return until === undefined || after < until;
    });
  }

  private remember(fragment: Fragment, where: Classification, findings: Finding[], reported: boolean): void {
    if (!this.crossoverEnabled || !participates(where.environment)) return;
    for (const f of findings) {
      const rule = this.ruleById.get(f.ruleId);
      const category = rule?.spec.category ?? f.category;
      if (!f.secret || !SECRET_CATEGORIES.has(category) || this.policy.isTestMode(f.ruleId)) continue;
      // A token whose checksum fails (reported at low) was never issued: it cannot authenticate
      // anywhere, so it cannot bleed from one environment into another either.
      if (rule?.checksum?.(f.secret) === false) continue;
      this.ledger.record({
        value: f.secret,
        environment: where.environment,
        file: f.file,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        reported,
        ...(f.commit ? { commit: f.commit } : {}),
        ...(reported ? { lineText: f.lineText, previousLineText: f.previousLineText } : {}),
      });
    }
    if (where.role !== 'config') return;
    // A value a rule judged (a test-mode key, a placeholder it allowed) is not second-guessed here.
    const judged = new Set(findings.map((f) => f.secret));
    const settings = secretSettings(fragment.text).filter((v) => !judged.has(v.value));
    for (const o of observationsOf(fragment, where.environment, settings, reported)) this.ledger.record(o);
  }
}

function compileRequirement(requires: NonNullable<RuleSpec['requires']>, rule: CompiledRule): Requirement {
  const build = (source: unknown, field: string) => {
    if (typeof source !== 'string' || !source) throw new RuleError(`rules (rule ${rule.id})`, `\`requires.${field}\` must be a regular expression`);
    try {
      return new RegExp(source, 'gm');
    } catch (error) {
      throw new RuleError(`rules (rule ${rule.id})`, `\`requires.${field}\` is not a valid regular expression: ${(error as Error).message}`);
    }
  };
  const unless = requires.unlessFiles;
  if (unless !== undefined && (!Array.isArray(unless) || unless.some((g) => typeof g !== 'string' || !g)))
    throw new RuleError(`rules (rule ${rule.id})`, '`requires.unlessFiles` must be a list of globs');
  return {
    after: build(requires.after, 'after'),
    ...(requires.until !== undefined ? { until: build(requires.until, 'until') } : {}),
    ...(unless?.length ? { unless: fileMatcher(unless) } : {}),
  };
}

/** Start (or end) offsets of every match of a global regex in `text`, ascending. */
function matchOffsets(regex: RegExp, text: string, which: 'start' | 'end'): number[] {
  const out: number[] = [];
  regex.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = regex.exec(text)) !== null) {
    out.push(which === 'start' ? m.index : m.index + m[0].length);
    if (m[0].length === 0) regex.lastIndex++;
  }
  return out;
}

function firstAtOrAfter(sorted: number[], offset: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}

/** File line and column back to an offset in the fragment's text (the inverse of LineIndex). */
class FragmentOffsets {
  private readonly starts: number[] = [0];

  constructor(private readonly fragment: Fragment) {
    const text = fragment.text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  offsetOf(line: number, column: number): number {
    const { lineNumbers, firstLine } = this.fragment;
    const index = lineNumbers ? Math.max(0, lineNumbers.indexOf(line)) : line - (firstLine ?? 1);
    return (this.starts[Math.min(Math.max(index, 0), this.starts.length - 1)] ?? 0) + column - 1;
  }
}

function withOverride(spec: RuleSpec, config: KeyfenceConfig): RuleSpec {
  const severity = config.overrides[spec.id]?.severity;
  return severity ? { ...spec, severity } : spec;
}
