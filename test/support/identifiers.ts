import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { crc32 } from '../../src/engine/validators/crc32.js';

/**
 * The identifiers of the JavaScript and TypeScript in node_modules, read with TypeScript's own
 * scanner (so only identifiers and property names count, not the words of strings and comments):
 * what the word-likeness model (src/engine/wordLikeness.ts) learns code from, and what its test
 * measures false alarms on. Packages are split in two by a hash of their name: the model learns
 * from one part (scripts/word-model.mjs) and is measured on the identifiers of the other that the
 * first part does not also use, so the measurement is on names it never saw.
 */

/** One package of node_modules in five is held out of training (`@scope/name` or `name`). */
export function heldOut(packageName: string): boolean {
  return crc32(packageName) % 5 === 0;
}

/** The packages installed at the top of node_modules, sorted by name. */
export function installedPackages(nodeModules: string): Array<{ name: string; dir: string }> {
  const out: Array<{ name: string; dir: string }> = [];
  for (const entry of readdirSync(nodeModules).sort()) {
    if (entry.startsWith('.')) continue;
    const dir = join(nodeModules, entry);
    if (!entry.startsWith('@')) out.push({ name: entry, dir });
    else for (const inner of readdirSync(dir).sort()) out.push({ name: `${entry}/${inner}`, dir: join(dir, inner) });
  }
  return out;
}

const SOURCE = /\.(?:[cm]?js|[cm]?ts)$/;

function sourceFiles(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    // A nested node_modules is another package (its own version of a dependency).
    if (stat.isDirectory()) {
      if (entry !== 'node_modules') sourceFiles(path, out);
    } else if (SOURCE.test(entry) && !entry.endsWith('.min.js')) out.push(path);
  }
  return out;
}

const K = ts.SyntaxKind;

/** Tokens after which `/` divides; after anything else it starts a regular expression. */
const ENDS_OPERAND = new Set([
  K.Identifier,
  K.PrivateIdentifier,
  K.NumericLiteral,
  K.BigIntLiteral,
  K.StringLiteral,
  K.NoSubstitutionTemplateLiteral,
  K.TemplateTail,
  K.RegularExpressionLiteral,
  K.CloseParenToken,
  K.CloseBracketToken,
  K.CloseBraceToken,
  K.ThisKeyword,
  K.SuperKeyword,
]);

/** Adds the identifiers of one source text to `out` (property names after `.` too, keywords included). */
export function identifiersOf(text: string, out: Set<string>): void {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  // What each open brace is: a block or object (false), or the `${` of a template (true).
  const braces: boolean[] = [];
  let previous: ts.SyntaxKind = K.Unknown;
  for (let token = scanner.scan(); token !== K.EndOfFileToken; token = scanner.scan()) {
    if ((token === K.SlashToken || token === K.SlashEqualsToken) && !ENDS_OPERAND.has(previous)) token = scanner.reScanSlashToken();
    if (token === K.TemplateHead) braces.push(true);
    else if (token === K.OpenBraceToken) braces.push(false);
    else if (token === K.CloseBraceToken && braces.pop() === true) {
      token = scanner.reScanTemplateToken(false);
      if (token === K.TemplateMiddle) braces.push(true);
    }
    const keywordAsName = previous === K.DotToken && token >= K.FirstKeyword && token <= K.LastKeyword;
    if (token === K.Identifier || keywordAsName) out.add(scanner.getTokenValue());
    previous = token;
  }
}

/** The identifiers of each installed package, by package name. */
export function packageIdentifiers(nodeModules: string, which: (packageName: string) => boolean = () => true): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { name, dir } of installedPackages(nodeModules)) {
    if (!which(name)) continue;
    const found = new Set<string>();
    for (const file of sourceFiles(dir)) identifiersOf(readFileSync(file, 'utf8'), found);
    out.set(name, found);
  }
  return out;
}

/**
 * The identifiers the model is measured on: those of held-out packages, minus every identifier a
 * training package also uses, sorted.
 */
export function heldOutIdentifiers(nodeModules: string): string[] {
  const all = packageIdentifiers(nodeModules);
  const training = new Set<string>();
  const held = new Set<string>();
  for (const [name, ids] of all) for (const id of ids) (heldOut(name) ? held : training).add(id);
  return [...held].filter((id) => !training.has(id)).sort();
}
