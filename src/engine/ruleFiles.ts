import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { SourcedRule } from '../rules/builtinRules.js';
import { checkMacros, expandMacros, MACRO_FILE, MacroError, type Macros } from '../rules/macros.js';
import { RuleError } from './compiledRule.js';
import type { RuleSpec } from '../rules/ruleSpec.js';

/**
 * Reads the rule files of a folder (rules/*.yml), with their examples: for the build and the tests.
 * Their regexes come back with the folder's macros (macros.yml) expanded, or as written (`expand:
 * false`, for dist/rules.json, whose reader expands a regex when it is first used).
 */
export function loadRuleDirectory(directory: string, { expand = true }: { expand?: boolean } = {}): SourcedRule[] {
  const macros = loadMacroFile(directory);
  const files = readdirSync(directory).filter((f) => f.endsWith('.yml') && f !== MACRO_FILE).sort();
  return files.flatMap((file) => loadRuleFile(join(directory, file), `rules/${file}`, macros, expand));
}

/** The macros of a rule folder (its macros.yml; none if it has no such file). */
export function loadMacroFile(directory: string): Macros {
  const path = join(directory, MACRO_FILE);
  if (!existsSync(path)) return {};
  const origin = `rules/${MACRO_FILE}`;
  const { doc } = parseYaml(path, origin);
  const data = doc.toJS() as { macros?: unknown } | null;
  try {
    return checkMacros(data?.macros);
  } catch (error) {
    if (error instanceof MacroError) throw new RuleError(origin, error.message);
    throw error;
  }
}

function parseYaml(path: string, origin: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new RuleError(pos ? `${origin}:${pos.line}:${pos.col}` : origin, error.message.split('\n')[0]!);
  }
  return { doc, lines };
}

function loadRuleFile(path: string, origin: string, macros: Macros, expand: boolean): SourcedRule[] {
  const { doc, lines } = parseYaml(path, origin);
  const data = doc.toJS() as { rules?: RuleSpec[] } | null;
  if (!data || !Array.isArray(data.rules)) throw new RuleError(origin, 'expected a top-level `rules:` list');
  const items = doc.get('rules', true);
  return data.rules.map((spec, i) => {
    /** `source` with the macros expanded; an unknown macro is an error naming the line of `field`. */
    const expanded = (source: string, field: string[]) => {
      try {
        return expandMacros(source, macros);
      } catch (error) {
        if (!(error instanceof MacroError)) throw error;
        const item = isSeq(items) ? items.items[i] : undefined;
        const node = isMap(item) ? item.getIn(field, true) : undefined;
        const pos = isScalar(node) && node.range ? lines.linePos(node.range[0]) : undefined;
        throw new RuleError(`${origin}${pos ? `:${pos.line}` : ''} (rule ${spec.id ?? '?'})`, `${field.join('.')}: ${error.message}`);
      }
    };
    if (spec && typeof spec.regex === 'string') {
      const regex = expanded(spec.regex, ['regex']);
      if (expand) spec.regex = regex;
    }
    // Expanded either way: dist/rules.json's reader expands `regex` only, and this one is compiled
    // only by the few runs that meet a secret of its shape.
    if (spec && typeof spec.allowUnlessAfter?.after === 'string') spec.allowUnlessAfter.after = expanded(spec.allowUnlessAfter.after, ['allowUnlessAfter', 'after']);
    return { spec, origin };
  });
}
