import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';
import { FAIL_ON_LEVELS, failOnRank, isFailOn, type FailOn } from '../findings/failOn.js';
import { ENVIRONMENTS, SEVERITIES, severityRank, type Environment, type Severity } from '../findings/finding.js';
import { loadBuiltinMacros, loadBuiltinRules } from '../rules/builtinRules.js';
import { expandMacros, hasMacros, MacroError } from '../rules/macros.js';
import { ENGINE_RULE_IDS, ENGINE_RULES } from '../rules/policyRules.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { POLICY_SCOPES, defaultConfig, defaultGenericSecrets, defaultMaxSecretAgeDays, type AllowEntry, type PolicyScope, type KeyfenceConfig, type RuleOverride } from './config.js';
import { CONFIG_NAMES, findConfigFile } from './configFile.js';
import { diskPolicyFiles, type PolicyFiles } from './policyFiles.js';

/** Where in the file a node sits, as `file:line:col`. */
function positionOf(_doc: Document, node: Node | null | undefined, file: string, text: string): string {
  const offset = node?.range?.[0];
  if (offset === undefined) return file;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `${file}:${line}:${col}`;
}

/**
 * Reads keyfence.yml and every policy it extends into one effective configuration (synchronously;
 * commands use configFile.ts's `loadConfig`, which loads this module only when there is YAML to read).
 *
 * Layers apply base first: `extends:` (a path, or an installed npm package: `@acme/policy`,
 * `@acme/policy/strict.yml`) is read and merged before the file that names it. Scalars are
 * replaced, lists (allow, rules, productionDomains, environment globs) are appended, per-rule and
 * per-environment settings merge field by field. A guardrail an extended policy marks `locked: true`
 * cannot be loosened by a later layer: trying is a configuration error naming the guardrail and
 * the file that locked it. Every error names file, line and column.
 */
export function readConfig(root: string, explicit?: string, files: PolicyFiles = diskPolicyFiles): KeyfenceConfig {
  const path = findConfigFile(root, explicit, files);
  if (!path) return defaultConfig();
  return loadConfigFile(resolve(path), root, files);
}

/** The effective configuration of one config file and everything it extends, read from `files`. */
export function loadConfigFile(path: string, root: string, files: PolicyFiles = diskPolicyFiles): KeyfenceConfig {
  const merger = new Merger(root, files);
  merger.applyFile(resolve(path), []);
  return merger.finish();
}

// --- reading one file ---------------------------------------------------------------------------

interface Positioned<T> {
  value: T;
  at: string;
}

interface OverrideLayer {
  at: string;
  enabled?: Positioned<boolean>;
  severity?: Positioned<Severity>;
  locked?: string;
}

interface PolicyLayer {
  at: string;
  minSeverity?: Positioned<Severity>;
  genericSecrets?: Positioned<Severity>;
  maxSecretAgeDays?: Positioned<number>;
  rules: Record<string, OverrideLayer>;
  locked?: string;
}

/** One config file, checked and with a position for every setting. */
interface Layer {
  file: string;
  extends: Array<Positioned<string>>;
  failOn?: Positioned<FailOn> & { locked?: string };
  switches: Partial<Record<Switch, Positioned<boolean> & { locked?: string }>>;
  maxFileSize?: Positioned<number>;
  prodData: { minValues?: Positioned<number>; minKinds?: Positioned<number> };
  suppressionMarkers?: Positioned<string[]>;
  productionDomains: Array<Positioned<string>>;
  environments: { at?: string; locked?: string; globs: Array<{ env: Environment; glob: string; at: string }> };
  policy: Partial<Record<PolicyScope, PolicyLayer>>;
  overrides: Record<string, OverrideLayer>;
  allow: Array<Positioned<AllowEntry> & { rulesAt?: string }>;
  rules: Array<Positioned<RuleSpec> & { fields: Record<string, string> }>;
}

/** Settings that are true or false, and that an organisation policy can lock on. */
const SWITCHES = ['requireReason', 'failOnNewSuppressions'] as const;
type Switch = (typeof SWITCHES)[number];

const TOP_KEYS = ['extends', 'failOn', ...SWITCHES, 'environments', 'policy', 'overrides', 'allow', 'rules', 'productionDomains', 'maxFileSize', 'suppressionMarkers', 'prodData'];
const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Walks one parsed file; every complaint carries `file:line:col`. */
class Reader {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly text: string,
  ) {}

  at(node: unknown): string {
    return positionOf(this.doc, node as Node, this.file, this.text);
  }

  fail(node: unknown, message: string, hint?: string): never {
    throw new UserError(`${this.at(node)}: ${message}`, hint);
  }

  js(node: unknown): unknown {
    return (node as { toJS?: (doc: Document) => unknown })?.toJS?.(this.doc) ?? (isScalar(node) ? node.value : node);
  }

  map(node: unknown, what: string): YAMLMap {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping`);
    return node;
  }

  /** The pairs of a mapping, with string keys; unknown keys are errors when `known` is given. */
  pairs(node: unknown, what: string, known?: readonly string[]): Array<{ key: string; keyNode: unknown; value: unknown }> {
    return this.map(node, what).items.map((pair: Pair) => {
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      if (known && !known.includes(key)) this.fail(pair.key, `unknown setting "${key}" in ${what}`, `known here: ${known.join(', ')}`);
      return { key, keyNode: pair.key, value: pair.value };
    });
  }

  string(node: unknown, what: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') this.fail(node, `${what} must be a non-empty string`);
    return node.value;
  }

  strings(node: unknown, what: string): Array<Positioned<string>> {
    if (!isSeq(node)) this.fail(node, `${what} must be a list of strings`);
    return node.items.map((item) => ({ value: this.string(item, `every entry of ${what}`), at: this.at(item) }));
  }

  boolean(node: unknown, what: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') this.fail(node, `${what} must be true or false`);
    return node.value;
  }

  severity(node: unknown, what: string): Severity {
    if (!isScalar(node) || !SEVERITIES.includes(node.value as Severity)) this.fail(node, `${what} must be one of ${SEVERITIES.join(', ')}`);
    return node.value as Severity;
  }

  /** A severity, or `none` (report only). */
  failOn(node: unknown, what: string): FailOn {
    if (!isScalar(node) || !isFailOn(node.value)) this.fail(node, `${what} must be one of ${FAIL_ON_LEVELS.join(', ')}`);
    return node.value as FailOn;
  }

  environment(keyNode: unknown, key: string, what: string): Environment {
    if (!ENVIRONMENTS.includes(key as Environment)) this.fail(keyNode, `unknown environment "${key}" in ${what}`, `use one of ${ENVIRONMENTS.join(', ')}`);
    return key as Environment;
  }

  /** `locked: true` inside a mapping: the position of the lock, or undefined. */
  lock(node: unknown, what: string): string | undefined {
    return this.boolean(node, `${what}.locked`) ? this.at(node) : undefined;
  }

  override(node: unknown, what: string, lockable: boolean): OverrideLayer {
    const out: OverrideLayer = { at: this.at(node) };
    for (const { key, value } of this.pairs(node, what, lockable ? ['enabled', 'severity', 'locked'] : ['enabled', 'severity'])) {
      if (key === 'enabled') out.enabled = { value: this.boolean(value, `${what}.enabled`), at: this.at(value) };
      else if (key === 'severity') out.severity = { value: this.severity(value, `${what}.severity`), at: this.at(value) };
      else out.locked = this.lock(value, what);
    }
    return out;
  }

  regex(node: unknown, source: string, what: string): void {
    try {
      new RegExp(source);
    } catch (error) {
      this.fail(node, `${what} "${source}" is not a valid regular expression: ${(error as Error).message}`);
    }
  }
}

function readLayer(abs: string, shown: string, files: PolicyFiles): { layer: Layer; reader: Reader } {
  let text: string;
  try {
    text = files.read(abs);
  } catch (error) {
    throw new UserError(`cannot read config ${shown}${files.where ? ` ${files.where}` : ''}: ${(error as Error).message}`);
  }
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    const offset = problem.pos?.[0];
    const where = offset === undefined ? shown : positionOf(doc, { range: [offset, offset, offset] } as unknown as Node, shown, text);
    throw new UserError(`${where}: ${problem.message.split('\n')[0]}`, 'fix the YAML syntax');
  }
  const r = new Reader(shown, doc, text);
  const layer: Layer = {
    file: shown,
    extends: [],
    switches: {},
    prodData: {},
    productionDomains: [],
    environments: { globs: [] },
    policy: {},
    overrides: {},
    allow: [],
    rules: [],
  };
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { layer, reader: r };
  for (const { key, value } of r.pairs(doc.contents, 'the config', TOP_KEYS)) {
    switch (key) {
      case 'extends':
        layer.extends = isSeq(value) ? r.strings(value, 'extends') : [{ value: r.string(value, 'extends (a path or an npm package)'), at: r.at(value) }];
        break;
      case 'failOn':
        if (isMap(value)) {
          let severity: Positioned<FailOn> | undefined;
          let locked: string | undefined;
          for (const p of r.pairs(value, 'failOn', ['severity', 'locked'])) {
            if (p.key === 'severity') severity = { value: r.failOn(p.value, 'failOn.severity'), at: r.at(p.value) };
            else locked = r.lock(p.value, 'failOn');
          }
          if (!severity) return r.fail(value, 'failOn needs a `severity`');
          layer.failOn = { ...severity, locked };
        } else layer.failOn = { value: r.failOn(value, 'failOn'), at: r.at(value) };
        break;
      case 'requireReason':
      case 'failOnNewSuppressions':
        if (isMap(value)) {
          let setting: Positioned<boolean> | undefined;
          let locked: string | undefined;
          for (const p of r.pairs(value, key, ['value', 'locked'])) {
            if (p.key === 'value') setting = { value: r.boolean(p.value, `${key}.value`), at: r.at(p.value) };
            else locked = r.lock(p.value, key);
          }
          if (!setting) return r.fail(value, `${key} needs a \`value\``);
          layer.switches[key] = { ...setting, locked };
        } else layer.switches[key] = { value: r.boolean(value, key), at: r.at(value) };
        break;
      case 'maxFileSize': {
        const n: unknown = isScalar(value) ? value.value : undefined;
        if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return r.fail(value, 'maxFileSize must be a positive whole number of bytes');
        layer.maxFileSize = { value: n, at: r.at(value) };
        break;
      }
      case 'prodData':
        for (const p of r.pairs(value, 'prodData', ['minValues', 'minKinds'])) {
          const n: unknown = isScalar(p.value) ? p.value.value : undefined;
          if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return r.fail(p.value, `prodData.${p.key} must be a positive whole number`);
          layer.prodData[p.key as 'minValues' | 'minKinds'] = { value: n, at: r.at(p.value) };
        }
        break;
      case 'suppressionMarkers':
        layer.suppressionMarkers = { value: r.strings(value, 'suppressionMarkers').map((s) => s.value), at: r.at(value) };
        break;
      case 'productionDomains':
        layer.productionDomains = r.strings(value, 'productionDomains').map((d, i) => {
          const host = d.value.toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
          if (!HOSTNAME.test(host))
            r.fail((value as { items: unknown[] }).items[i], `productionDomains: "${d.value}" is not a hostname`, 'give domains such as acme.com or api.acme.io, without scheme, port or path');
          return { value: host, at: d.at };
        });
        break;
      case 'environments':
        layer.environments.at = r.at(value);
        for (const p of r.pairs(value, 'environments')) {
          if (p.key === 'locked') {
            layer.environments.locked = r.lock(p.value, 'environments');
            continue;
          }
          const env = r.environment(p.keyNode, p.key, 'environments');
          const globs = isScalar(p.value) ? [{ value: r.string(p.value, `environments.${env}`), at: r.at(p.value) }] : r.strings(p.value, `environments.${env}`);
          for (const g of globs) layer.environments.globs.push({ env, glob: g.value, at: g.at });
        }
        break;
      case 'policy':
        for (const p of r.pairs(value, 'policy')) {
          if (!POLICY_SCOPES.includes(p.key as PolicyScope)) r.fail(p.keyNode, `unknown environment "${p.key}" in policy`, `use one of ${POLICY_SCOPES.join(', ')}`);
          const env = p.key as PolicyScope;
          const what = `policy.${env}`;
          const out: PolicyLayer = { at: r.at(p.value), rules: {} };
          for (const q of r.pairs(p.value, what, ['minSeverity', 'genericSecrets', 'maxSecretAgeDays', 'rules', 'locked'])) {
            if (q.key === 'minSeverity' || q.key === 'genericSecrets') out[q.key] = { value: r.severity(q.value, `${what}.${q.key}`), at: r.at(q.value) };
            else if (q.key === 'maxSecretAgeDays') {
              const n = r.js(q.value);
              if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return r.fail(q.value, `${what}.maxSecretAgeDays must be a positive whole number of days`);
              out.maxSecretAgeDays = { value: n, at: r.at(q.value) };
            }
            else if (q.key === 'locked') out.locked = r.lock(q.value, what);
            else for (const rule of r.pairs(q.value, `${what}.rules`)) out.rules[rule.key] = { ...r.override(rule.value, `${what}.rules.${rule.key}`, false), at: r.at(rule.keyNode) };
          }
          layer.policy[env] = out;
        }
        break;
      case 'overrides':
        for (const p of r.pairs(value, 'overrides')) layer.overrides[p.key] = { ...r.override(p.value, `overrides.${p.key}`, true), at: r.at(p.keyNode) };
        break;
      case 'allow':
        if (!isSeq(value)) return r.fail(value, '`allow` must be a list of entries');
        for (const item of value.items) layer.allow.push(readAllowEntry(r, item));
        break;
      case 'rules':
        if (!isSeq(value)) return r.fail(value, '`rules` must be a list of rules');
        for (const item of value.items) {
          r.pairs(item, 'a rule', RULE_KEYS);
          // Only read here: the engine compiles custom rules (createEngine), naming this place.
          const spec = r.js(item) as RuleSpec;
          const at = r.at(item);
          // Regex macros ({{assign}}, rules/macros.yml) expand here, as the built-in rules' do at build time.
          const expanded = (source: string, field: string[]) => {
            try {
              return expandMacros(source, loadBuiltinMacros());
            } catch (error) {
              if (!(error instanceof MacroError)) throw error;
              return r.fail((item as YAMLMap).getIn(field, true), `rule ${spec.id}: ${field.join('.')}: ${error.message}`, 'the regex macros are listed in rules/README.md ("Regex macros")');
            }
          };
          if (typeof spec.regex === 'string' && hasMacros(spec.regex)) spec.regex = expanded(spec.regex, ['regex']);
          const unless = spec.allowUnlessAfter as { after?: unknown } | undefined;
          if (unless && typeof unless === 'object' && typeof unless.after === 'string' && hasMacros(unless.after)) unless.after = expanded(unless.after, ['allowUnlessAfter', 'after']);
          const files = (spec as { files?: unknown }).files;
          if (files !== undefined && (!Array.isArray(files) || files.some((f) => typeof f !== 'string' || !f)))
            throw new UserError(`${at} (rule ${spec.id}): \`files\` must be a list of globs`);
          layer.rules.push({ value: spec, at, fields: fieldPositions(r, item as YAMLMap) });
        }
        break;
    }
  }
  return { layer, reader: r };
}

/** Where each field of a rule sits (`regex`, `examples.match[2]`), for the checks made when it loads. */
function fieldPositions(r: Reader, item: YAMLMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of item.items) {
    const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
    out[key] = r.at(pair.value ?? pair.key);
    if (key === 'examples' && isMap(pair.value))
      for (const kind of pair.value.items) {
        const name = String(isScalar(kind.key) ? kind.key.value : kind.key);
        if (isSeq(kind.value)) kind.value.items.forEach((example, i) => (out[`examples.${name}[${i}]`] = r.at(example)));
      }
  }
  return out;
}

/** The fields of a rule (rules/README.md), including the engine's `files` and `requires`. */
const RULE_KEYS = ['id', 'override', 'description', 'message', 'category', 'severity', 'keywords', 'regex', 'path', 'flags', 'secretGroup', 'entropy', 'validator', 'allow', 'allowLine', 'allowUnlessAfter', 'environments', 'files', 'requires', 'mode', 'multiline', 'generatedFiles', 'placeholders', 'randomLetters', 'literal', 'examples'];

const ALLOW_LISTS = ['rules', 'paths', 'secrets', 'lines', 'stopwords'] as const;

function readAllowEntry(r: Reader, node: unknown): Positioned<AllowEntry> & { rulesAt?: string } {
  const entry: AllowEntry = {};
  let rulesAt: string | undefined;
  for (const { key, value } of r.pairs(node, 'an allow entry', [...ALLOW_LISTS, 'reason'])) {
    if (key === 'reason') {
      entry.reason = r.string(value, 'allow.reason');
      continue;
    }
    const list = (isScalar(value) ? [{ value: r.string(value, `allow.${key}`), at: r.at(value) }] : r.strings(value, `allow.${key}`)).map((s) => s.value);
    if (key === 'secrets' || key === 'lines') list.forEach((source) => r.regex(value, source, `allow.${key}`));
    if (key === 'rules') rulesAt = r.at(value);
    entry[key as (typeof ALLOW_LISTS)[number]] = list;
  }
  if (!ALLOW_LISTS.some((k) => entry[k]?.length))
    r.fail(node, 'an allow entry needs at least one of rules, paths, secrets, lines or stopwords', 'an entry without any would silence every finding');
  const at = r.at(node);
  return { value: { ...entry, origin: at }, at, rulesAt };
}

// --- merging the layers -------------------------------------------------------------------------

interface RuleLock {
  /** The lowest severity a later layer may give the rule; undefined: the rule's own severity. */
  severity?: Severity;
  origin: string;
}

class Merger {
  readonly config = defaultConfig();
  private readonly applied = new Set<string>();
  private failOnLock?: { severity: FailOn; origin: string };
  private readonly ruleLocks = new Map<string, RuleLock>();
  private readonly policyLocks = new Map<
    PolicyScope,
    { minSeverity?: Severity; genericSecrets?: Severity; maxSecretAgeDays?: number; origin: string }
  >();
  private environmentsLock?: string;
  private readonly switchLocks = new Map<Switch, string>();
  private builtin?: Map<string, Severity>;
  /** Where each rule id was referenced, to check they exist once every layer is in. */
  private readonly references: Array<{ id: string; at: string; what: string }> = [];

  constructor(
    private readonly root: string,
    private readonly files: PolicyFiles,
  ) {}

  private shown(abs: string): string {
    const rel = relative(this.root, abs);
    if (rel === '') return '.';
    return !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
  }

  applyFile(abs: string, stack: string[]): void {
    if (this.applied.has(abs)) return;
    const shown = this.shown(abs);
    const { layer } = readLayer(abs, shown, this.files);
    for (const ext of layer.extends) {
      const target = this.resolveExtends(ext, abs);
      if (stack.includes(target) || target === abs)
        throw new UserError(`${ext.at}: extends "${ext.value}" makes a cycle: ${[...stack, abs, target].map((p) => this.shown(p)).join(' -> ')}`);
      this.applyFile(target, [...stack, abs]);
      this.config.origins[`extends.${this.shown(target)}`] ??= ext.at;
    }
    this.checkGuardrails(layer);
    this.merge(layer);
    this.applied.add(abs);
    this.config.sources.push(shown);
  }

  /** A path (relative to the extending file) or an installed npm package (and a file inside it). */
  private resolveExtends(ext: Positioned<string>, from: string): string {
    const spec = ext.value;
    const base = dirname(from);
    const files = this.files;
    const where = files.where ? ` ${files.where}` : '';
    if (spec.startsWith('.') || isAbsolute(spec)) {
      const target = resolve(base, spec);
      const kind = files.kind(target);
      if (!kind) throw new UserError(`${ext.at}: extends "${spec}": no such file (${this.shown(target)})${where}`, 'give a path relative to this config file, or an installed npm package');
      if (kind === 'folder') throw new UserError(`${ext.at}: extends "${spec}" is a folder, not a policy file`, 'name the file, e.g. extends: ./policy/keyfence.yml');
      return target;
    }
    const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/(.+))?$/i.exec(spec);
    if (!m) throw new UserError(`${ext.at}: extends "${spec}" is neither a path (./policy.yml) nor an npm package name (@acme/keyfence-policy)`);
    const [, name, subpath] = m as unknown as [string, string, string | undefined];
    let packageRoot: string | undefined;
    for (let dir = base; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (files.kind(candidate)) {
        packageRoot = candidate;
        break;
      }
      if (dirname(dir) === dir) break;
    }
    if (!packageRoot) throw new UserError(`${ext.at}: extends "${spec}": package ${name} is not installed (no node_modules/${name} above ${this.shown(base) || '.'})`, `run \`npm install --save-dev ${name}\``);
    if (subpath) {
      const target = join(packageRoot, subpath);
      if (files.kind(target) !== 'file') throw new UserError(`${ext.at}: extends "${spec}": package ${name} has no file ${subpath}`);
      return target;
    }
    let field: unknown;
    try {
      field = (JSON.parse(files.read(join(packageRoot, 'package.json'))) as { keyfence?: unknown }).keyfence;
    } catch {
      field = undefined;
    }
    if (typeof field === 'string' && files.kind(join(packageRoot, field)) === 'file') return join(packageRoot, field);
    const found = CONFIG_NAMES.map((n) => join(packageRoot, n)).find((p) => files.kind(p) === 'file');
    if (!found) throw new UserError(`${ext.at}: extends "${spec}": package ${name} has no keyfence.yml`, 'name the file (extends: "@acme/policy/strict.yml") or set "keyfence" in its package.json');
    return found;
  }

  private ruleSeverity(id: string): Severity | undefined {
    const custom = [...this.config.rules].reverse().find((r) => r.spec.id === id);
    if (custom) return custom.spec.severity;
    this.builtin ??= new Map(loadBuiltinRules().map(({ spec }) => [spec.id, spec.severity]));
    return this.builtin.get(id) ?? ENGINE_RULES.find((r) => r.id === id)?.severity;
  }

  private lockedFloor(id: string, lock: RuleLock): Severity {
    return lock.severity ?? this.config.overrides[id]?.severity ?? this.ruleSeverity(id) ?? 'low';
  }

  /** A later layer may tighten a guardrail, never loosen it. */
  private checkGuardrails(layer: Layer): void {
    const broken = (at: string, what: string, guardrail: string, origin: string): never => {
      throw new UserError(`${at}: ${what} loosens the guardrail ${guardrail} locked in ${origin}`, 'the organisation policy this config extends does not allow it; remove the setting or ask the policy owners');
    };
    const lower = (a: Severity, b: Severity) => severityRank(a) < severityRank(b);
    // failOn: a higher threshold fails on fewer findings, so raising it (up to `none`) loosens the guardrail.
    if (this.failOnLock && layer.failOn && failOnRank(layer.failOn.value) > failOnRank(this.failOnLock.severity))
      broken(layer.failOn.at, `failOn: ${layer.failOn.value}`, `"failOn: ${this.failOnLock.severity}"`, this.failOnLock.origin);
    for (const [name, lockedAt] of this.switchLocks) {
      const setting = layer.switches[name];
      if (setting?.value === false) broken(setting.at, `${name}: false`, `"${name}: true"`, lockedAt);
    }
    const checkRule = (id: string, o: OverrideLayer, where: string) => {
      const lock = this.ruleLocks.get(id);
      if (!lock) return;
      if (o.enabled?.value === false) broken(o.enabled.at, `${where}.enabled: false`, `"${id}"`, lock.origin);
      const floor = this.lockedFloor(id, lock);
      if (o.severity && lower(o.severity.value, floor)) broken(o.severity.at, `${where}.severity: ${o.severity.value}`, `"${id}" (at least ${floor})`, lock.origin);
    };
    for (const [id, o] of Object.entries(layer.overrides)) checkRule(id, o, `overrides.${id}`);
    for (const [env, p] of Object.entries(layer.policy) as Array<[PolicyScope, PolicyLayer]>) {
      const envLock = this.policyLocks.get(env);
      if (envLock) {
        const floor = envLock.minSeverity ?? 'low';
        if (p.minSeverity && lower(p.minSeverity.value, floor)) broken(p.minSeverity.at, `policy.${env}.minSeverity: ${p.minSeverity.value}`, `"policy.${env}" (minSeverity ${floor})`, envLock.origin);
        const cap = envLock.genericSecrets ?? defaultGenericSecrets(env);
        if (p.genericSecrets && lower(p.genericSecrets.value, cap)) broken(p.genericSecrets.at, `policy.${env}.genericSecrets: ${p.genericSecrets.value}`, `"policy.${env}" (genericSecrets ${cap})`, envLock.origin);
        // A longer rotation limit lets older secrets pass: raising it loosens the guardrail.
        const maxAge = envLock.maxSecretAgeDays ?? defaultMaxSecretAgeDays(env);
        if (p.maxSecretAgeDays && p.maxSecretAgeDays.value > maxAge)
          broken(p.maxSecretAgeDays.at, `policy.${env}.maxSecretAgeDays: ${p.maxSecretAgeDays.value}`, `"policy.${env}" (maxSecretAgeDays ${maxAge})`, envLock.origin);
        for (const [id, o] of Object.entries(p.rules)) {
          if (o.enabled?.value === false) broken(o.enabled.at, `policy.${env}.rules.${id}.enabled: false`, `"policy.${env}"`, envLock.origin);
          const own = this.config.overrides[id]?.severity ?? this.ruleSeverity(id);
          if (o.severity && own && lower(o.severity.value, own)) broken(o.severity.at, `policy.${env}.rules.${id}.severity: ${o.severity.value}`, `"policy.${env}"`, envLock.origin);
        }
      }
      for (const [id, o] of Object.entries(p.rules)) checkRule(id, o, `policy.${env}.rules.${id}`);
    }
    if (this.ruleLocks.size > 0) {
      for (const entry of layer.allow) {
        const covered = entry.value.rules ? entry.value.rules.filter((id) => this.ruleLocks.has(id)) : [...this.ruleLocks.keys()];
        const id = covered[0];
        if (id === undefined) continue;
        const lock = this.ruleLocks.get(id)!;
        if (!entry.value.rules)
          throw new UserError(
            `${entry.at}: this allow entry applies to every rule, so it would silence the locked guardrail "${id}" (locked in ${lock.origin})`,
            `list the rules it is for with \`rules:\`; locked rules cannot be allowlisted here`,
          );
        broken(entry.rulesAt ?? entry.at, `an allow entry for "${id}"`, `"${id}"`, lock.origin);
      }
      for (const rule of layer.rules) {
        const lock = this.ruleLocks.get(rule.value.id);
        if (lock) broken(rule.at, `a custom rule with the id "${rule.value.id}"`, `"${rule.value.id}"`, lock.origin);
      }
    }
    if (this.environmentsLock && layer.environments.globs.length > 0)
      broken(layer.environments.at ?? layer.file, '`environments`', '"environments" (how files map to environments)', this.environmentsLock);
  }

  private merge(layer: Layer): void {
    const c = this.config;
    const origins = c.origins;
    if (layer.failOn) {
      c.failOn = layer.failOn.value;
      origins.failOn = layer.failOn.at;
      if (layer.failOn.locked) {
        this.failOnLock = { severity: layer.failOn.value, origin: layer.failOn.locked };
        c.guardrails.failOn = layer.failOn.locked;
      }
    }
    for (const name of SWITCHES) {
      const setting = layer.switches[name];
      if (!setting) continue;
      c[name] = setting.value;
      origins[name] = setting.at;
      if (setting.locked && setting.value) {
        this.switchLocks.set(name, setting.locked);
        c.guardrails[name] = setting.locked;
      }
    }
    for (const key of ['minValues', 'minKinds'] as const) {
      const setting = layer.prodData[key];
      if (!setting) continue;
      c.prodData = { ...c.prodData, [key]: setting.value };
      origins[`prodData.${key}`] = setting.at;
    }
    if (layer.maxFileSize) {
      c.maxFileSize = layer.maxFileSize.value;
      origins.maxFileSize = layer.maxFileSize.at;
    }
    if (layer.suppressionMarkers) {
      c.suppressionMarkers = layer.suppressionMarkers.value;
      origins.suppressionMarkers = layer.suppressionMarkers.at;
    }
    for (const d of layer.productionDomains) {
      if (c.productionDomains.includes(d.value)) continue;
      origins[`productionDomains[${c.productionDomains.length}]`] = d.at;
      c.productionDomains.push(d.value);
    }
    for (const g of layer.environments.globs) {
      const list = (c.environments[g.env] ??= []);
      if (list.includes(g.glob)) continue;
      origins[`environments.${g.env}[${list.length}]`] = g.at;
      list.push(g.glob);
    }
    if (layer.environments.locked) {
      this.environmentsLock = layer.environments.locked;
      c.guardrails.environments = layer.environments.locked;
    }
    for (const [id, o] of Object.entries(layer.overrides)) {
      const target: RuleOverride = (c.overrides[id] ??= {});
      if (o.enabled) {
        target.enabled = o.enabled.value;
        origins[`overrides.${id}.enabled`] = o.enabled.at;
      }
      if (o.severity) {
        target.severity = o.severity.value;
        origins[`overrides.${id}.severity`] = o.severity.at;
      }
      this.references.push({ id, at: o.at, what: `overrides.${id}` });
      if (o.locked) {
        this.ruleLocks.set(id, { severity: target.severity, origin: o.locked });
        c.guardrails[`overrides.${id}`] = o.locked;
      }
    }
    for (const [env, p] of Object.entries(layer.policy) as Array<[PolicyScope, PolicyLayer]>) {
      const target = (c.policy[env] ??= {});
      for (const key of ['minSeverity', 'genericSecrets'] as const) {
        const setting = p[key];
        if (!setting) continue;
        target[key] = setting.value;
        origins[`policy.${env}.${key}`] = setting.at;
      }
      if (p.maxSecretAgeDays) {
        target.maxSecretAgeDays = p.maxSecretAgeDays.value;
        origins[`policy.${env}.maxSecretAgeDays`] = p.maxSecretAgeDays.at;
      }
      for (const [id, o] of Object.entries(p.rules)) {
        const rule: RuleOverride = ((target.rules ??= {})[id] ??= {});
        if (o.enabled) {
          rule.enabled = o.enabled.value;
          origins[`policy.${env}.rules.${id}.enabled`] = o.enabled.at;
        }
        if (o.severity) {
          rule.severity = o.severity.value;
          origins[`policy.${env}.rules.${id}.severity`] = o.severity.at;
        }
        this.references.push({ id, at: o.at, what: `policy.${env}.rules.${id}` });
      }
      if (p.locked) {
        const { minSeverity, genericSecrets, maxSecretAgeDays } = target;
        this.policyLocks.set(env, { minSeverity, genericSecrets, maxSecretAgeDays, origin: p.locked });
        c.guardrails[`policy.${env}`] = p.locked;
      }
    }
    for (const entry of layer.allow) {
      origins[`allow[${c.allow.length}]`] = entry.at;
      c.allow.push(entry.value);
      for (const id of entry.value.rules ?? []) this.references.push({ id, at: entry.rulesAt ?? entry.at, what: 'allow.rules' });
    }
    for (const rule of layer.rules) {
      origins[`rules[${c.rules.length}]`] = rule.at;
      c.rules.push({ spec: rule.value, origin: rule.at, fields: rule.fields });
    }
  }

  /** Rule ids that name no rule are errors: a typo must not silently switch nothing off. */
  finish(): KeyfenceConfig {
    if (this.references.length > 0) {
      const known = new Set([...ENGINE_RULE_IDS, ...this.config.rules.map((r) => r.spec.id)]);
      this.builtin ??= new Map(loadBuiltinRules().map(({ spec }) => [spec.id, spec.severity]));
      for (const { id, at, what } of this.references)
        if (!known.has(id) && !this.builtin.has(id)) throw new UserError(`${at}: ${what}: there is no rule "${id}"`, 'run `keyfence rules` for the built-in rule ids');
    }
    return this.config;
  }
}
