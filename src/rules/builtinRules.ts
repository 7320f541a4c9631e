import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { expandMacros, type Macros } from './macros.js';
import type { RuleSpec } from './ruleSpec.js';

/** A rule with the file it came from, for error messages and the docs check. */
export interface SourcedRule {
  spec: RuleSpec;
  origin: string;
  /** The number of capture groups of `spec.regex`, when the build counted them. */
  groups?: number;
  /** `spec.files` compiled by the build: regex sources of the globs to include (case-insensitive) and to exclude. */
  filesPattern?: { include: string; exclude?: string };
}

/**
 * The built-in rules, pre-parsed by the build into dist/rules.json (no YAML parser at start-up, no
 * examples): beside the bundle, or in dist/ when running from source (tests build it first).
 */
export function loadBuiltinRules(): readonly SourcedRule[] {
  if (!rules) {
    const path = builtPath('rules.json');
    if (!path) throw new Error('the built-in rules (dist/rules.json) are missing: run `npm run build`');
    // Read once per process and shared by every engine, reporter and config check: the list, each
    // rule and its spec are frozen. Not deeper: freezing every nested array and object took longer
    // than parsing the file (V8 gives each frozen array a slower shape), on every commit.
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as SourcedRule[];
    for (const rule of parsed) {
      // A regex with an escaped `\{{` and no macro only expands to itself.
      if (rule.spec.regex?.includes('{{')) expandOnFirstRead(rule.spec);
      Object.freeze(Object.freeze(rule).spec);
    }
    rules = Object.freeze(parsed);
  }
  return rules;
}

/**
 * The file holds each regex as written, `{{assign}}` and all (scripts/build.mjs): expanded, the
 * macros were two thirds of its 320 kB, which every commit's hook read and parsed, while a hook
 * compiles a dozen regexes. Whoever reads `regex` gets it expanded, computed then.
 */
function expandOnFirstRead(spec: RuleSpec): void {
  const written = spec.regex!;
  let expanded: string | undefined;
  Object.defineProperty(spec, 'regex', { enumerable: true, get: () => (expanded ??= expandMacros(written, loadBuiltinMacros())) });
}

let rules: readonly SourcedRule[] | undefined;

/**
 * The built-in regex macros (rules/macros.yml, written by the build into dist/macros.json), which
 * custom rules in keyfence.yml may use as the built-in ones do. Read only when a custom rule does.
 */
export function loadBuiltinMacros(): Macros {
  if (!macros) {
    const path = builtPath('macros.json');
    if (!path) throw new Error('the built-in regex macros (dist/macros.json) are missing: run `npm run build`');
    macros = deepFreeze(JSON.parse(readFileSync(path, 'utf8')) as Macros);
  }
  return macros;
}

let macros: Macros | undefined;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** A file the build writes: beside the bundle, or in dist/ when running from source. */
export function builtPath(name: string): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, name), join(here, '..', '..', 'dist', name)].find((p) => existsSync(p));
}

