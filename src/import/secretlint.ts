import { UserError } from '../errors.js';
import type { RuleSpec } from '../rules/ruleSpec.js';
import { emptyPlan, jsonErrorLine, lineAt, type ImportPlan } from './plan.js';
import { ignoreLineToGlobs } from './pathGlob.js';
import { SECRETLINT_RULES } from './ruleMap.js';

/**
 * secretlint's configuration (`.secretlintrc.json`) and ignore file (`.secretlintignore`). Rules
 * switched off (`disabled: true`) switch off the keyfence rules that detect the same thing (the
 * table in ruleMap.ts); a rule's `allows` (values, or `/regex/flags`) become allow entries for those
 * rules; `@secretlint/secretlint-rule-pattern` patterns become custom rules; ignored paths become
 * an allow entry.
 */

interface SecretlintRule {
  id?: unknown;
  disabled?: unknown;
  options?: { allows?: unknown; patterns?: unknown };
  allowMessageIds?: unknown;
  rules?: unknown;
}

const PATTERN_RULE = '@secretlint/secretlint-rule-pattern';

/** A secretlint pattern string: `/source/flags` is a regex, anything else a literal. */
function patternSource(pattern: string): { source: string; flags: string } {
  const m = /^\/(.+)\/([gimsuy]*)$/s.exec(pattern);
  if (m) return { source: m[1]!, flags: m[2]!.replace(/[gy]/g, '') };
  return { source: pattern.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), flags: '' };
}

export async function importSecretlint(text: string, shown: string): Promise<ImportPlan> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const line = jsonErrorLine(text);
    throw new UserError(`${shown}${line ? `:${line}` : ''}: not valid JSON`, 'keyfence imports the JSON form of .secretlintrc; nothing was written');
  }
  const rules = (data as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) throw new UserError(`${shown}:1: no "rules" list`, 'give the .secretlintrc.json secretlint reads; nothing was written');
  const plan = emptyPlan('secretlint');
  let cursor = 0;
  const visit = (rule: SecretlintRule) => {
    if (!rule || typeof rule !== 'object' || typeof rule.id !== 'string')
      throw new UserError(`${shown}:${lineAt(text, cursor)}: a rule without an "id"`, 'nothing was written');
    const found = text.indexOf(JSON.stringify(rule.id), cursor);
    if (found !== -1) cursor = found;
    const from = `${shown}:${lineAt(text, cursor)}`;
    const id = rule.id;
    if (Array.isArray(rule.rules)) (rule.rules as SecretlintRule[]).forEach(visit);
    if (id === PATTERN_RULE) return importPatterns(plan, rule, from);
    if (id.endsWith('-preset-recommend')) {
      if (rule.disabled === true) plan.untranslated.push({ from, what: `${id} disabled`, reason: 'switch keyfence rules off one by one with `overrides:`' });
      return;
    }
    if (id.endsWith('secretlint-rule-filter-comments')) {
      plan.notes.push({ from, note: `${id}: keyfence honours secretlint-disable-line and secretlint-disable-next-line already (suppressionMarkers)` });
      return;
    }
    const mapped = SECRETLINT_RULES[id];
    if (!mapped) return void plan.untranslated.push({ from, what: `rule ${id}`, reason: 'no keyfence rule detects the same thing' });
    if (rule.disabled === true) for (const k of mapped) plan.disabled.push({ id: k, from: `${from} (${id})` });
    const allows = rule.options?.allows;
    if (Array.isArray(allows) && allows.length) {
      const secrets = allows.filter((a): a is string => typeof a === 'string').map(patternSource);
      const flagged = secrets.filter((s) => s.flags !== '');
      for (const s of flagged) plan.untranslated.push({ from, what: `allows /${s.source}/${s.flags}`, reason: 'allow entries take regexes without flags' });
      const plain = secrets.filter((s) => s.flags === '').map((s) => s.source);
      if (plain.length) plan.allow.push({ entry: { rules: [...mapped], secrets: plain, reason: `imported from secretlint ${id} allows` }, from });
    }
    if (Array.isArray(rule.allowMessageIds) && rule.allowMessageIds.length)
      plan.untranslated.push({ from, what: `${id} allowMessageIds`, reason: 'keyfence rules have no message ids; the mapped rules are listed in docs/migrating.md, switch them off with `overrides:`' });
  };
  (rules as SecretlintRule[]).forEach(visit);
  return plan;
}

function importPatterns(plan: ImportPlan, rule: SecretlintRule, from: string): void {
  const patterns = rule.options?.patterns;
  if (!Array.isArray(patterns)) return;
  for (const p of patterns as Array<{ name?: unknown; pattern?: unknown }>) {
    if (typeof p?.name !== 'string' || typeof p.pattern !== 'string') {
      plan.untranslated.push({ from, what: 'a pattern', reason: 'it needs a "name" and a "pattern"' });
      continue;
    }
    const { source, flags } = patternSource(p.pattern);
    const id = `secretlint-${p.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
    const spec: RuleSpec = {
      id,
      description: `${p.name} (imported from secretlint)`,
      category: 'live-key',
      severity: 'high',
      keywords: [],
      regex: source,
      ...(flags ? { flags } : {}),
      secretGroup: 0,
      examples: { match: [], noMatch: [] },
    };
    plan.rules.push({ spec, from });
  }
}

/** `.secretlintignore` (gitignore syntax) as one allow entry for every rule. */
export function importSecretlintIgnore(plan: ImportPlan, text: string, shown: string): void {
  const paths: string[] = [];
  text.split('\n').forEach((line, i) => {
    const globs = ignoreLineToGlobs(line);
    if (!globs) return;
    if (globs.ok) paths.push(...globs.globs);
    else plan.untranslated.push({ from: `${shown}:${i + 1}`, what: line.trim(), reason: globs.reason });
  });
  if (paths.length) plan.allow.push({ entry: { paths, reason: 'imported from .secretlintignore' }, from: shown });
}
