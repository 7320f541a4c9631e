import { failOnRank } from '../findings/failOn.js';
import { severityRank, type Environment, type Severity } from '../findings/finding.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { defaultGenericSecrets, defaultMaxSecretAgeDays, POLICY_SCOPES, type AllowEntry, type KeyfenceConfig, type PolicyScope, type RuleOverride } from './config.js';

/**
 * How a change to keyfence's own configuration weakens it: the head's effective configuration
 * against the base's. Only loosening counts (a rule switched off or graded lower, a higher failOn,
 * an allow entry, a file moved out of production...); tightening is the author's to do freely.
 */
export interface Loosening {
  /**
   * Where the change is, as `file:line:col` of the head; undefined when the change removed a
   * setting (the caller places it).
   */
  at: string | undefined;
  /** For a removed setting: the file (repository-relative) that held it at the base. */
  removedFrom?: string;
  message: string;
  /** What changed, as fingerprint material: stable across runs, no line number. */
  what: string;
}

export interface LooseningContext {
  /** Severity of a rule before any override (built-in, engine, or the config's custom rule); undefined when unknown. */
  ruleSeverity(config: KeyfenceConfig, id: string): Severity | undefined;
  /**
   * The environment of a path under a configuration (its globs, then the path conventions), and
   * the glob's place when a glob decided.
   */
  placement(config: KeyfenceConfig, file: string): { environment: Environment; at?: string | undefined };
  /** The files of the head, for the environments a change of globs moves them out of. */
  files(): string[];
}

const DEFAULT_FAIL_ON: Severity = 'medium';
const lower = (a: Severity, b: Severity) => severityRank(a) < severityRank(b);
const fileOf = (at: string | undefined) => (at ? /^(.*):\d+:\d+$/.exec(at)?.[1] : undefined);

/**
 * The file a removed setting is shown in: the one that held it at the base while the head still
 * reads it, else the file that extended it (up the base's `extends` chain): a policy the head no
 * longer extends (an npm package in node_modules, even) was not edited, the `extends` was dropped.
 */
function heldIn(base: KeyfenceConfig, head: KeyfenceConfig, baseAt: string | undefined): string | undefined {
  const file = fileOf(baseAt);
  for (let f = file; f; f = fileOf(base.origins[`extends.${f}`])) if (head.sources.includes(f)) return f;
  return file;
}

/** Fields of a custom rule that decide what it matches (not its wording or examples). */
const MATCHING_FIELDS: Array<keyof RuleSpec> = [
  'regex', 'path', 'keywords', 'flags', 'secretGroup', 'entropy', 'validator', 'allow', 'allowLine', 'allowUnlessAfter', 'files', 'requires', 'mode',
  'environments', 'multiline', 'generatedFiles', 'placeholders', 'randomLetters', 'literal',
];

export function policyLoosenings(base: KeyfenceConfig, head: KeyfenceConfig, ctx: LooseningContext): Loosening[] {
  const out: Loosening[] = [];
  const removed = (baseAt: string | undefined, message: string, what: string) => {
    const file = heldIn(base, head, baseAt);
    out.push({ at: undefined, ...(file ? { removedFrom: file } : {}), message, what });
  };
  const changed = (at: string | undefined, baseAt: string | undefined, message: string, what: string) =>
    at ? out.push({ at, message, what }) : removed(baseAt, message, what);

  // Thresholds and switches.
  const failOn = { base: base.failOn ?? DEFAULT_FAIL_ON, head: head.failOn ?? DEFAULT_FAIL_ON };
  if (failOnRank(failOn.base) < failOnRank(failOn.head))
    changed(head.origins.failOn, base.origins.failOn, `failOn raised from ${failOn.base} to ${failOn.head}: fewer findings fail the check`, `failOn:${failOn.head}`);
  if (base.requireReason === true && head.requireReason !== true)
    changed(head.origins.requireReason, base.origins.requireReason, 'requireReason switched off: allow entries and inline markers silence findings without saying why', 'requireReason');
  if (base.failOnNewSuppressions === true && head.failOnNewSuppressions !== true)
    changed(head.origins.failOnNewSuppressions, base.origins.failOnNewSuppressions, 'failOnNewSuppressions switched off: inline markers a pull request adds no longer fail the check', 'failOnNewSuppressions');
  if (head.maxFileSize < base.maxFileSize)
    changed(head.origins.maxFileSize, base.origins.maxFileSize, `maxFileSize lowered from ${base.maxFileSize} to ${head.maxFileSize} bytes: larger files are passed over`, `maxFileSize:${head.maxFileSize}`);
  for (const key of ['minValues', 'minKinds'] as const)
    if (head.prodData[key] > base.prodData[key])
      changed(
        head.origins[`prodData.${key}`],
        base.origins[`prodData.${key}`],
        `prodData.${key} raised from ${base.prodData[key]} to ${head.prodData[key]}: files need more personal data to be reported`,
        `prodData.${key}:${head.prodData[key]}`,
      );
  const markers = head.suppressionMarkers.filter((m) => !base.suppressionMarkers.includes(m));
  if (markers.length > 0)
    changed(head.origins.suppressionMarkers, base.origins.suppressionMarkers, `suppressionMarkers adds ${markers.map((m) => `"${m}"`).join(', ')}: more inline comments silence findings`, `markers:${markers.join('\0')}`);
  base.productionDomains.forEach((domain, i) => {
    if (!head.productionDomains.includes(domain))
      removed(base.origins[`productionDomains[${i}]`], `productionDomains no longer lists ${domain}: its hosts in other environments are not reported`, `domain:${domain}`);
  });

  // Rules: switched off or graded lower, everywhere or in one environment.
  const ids = new Set([...Object.keys(base.overrides), ...Object.keys(head.overrides)]);
  const reported = new Set<string>();
  for (const scope of POLICY_SCOPES)
    for (const id of Object.keys({ ...base.policy[scope]?.rules, ...head.policy[scope]?.rules })) ids.add(id);
  for (const id of ids) {
    for (const scope of [undefined, ...POLICY_SCOPES]) {
      const key = scope ? `policy.${scope}.rules.${id}` : `overrides.${id}`;
      const where = scope ? ` in ${scope} files` : '';
      const b = effectiveRule(base, id, scope, ctx);
      const h = effectiveRule(head, id, scope, ctx);
      // A global switch shows in every scope: report it once, where it was set.
      const once = (at: string | undefined, baseAt: string | undefined, what: string) => {
        const seen = `${at ?? baseAt ?? key}|${what}`;
        return !reported.has(seen) && Boolean(reported.add(seen));
      };
      // Global when the setting that decides is the override: the head's, or for a removal the base's.
      const global = (at: string | undefined, baseAt: string | undefined, field: keyof RuleOverride) =>
        at ? at === head.origins[`overrides.${id}.${field}`] : baseAt === base.origins[`overrides.${id}.${field}`];
      if (b.enabled && !h.enabled) {
        if (once(h.enabledAt, b.enabledAt, `${id}:off`)) changed(h.enabledAt, b.enabledAt, `rule ${id} switched off${global(h.enabledAt, b.enabledAt, 'enabled') ? '' : where}`, `${key}:off`);
      } else if (b.enabled && h.enabled && b.severity && h.severity && (h.severityAt ?? b.severityAt) && lower(h.severity, b.severity)) {
        // (When no override grades it on either side, the rule's own severity changed: a custom rule, reported below.)
        const scoped = global(h.severityAt, b.severityAt, 'severity') ? '' : where;
        if (once(h.severityAt, b.severityAt, `${id}:${h.severity}`)) changed(h.severityAt, b.severityAt, `rule ${id} downgraded from ${b.severity} to ${h.severity}${scoped}`, `${key}:${h.severity}`);
      }
    }
  }
  for (const scope of POLICY_SCOPES) {
    const b = base.policy[scope] ?? {};
    const h = head.policy[scope] ?? {};
    const floor = { base: b.minSeverity ?? 'low', head: h.minSeverity ?? 'low' };
    if (lower(floor.head, floor.base))
      changed(head.origins[`policy.${scope}.minSeverity`], base.origins[`policy.${scope}.minSeverity`], `policy.${scope}.minSeverity lowered from ${floor.base} to ${floor.head}`, `policy.${scope}.minSeverity:${floor.head}`);
    const cap = { base: b.genericSecrets ?? defaultGenericSecrets(scope), head: h.genericSecrets ?? defaultGenericSecrets(scope) };
    if (lower(cap.head, cap.base))
      changed(
        head.origins[`policy.${scope}.genericSecrets`],
        base.origins[`policy.${scope}.genericSecrets`],
        `policy.${scope}.genericSecrets lowered from ${cap.base} to ${cap.head}: passwords, private keys and tokens in ${scope} files weigh less`,
        `policy.${scope}.genericSecrets:${cap.head}`,
      );
    const maxAge = {
      base: b.maxSecretAgeDays ?? defaultMaxSecretAgeDays(scope),
      head: h.maxSecretAgeDays ?? defaultMaxSecretAgeDays(scope),
    };
    if (maxAge.head > maxAge.base)
      changed(
        head.origins[`policy.${scope}.maxSecretAgeDays`],
        base.origins[`policy.${scope}.maxSecretAgeDays`],
        `policy.${scope}.maxSecretAgeDays raised from ${maxAge.base} to ${maxAge.head}: older secrets pass the rotation check`,
        `policy.${scope}.maxSecretAgeDays:${maxAge.head}`,
      );
  }

  // Allow entries the base does not have.
  const known = new Set(base.allow.map(allowKey));
  head.allow.forEach((entry, i) => {
    if (known.has(allowKey(entry))) return;
    const parts = [`rules ${entry.rules?.join(', ') ?? 'all'}`];
    if (entry.paths) parts.push(`paths ${entry.paths.join(', ')}`);
    if (entry.secrets) parts.push(`secrets matching ${entry.secrets.length} pattern${entry.secrets.length === 1 ? '' : 's'}`);
    if (entry.lines) parts.push(`lines matching ${entry.lines.length} pattern${entry.lines.length === 1 ? '' : 's'}`);
    if (entry.stopwords) parts.push(`stopwords ${entry.stopwords.join(', ')}`);
    changed(head.origins[`allow[${i}]`], undefined, `allow entry added (${parts.join('; ')})${entry.reason ? `: "${entry.reason}"` : ''}`, `allow:${allowKey(entry)}`);
  });

  // Custom rules removed, graded lower, or matching differently.
  const headRules = new Map(head.rules.map((r, i) => [r.spec.id, { ...r, at: head.origins[`rules[${i}]`] ?? r.origin }]));
  base.rules.forEach((rule, i) => {
    const id = rule.spec.id;
    const now = headRules.get(id);
    if (!now) return removed(base.origins[`rules[${i}]`] ?? rule.origin, `custom rule ${id} removed`, `rule:${id}:removed`);
    if (lower(now.spec.severity, rule.spec.severity)) changed(now.at, undefined, `custom rule ${id} downgraded from ${rule.spec.severity} to ${now.spec.severity}`, `rule:${id}:${now.spec.severity}`);
    const fields = MATCHING_FIELDS.filter((f) => JSON.stringify(rule.spec[f]) !== JSON.stringify(now.spec[f]));
    if (fields.length > 0) changed(now.at, undefined, `custom rule ${id} changes what it matches (${fields.join(', ')})`, `rule:${id}:${fields.join(',')}:${JSON.stringify(fields.map((f) => now.spec[f]))}`);
  });

  // Guardrails and the policies extended.
  for (const [setting, lockedAt] of Object.entries(base.guardrails))
    if (head.guardrails[setting] === undefined) removed(lockedAt, `guardrail ${setting} is no longer locked (it was locked at ${lockedAt})`, `unlocked:${setting}`);
  for (const source of base.sources.slice(0, -1))
    if (!head.sources.includes(source)) removed(base.origins[`extends.${source}`], `no longer extends ${source}`, `extends:${source}`);

  out.push(...reclassified(base, head, ctx));
  return out;
}

/**
 * Files the base puts in production (or outside test) that the head's `environments` globs move
 * out of it (or into test).
 */
function reclassified(base: KeyfenceConfig, head: KeyfenceConfig, ctx: LooseningContext): Loosening[] {
  if (JSON.stringify(base.environments) === JSON.stringify(head.environments)) return [];
  type Move = { from: Environment; to: Environment; files: string[]; at: string | undefined; baseAt: string | undefined };
  const moves = new Map<string, Move>();
  for (const file of ctx.files()) {
    const before = ctx.placement(base, file);
    const after = ctx.placement(head, file);
    const [from, to] = [before.environment, after.environment];
    if (from === to || !(from === 'production' || to === 'test')) continue;
    const at = after.at;
    const baseAt = before.at;
    const key = `${from}>${to}>${at ?? baseAt ?? ''}`;
    const move = moves.get(key) ?? { from, to, files: [], at, baseAt };
    move.files.push(file);
    moves.set(key, move);
  }
  return [...moves.values()].map(({ from, to, files, at, baseAt }) => {
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ` and ${files.length - 3} more` : '');
    const message = `environments moves ${files.length} file${files.length === 1 ? '' : 's'} from ${from} to ${to} (${shown})`;
    const what = `environments:${from}>${to}:${files.join('\0')}`;
    const file = heldIn(base, head, baseAt);
    return at ? { at, message, what } : { at: undefined, ...(file ? { removedFrom: file } : {}), message, what };
  });
}

interface EffectiveRule {
  enabled: boolean;
  enabledAt: string | undefined;
  severity: Severity | undefined;
  severityAt: string | undefined;
}

/** A rule as a scope sees it: the scope's own switch and grade, else the global override, else the rule's. */
function effectiveRule(config: KeyfenceConfig, id: string, scope: PolicyScope | undefined, ctx: LooseningContext): EffectiveRule {
  const global = config.overrides[id];
  const own = scope ? config.policy[scope]?.rules?.[id] : undefined;
  const o = config.origins;
  const enabledAt = own?.enabled !== undefined ? o[`policy.${scope}.rules.${id}.enabled`] : global?.enabled !== undefined ? o[`overrides.${id}.enabled`] : undefined;
  const severityAt = own?.severity !== undefined ? o[`policy.${scope}.rules.${id}.severity`] : global?.severity !== undefined ? o[`overrides.${id}.severity`] : undefined;
  return {
    enabled: (own?.enabled ?? global?.enabled) !== false,
    enabledAt,
    severity: own?.severity ?? global?.severity ?? ctx.ruleSeverity(config, id),
    severityAt,
  };
}

function allowKey(entry: AllowEntry): string {
  const { origin: _origin, ...rest } = entry;
  return JSON.stringify(rest, Object.keys(rest).sort());
}
