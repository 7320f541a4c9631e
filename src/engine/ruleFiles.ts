import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { SourcedRule } from '../rules/builtinRules.js';
import { RuleError } from './compiledRule.js';
import type { RuleSpec } from '../rules/ruleSpec.js';

/** Reads the rule files of a folder (rules/*.yml), with their examples: for the build and the tests. */
export function loadRuleDirectory(directory: string): SourcedRule[] {
  const files = readdirSync(directory).filter((f) => f.endsWith('.yml')).sort();
  return files.flatMap((file) => loadRuleFile(join(directory, file), `rules/${file}`));
}

function loadRuleFile(path: string, origin: string): SourcedRule[] {
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
