/**
 * Regex macros: named pieces of regex the rules share (rules/macros.yml, where each is explained).
 * A rule's `regex` names one as `{{name}}`; `expandMacros` puts the macro's text there, inside a
 * non-capturing group, before the regex is compiled. The build expands the built-in rules (so
 * dist/rules.json holds none), the tests expand them from rules/*.yml (src/engine/ruleFiles.ts),
 * and the config loader expands a custom rule of keyfence.yml with the built-in macros.
 */

/** A macro is a regex, or a list of regexes standing for their alternation. */
export type Macros = Readonly<Record<string, string | readonly string[]>>;

/** The file of the built-in macros, beside the rule files; not a rule file itself. */
export const MACRO_FILE = 'macros.yml';

/** A macro reference: `{{name}}`, unless the first brace is escaped (`\{{`; `\\{{name}}` is one). */
const REFERENCE = /(?<=(?:^|[^\\])(?:\\\\)*)\{\{([^{}\s]{1,64})\}\}/g;

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** An unknown or malformed macro; the message names it, the caller adds where it was used. */
export class MacroError extends Error {}

/** Whether `regex` names any macro (so callers without one need not load the macros). */
export function hasMacros(regex: string): boolean {
  REFERENCE.lastIndex = 0;
  return REFERENCE.test(regex);
}

/** `regex` with every `{{name}}` replaced by `(?:` + the macro + `)`, macros inside macros too. */
export function expandMacros(regex: string, macros: Macros): string {
  return expand(regex, macros, []);
}

function expand(regex: string, macros: Macros, using: readonly string[]): string {
  return regex.replace(REFERENCE, (_all, name: string) => {
    if (!Object.hasOwn(macros, name)) {
      const known = Object.keys(macros).sort();
      throw new MacroError(`unknown macro {{${name}}}${known.length ? ` (known: ${known.map((k) => `{{${k}}}`).join(', ')})` : ''}`);
    }
    if (using.includes(name)) throw new MacroError(`macro {{${name}}} refers to itself (${[...using, name].map((k) => `{{${k}}}`).join(' -> ')})`);
    const body = macros[name]!;
    const source = typeof body === 'string' ? body : body.join('|');
    return `(?:${expand(source, macros, [...using, name])})`;
  });
}

/**
 * Checks the `macros:` mapping of a macro file: names in kebab-case, each a regex or a non-empty
 * list of regexes, every one valid once expanded and free of capture groups (they would renumber
 * the groups of the rules that use it).
 */
export function checkMacros(data: unknown): Macros {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new MacroError('expected a `macros:` mapping of names to regexes');
  const macros = data as Record<string, unknown>;
  for (const [name, body] of Object.entries(macros)) {
    if (!NAME.test(name)) throw new MacroError(`macro name "${name}" must be kebab-case (a-z, 0-9, -)`);
    const parts = typeof body === 'string' ? [body] : body;
    if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => typeof p !== 'string' || !p))
      throw new MacroError(`macro {{${name}}} must be a regex or a list of regexes`);
  }
  const checked = macros as Macros;
  for (const name of Object.keys(checked)) {
    const source = expandMacros(`{{${name}}}`, checked);
    let groups: number;
    try {
      groups = new RegExp(`${source}|`).exec('')!.length - 1;
    } catch (error) {
      throw new MacroError(`macro {{${name}}} is not a valid regular expression: ${(error as Error).message}`);
    }
    if (groups > 0) throw new MacroError(`macro {{${name}}} has a capture group: use (?:…) so the rule's groups keep their numbers`);
  }
  return checked;
}
