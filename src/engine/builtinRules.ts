import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { RuleSpec } from './ruleSpec.js';
import { RuleError } from './compiledRule.js';

/** A rule with the file it came from, for error messages and the docs check. */
export interface SourcedRule {
  spec: RuleSpec;
  origin: string;
}

/**
 * The built-in rules. The published bundle carries them pre-parsed in dist/rules.json (no YAML
 * parsing at start-up, no examples); from source they are read from rules/*.yml.
 */
export function loadBuiltinRules(): SourcedRule[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'rules.json');
  if (existsSync(bundled)) return JSON.parse(readFileSync(bundled, 'utf8')) as SourcedRule[];
  return loadRuleDirectory(join(here, '..', '..', 'rules'));
}

export function loadRuleDirectory(directory: string): SourcedRule[] {
  const files = readdirSync(directory).filter((f) => f.endsWith('.yml')).sort();
  return files.flatMap((file) => loadRuleFile(join(directory, file), `rules/${file}`));
}

export function loadRuleFile(path: string, origin: string): SourcedRule[] {
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new RuleError(pos ? `${origin}:${pos.line}:${pos.col}` : origin, error.message.split('\n')[0]!);
  }
  const data = doc.toJS() as { rules?: RuleSpec[] } | null;
  if (!data || !Array.isArray(data.rules)) throw new RuleError(origin, 'expected a top-level `rules:` list');
  return data.rules.map((spec) => ({ spec, origin }));
}
