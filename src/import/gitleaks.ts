import type { AllowEntry } from '../config/config.js';
import { UserError } from '../errors.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { asBareSource, convertGoRegex, type Converted } from './goRegex.js';
import { pathRegexToGlobs } from './pathGlob.js';
import { emptyPlan, type ImportPlan, type PinnedFinding } from './plan.js';
import { GITLEAKS_RULES } from './ruleMap.js';

/**
 * gitleaks' configuration (`.gitleaks.toml`, gitleaks v8) as keyfence rules, allow entries and
 * switched-off rules. Read from the TOML gitleaks documents: `[[rules]]` with `regex`, `path`,
 * `secretGroup`, `entropy`, `keywords` and per-rule allowlists (`[rules.allowlist]`, or
 * `[[rules.allowlists]]` since v8.21), the global `[allowlist]` / `[[allowlists]]` (with
 * `targetRules`), and `[extend]` (`useDefault`, `disabledRules`, `path`).
 */

interface GitleaksAllowlist {
  description?: string;
  condition?: string;
  commits?: string[];
  paths?: string[];
  regexTarget?: string;
  regexes?: string[];
  stopwords?: string[];
  targetRules?: string[];
}

interface GitleaksRule {
  id?: string;
  description?: string;
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  tags?: string[];
  skipReport?: boolean;
  allowlist?: GitleaksAllowlist;
  allowlists?: GitleaksAllowlist[];
}

interface GitleaksConfig {
  title?: string;
  extend?: { useDefault?: boolean; path?: string; url?: string; disabledRules?: string[] };
  rules?: GitleaksRule[];
  allowlist?: GitleaksAllowlist;
  allowlists?: GitleaksAllowlist[];
}

/** Lines of the TOML table headers, in order, so each item can say where it came from. */
function headerLines(text: string): Array<{ header: string; line: number }> {
  const out: Array<{ header: string; line: number }> = [];
  text.split('\n').forEach((l, i) => {
    const m = /^\s*(\[\[?\s*[\w.]+\s*\]\]?)/.exec(l);
    if (m) out.push({ header: m[1]!.replace(/\s+/g, ''), line: i + 1 });
  });
  return out;
}

async function parseToml(text: string, shown: string): Promise<Record<string, unknown>> {
  const { parse, TomlError } = await import('smol-toml');
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) throw new UserError(`${shown}:${error.line}: ${error.message.split('\n')[0]}`, 'fix the TOML syntax; nothing was written');
    throw error;
  }
}

/** Checks the shape gitleaks would read; a wrong type is a one-line error naming file and line. */
function checkShape(config: GitleaksConfig, shown: string, headers: ReturnType<typeof headerLines>): void {
  const ruleLines = headers.filter((h) => h.header === '[[rules]]').map((h) => h.line);
  const fail = (line: number | undefined, message: string): never => {
    throw new UserError(`${shown}${line ? `:${line}` : ''}: ${message}`, 'fix the gitleaks config; nothing was written');
  };
  if (config.rules !== undefined && !Array.isArray(config.rules)) fail(undefined, '`rules` must be an array of tables ([[rules]])');
  (config.rules ?? []).forEach((rule, i) => {
    const line = ruleLines[i];
    if (typeof rule.id !== 'string' || rule.id === '') fail(line, 'a [[rules]] entry has no `id`');
    if (rule.regex === undefined && rule.path === undefined) fail(line, `rule ${rule.id}: needs \`regex\` or \`path\``);
    for (const key of ['regex', 'path', 'description'] as const)
      if (rule[key] !== undefined && typeof rule[key] !== 'string') fail(line, `rule ${rule.id}: \`${key}\` must be a string`);
    if (rule.keywords !== undefined && (!Array.isArray(rule.keywords) || rule.keywords.some((k) => typeof k !== 'string')))
      fail(line, `rule ${rule.id}: \`keywords\` must be a list of strings`);
    if (rule.entropy !== undefined && typeof rule.entropy !== 'number') fail(line, `rule ${rule.id}: \`entropy\` must be a number`);
    if (rule.secretGroup !== undefined && (!Number.isInteger(rule.secretGroup) || rule.secretGroup < 0)) fail(line, `rule ${rule.id}: \`secretGroup\` must be a whole number`);
  });
}

/** A keyfence rule id for a gitleaks one: kept, unless a built-in rule has it (then prefixed). */
function keyfenceId(id: string, builtin: ReadonlySet<string>): string {
  const kebab = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return builtin.has(kebab) ? `gitleaks-${kebab}` : kebab;
}

export interface GitleaksImport {
  plan: ImportPlan;
  /** gitleaks rule id -> keyfence rule ids, for `.gitleaksignore`. */
  ruleIds: Map<string, string[]>;
}

export async function importGitleaks(text: string, shown: string, builtin: ReadonlySet<string>): Promise<GitleaksImport> {
  const config = (await parseToml(text, shown)) as GitleaksConfig;
  const headers = headerLines(text);
  checkShape(config, shown, headers);
  const plan = emptyPlan('gitleaks');
  const ruleIds = new Map<string, string[]>(Object.entries(GITLEAKS_RULES).map(([k, v]) => [k, [...v]]));
  const at = (line: number | undefined) => `${shown}${line ? `:${line}` : ''}`;
  const extendLine = headers.find((h) => h.header === '[extend]')?.line;

  // [extend]: keyfence's built-in rules are always on, so `useDefault` needs nothing.
  const extend = config.extend;
  if (extend?.path || extend?.url)
    plan.untranslated.push({ from: at(extendLine), what: `[extend] ${extend.path ? `path = "${extend.path}"` : `url = "${extend.url}"`}`, reason: 'import that config too (`keyfence import gitleaks FILE`); keyfence.yml `extends:` takes keyfence policies only' });
  if (extend?.useDefault !== true)
    plan.notes.push({ from: at(extendLine), note: 'gitleaks ran only the rules of this file (no `[extend] useDefault = true`); keyfence runs its built-in rules as well' });
  for (const id of extend?.disabledRules ?? []) {
    const mapped = GITLEAKS_RULES[id];
    if (mapped) for (const k of mapped) plan.disabled.push({ id: k, from: `${at(extendLine)} (disabledRules ${id})` });
    else plan.untranslated.push({ from: at(extendLine), what: `disabledRules "${id}"`, reason: 'no keyfence rule detects the same thing' });
  }

  const ruleLines = headers.filter((h) => h.header === '[[rules]]').map((h) => h.line);
  (config.rules ?? []).forEach((rule, index) => {
    const line = ruleLines[index];
    const nextLine = ruleLines[index + 1] ?? Infinity;
    const allowLines = headers.filter((h) => h.line > (line ?? 0) && h.line < nextLine && /^\[\[?rules\.allowlists?\]\]?$/.test(h.header)).map((h) => h.line);
    importRule(plan, rule, at(line), allowLines.map(at), builtin, ruleIds);
  });

  const globalLines = headers.filter((h) => h.header === '[allowlist]' || h.header === '[[allowlists]]').map((h) => h.line);
  const globals = [...(config.allowlist ? [config.allowlist] : []), ...(config.allowlists ?? [])];
  globals.forEach((list, i) => {
    const targets = list.targetRules?.flatMap((id) => ruleIds.get(id) ?? []);
    if (list.targetRules && targets?.length === 0) {
      plan.untranslated.push({ from: at(globalLines[i]), what: `allowlist for ${list.targetRules.join(', ')}`, reason: 'none of its targetRules has a keyfence rule' });
      return;
    }
    importAllowlist(plan, list, at(globalLines[i]), targets, undefined);
  });
  return { plan, ruleIds };
}

function importRule(
  plan: ImportPlan,
  rule: GitleaksRule,
  from: string,
  allowFrom: string[],
  builtin: ReadonlySet<string>,
  ruleIds: Map<string, string[]>,
): void {
  const gid = rule.id!;
  const id = keyfenceId(gid, builtin);
  const what = `rule ${gid}`;
  if (rule.skipReport) {
    plan.untranslated.push({ from, what, reason: '`skipReport` rules only feed composite rules, which keyfence does not have' });
    return;
  }
  const spec: RuleSpec = {
    id,
    description: rule.description || `${gid} (imported from gitleaks)`,
    category: 'live-key',
    severity: 'high',
    keywords: [...new Set((rule.keywords ?? []).map((k) => k.toLowerCase()))],
    examples: { match: [], noMatch: [] },
  };
  if (id !== gid) plan.notes.push({ from, note: `${what}: renamed ${id}, since keyfence has a built-in rule "${gid}"` });
  if (rule.regex !== undefined) {
    const regex = convertGoRegex(rule.regex);
    if (!regex.ok) return void plan.untranslated.push({ from, what, reason: `regex: ${regex.reason}` });
    spec.regex = regex.source;
    if (regex.flags) spec.flags = regex.flags;
    for (const note of regex.notes) plan.notes.push({ from, note: `${what}: ${note}` });
    if (rule.path !== undefined) {
      // A content rule scoped to paths: keyfence scopes with globs.
      const globs = pathRegexToGlobs(rule.path);
      if (!globs.ok) return void plan.untranslated.push({ from, what, reason: `path: ${globs.reason}` });
      spec.files = globs.globs;
    }
  } else {
    const path = convertGoRegex(rule.path!);
    if (!path.ok) return void plan.untranslated.push({ from, what, reason: `path: ${path.reason}` });
    spec.path = path.source;
    if (!path.flags.includes('i')) plan.notes.push({ from, note: `${what}: keyfence path rules are case-insensitive` });
  }
  if (rule.secretGroup) spec.secretGroup = rule.secretGroup;
  if (rule.entropy) spec.entropy = rule.entropy;
  const lists = [...(rule.allowlist ? [rule.allowlist] : []), ...(rule.allowlists ?? [])];
  lists.forEach((list, i) => importAllowlist(plan, list, allowFrom[i] ?? from, [id], spec));
  // Examples last, as in rules/*.yml: gitleaks' TOML carries none, keyfence runs them once filled in.
  const { examples, ...fields } = spec;
  plan.rules.push({ spec: { ...fields, examples }, from });
  ruleIds.set(gid, [id]);
}

/** A regex of an allowlist, converted for a place without flags, or the reason it cannot be. */
function bare(source: string): Converted {
  const converted = convertGoRegex(source);
  return converted.ok ? asBareSource(converted) : converted;
}

/**
 * One gitleaks allowlist. gitleaks' default condition is OR (any of commits, paths, regexes,
 * stopwords allows); a keyfence allow entry drops a finding when all it sets match, so OR becomes one
 * entry per criterion and AND one entry with them all. Regexes on the secret of a rule's own
 * allowlist go into the rule's `allow:`.
 */
function importAllowlist(
  plan: ImportPlan,
  list: GitleaksAllowlist,
  from: string,
  rules: string[] | undefined,
  spec: RuleSpec | undefined,
): void {
  const what = `allowlist${list.description ? ` "${list.description}"` : ''}`;
  const reason = `imported from gitleaks${list.description ? `: ${list.description}` : ''}`;
  const and = (list.condition ?? 'OR').toUpperCase() === 'AND';
  const target = (list.regexTarget ?? 'secret').toLowerCase();
  const scope = rules ? { rules } : {};
  if (list.commits?.length) {
    plan.untranslated.push({ from, what: `${what}: commits ${list.commits.join(', ')}`, reason: 'keyfence allowlists do not name commits; record those findings with `keyfence baseline --history`' });
    if (and) return void plan.untranslated.push({ from, what, reason: 'its condition is AND with commits, which keyfence cannot express' });
  }
  const paths: string[] = [];
  for (const p of list.paths ?? []) {
    const globs = pathRegexToGlobs(p);
    if (globs.ok) paths.push(...globs.globs);
    else plan.untranslated.push({ from, what: `${what}: path "${p}"`, reason: globs.reason });
  }
  const regexes: string[] = [];
  for (const r of list.regexes ?? []) {
    const converted = bare(r);
    if (converted.ok) regexes.push(converted.source);
    else plan.untranslated.push({ from, what: `${what}: regex "${r}"`, reason: converted.reason });
  }
  if (target === 'match' && regexes.length) plan.notes.push({ from, note: `${what}: regexes on the match were moved to the whole line (keyfence tests the secret or the line)` });
  const regexField: 'secrets' | 'lines' = target === 'secret' ? 'secrets' : 'lines';
  const stopwords = (list.stopwords ?? []).map((w) => w.toLowerCase());
  if (and) {
    const entry: AllowEntry = { ...scope, reason };
    if (paths.length) entry.paths = paths;
    if (regexes.length) entry[regexField] = regexes;
    if (stopwords.length) entry.stopwords = stopwords;
    if (entry.paths || entry[regexField] || entry.stopwords) plan.allow.push({ entry, from });
    return;
  }
  if (paths.length) plan.allow.push({ entry: { ...scope, paths, reason }, from });
  if (regexes.length) {
    if (spec && regexField === 'secrets') spec.allow = [...(spec.allow ?? []), ...regexes];
    else plan.allow.push({ entry: { ...scope, [regexField]: regexes, reason }, from });
  }
  if (stopwords.length) plan.allow.push({ entry: { ...scope, stopwords, reason }, from });
}

/**
 * `.gitleaksignore`: one fingerprint a line, `commit:file:rule:line` (history) or `file:rule:line`
 * (files). A file name may itself hold colons, so the fields are read from both ends.
 */
export function readGitleaksIgnore(text: string, shown: string, ruleIds: ReadonlyMap<string, string[]>): PinnedFinding[] {
  const out: PinnedFinding[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const from = `${shown}:${i + 1}`;
    const parts = line.split(':');
    const lineNo = Number(parts.at(-1));
    if (parts.length < 3 || !Number.isInteger(lineNo) || lineNo < 1)
      throw new UserError(`${from}: "${line.slice(0, 80)}" is not a gitleaks fingerprint (commit:file:rule:line or file:rule:line)`, 'fix or remove the line; nothing was written');
    const rule = parts.at(-2)!;
    const commit = parts.length >= 4 && /^[0-9a-f]{7,64}$/i.test(parts[0]!) ? parts[0] : undefined;
    const file = parts.slice(commit ? 1 : 0, -2).join(':');
    const mapped = ruleIds.get(rule);
    out.push({ from, file, line: lineNo, rule, ...(mapped ? { keyfenceRules: mapped } : {}), ...(commit ? { commit } : {}) });
  });
  return out;
}
