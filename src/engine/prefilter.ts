import type { CompiledRule } from './compiledRule.js';
import { buildKeywordAutomaton, type KeywordAutomaton } from './keywordAutomaton.js';

/** A keyword ending in a state of the automaton: its length and the rules it wakes. */
interface Output {
  length: number;
  rules: number[];
}

/**
 * One pass over the text for every rule's keywords at once (Aho–Corasick), so text without any
 * keyword costs a single scan instead of one regex per rule. Reports, per rule, where its keywords
 * occur. The automaton works on a small alphabet (the characters keywords use, case folded) with a
 * dense transition table, which keeps its inner loop to two array reads and a bit test per
 * character (about 250 MB/s on one core of the bench machine). It is made on the first large
 * text (loaded, for the built-in rules, as the build precomputed it): small texts are cheaper to
 * search keyword by keyword.
 */
export class Prefilter {
  private automaton: Automaton | undefined;
  /** Characters searched keyword by keyword so far. */
  private searchedEach = 0;
  /** Rules with no keyword: they run on every fragment. */
  readonly alwaysOn: number[] = [];

  private readonly searchEachBudget: number;
  private readonly prebuilt: (() => KeywordAutomaton | undefined) | undefined;

  /**
   * @param options.prebuilt the built-in rules' automaton, used when it holds every keyword of `rules`.
   * @param options.searchEachBudget until this many characters have been searched, texts are
   * searched keyword by keyword with `indexOf`: for a pre-commit hook's few staged lines that is
   * cheaper than making the automaton at all (loading a prebuilt one costs a few milliseconds,
   * building one 10–25), while a scan of a tree makes it on its first files.
   */
  constructor(
    private readonly rules: readonly CompiledRule[],
    options: { prebuilt?: () => KeywordAutomaton | undefined; searchEachBudget?: number } = {},
  ) {
    this.prebuilt = options.prebuilt;
    this.searchEachBudget = options.searchEachBudget ?? (options.prebuilt ? SEARCH_EACH_BUDGET_PREBUILT : SEARCH_EACH_BUDGET);
    // Indexed loops: in code that runs once, each step of a for-of allocates its result object.
    for (let index = 0; index < rules.length; index++) {
      const { path, keywords } = rules[index]!;
      // A path rule tests the file's name, never its text (see Scanner).
      if (path) continue;
      if (keywords.length === 0) this.alwaysOn.push(index);
      const foreign = keywords.find(isNotAscii);
      if (foreign !== undefined) throw new Error(`keyword "${foreign}" holds a non-ASCII character; keywords must be ASCII`);
    }
  }

  /** Offsets where keywords start, per rule index, ascending. Rules without keywords are not included. */
  hits(text: string): Map<number, number[]> {
    if (!this.automaton && this.searchedEach + text.length <= this.searchEachBudget) {
      this.searchedEach += text.length;
      return this.searchEach(text);
    }
    if (!this.automaton) {
      const rulesOf = this.rulesOf();
      this.automaton = new Automaton(this.keywordAutomaton(rulesOf), rulesOf);
    }
    return this.automaton.hits(text);
  }

  /**
   * The rules each keyword wakes, for the automaton. Not made for texts searched keyword by keyword,
   * which is all a pre-commit hook does: some 700 keywords' lists cost it 250 kB of young garbage.
   */
  private rulesOf(): Map<string, number[]> {
    const rulesOf = new Map<string, number[]>();
    this.rules.forEach((rule, index) => {
      if (rule.path) return;
      for (const keyword of rule.keywords) {
        const indexes = rulesOf.get(keyword);
        // Rules come in order, so a keyword a rule names twice is its last entry (no Set a rule).
        if (!indexes) rulesOf.set(keyword, [index]);
        else if (indexes[indexes.length - 1] !== index) indexes.push(index);
      }
    });
    return rulesOf;
  }

  private keywordAutomaton(rulesOf: Map<string, number[]>): KeywordAutomaton {
    const prebuilt = this.prebuilt?.();
    if (prebuilt) {
      const known = new Set(prebuilt.keywords);
      if ([...rulesOf.keys()].every((k) => known.has(k))) return prebuilt;
    }
    return buildKeywordAutomaton(rulesOf.keys());
  }

  /** Every rule's keywords with indexOf on an ASCII-lowercased copy: linear in keywords times text. */
  private searchEach(text: string): Map<number, number[]> {
    const lower = asciiLowerCase(text);
    const byRule = new Map<number, number[]>();
    for (let index = 0; index < this.rules.length; index++) {
      const { path, keywords } = this.rules[index]!;
      if (path) continue;
      let found: number[] | undefined;
      for (let k = 0; k < keywords.length; k++) {
        const keyword = keywords[k]!;
        for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1)) (found ??= []).push(at);
      }
      // One keyword's offsets come in order; several keywords' may interleave or coincide.
      if (found) byRule.set(index, found.length > 1 && keywords.length > 1 ? [...new Set(found)].sort((a, b) => a - b) : found);
    }
    return byRule;
  }
}

// eslint-disable-next-line no-control-regex -- \x00-\x7f is the ASCII range, on purpose
const NOT_ASCII = /[^\x00-\x7f]/;
function isNotAscii(keyword: string): boolean {
  return NOT_ASCII.test(keyword);
}

/**
 * Characters searched keyword by keyword before the automaton pays for itself: built, or prebuilt
 * (see the constructor).
 */
const SEARCH_EACH_BUDGET = 16384;
const SEARCH_EACH_BUDGET_PREBUILT = 4096;

/** Lower-cases A-Z only, so offsets in the copy are offsets in the original. */
function asciiLowerCase(text: string): string {
  const lower = text.toLowerCase();
  // eslint-disable-next-line no-control-regex -- \x00-\x7f is the ASCII range, on purpose
  if (lower.length === text.length && !/[^\x00-\x7f]/.test(text)) return lower;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c | 32) : text[i];
  }
  return out;
}

/** A keyword automaton bound to the rules its keywords wake. */
class Automaton {
  private readonly classes: Uint8Array;
  private readonly table: Int32Array;
  /** Per state number (a table value shifted right by `shift`): outputs, or undefined. */
  private readonly outputs: Array<Output[] | undefined>;
  private readonly shift: number;

  constructor({ keywords, classes, shift, table, ends }: KeywordAutomaton, rulesOf: Map<string, number[]>) {
    this.classes = classes;
    this.shift = shift;
    this.table = table;
    this.outputs = new Array<Output[] | undefined>(table.length >> shift).fill(undefined);
    // A keyword no rule uses any more (a disabled rule) ends nowhere: its state is marked, but empty.
    for (const [state, indexes] of ends) {
      this.outputs[state] = indexes.map((k) => ({ length: keywords[k]!.length, rules: rulesOf.get(keywords[k]!) ?? [] }));
    }
  }

  hits(text: string): Map<number, number[]> {
    const byRule = new Map<number, number[]>();
    const { classes, table, outputs, shift } = this;
    let unordered = false;
    let state = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      state = table[(state & ~1) + (c < 128 ? classes[c]! : 0)]!;
      if ((state & 1) === 0) continue;
      const found = outputs[state >> shift]!;
      for (const { length, rules } of found) {
        const at = i - length + 1;
        for (const r of rules) {
          const list = byRule.get(r);
          if (list === undefined) byRule.set(r, [at]);
          else {
            const last = list[list.length - 1]!;
            if (last === at) continue;
            if (at < last) unordered = true;
            list.push(at);
          }
        }
      }
    }
    if (unordered) for (const list of byRule.values()) list.sort((a, b) => a - b);
    return byRule;
  }
}
