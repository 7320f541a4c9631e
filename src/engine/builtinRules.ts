import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { RuleSpec } from './ruleSpec.js';

/** A rule with the file it came from, for error messages and the docs check. */
export interface SourcedRule {
  spec: RuleSpec;
  origin: string;
}

/**
 * The built-in rules, pre-parsed by the build into dist/rules.json (no YAML parser at start-up, no
 * examples): beside the bundle, or in dist/ when running from source (tests build it first).
 */
export function loadBuiltinRules(): SourcedRule[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const path = [join(here, 'rules.json'), join(here, '..', '..', 'dist', 'rules.json')].find((p) => existsSync(p));
  if (!path) throw new Error('the built-in rules (dist/rules.json) are missing: run `npm run build`');
  return JSON.parse(readFileSync(path, 'utf8')) as SourcedRule[];
}

