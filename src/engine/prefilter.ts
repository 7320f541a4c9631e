import type { CompiledRule } from './compiledRule.js';

/** A keyword ending in a state of the automaton: its length and the rules it wakes. */
interface Output {
  length: number;
  rules: number[];
}

/**
 * One pass over the text for every rule's keywords at once (Aho–Corasick), so text without any
 * keyword costs a single scan instead of one regex per rule. Reports, per rule, where its keywords
 * occur. The automaton works on a small alphabet (the characters keywords use, case folded) with a
 * dense transition table, which keeps its inner loop to two array reads per character: about twice
 * the speed of V8's regex engine on an alternation of a few hundred literals. It is built on the
 * first large text: small ones are cheaper to search keyword by keyword.
 */
export class Prefilter {
  private readonly rulesOf = new Map<string, number[]>();
  private automaton: Automaton | undefined;
  /** Characters searched keyword by keyword so far. */
  private searchedEach = 0;
  /** Rules with no keyword: they run on every fragment. */
  readonly alwaysOn: number[] = [];

  /**
   * @param searchEachBudget until this many characters have been searched, texts are searched
   * keyword by keyword with `indexOf`: for a pre-commit hook's few staged lines that is cheaper than
   * building the automaton at all, while a scan of a tree builds it on its first files.
   */
  constructor(
    rules: readonly CompiledRule[],
    private readonly searchEachBudget = SEARCH_EACH_BUDGET,
  ) {
    rules.forEach((rule, index) => {
      if (rule.keywords.length === 0) this.alwaysOn.push(index);
      for (const keyword of new Set(rule.keywords)) {
        if (/[^\x00-\x7f]/.test(keyword)) throw new Error(`keyword "${keyword}" holds a non-ASCII character; keywords must be ASCII`);
        this.rulesOf.set(keyword, [...(this.rulesOf.get(keyword) ?? []), index]);
      }
    });
  }

  /** Offsets where keywords start, per rule index, ascending. Rules without keywords are not included. */
  hits(text: string): Map<number, number[]> {
    if (!this.automaton && this.searchedEach + text.length <= this.searchEachBudget) {
      this.searchedEach += text.length;
      return this.searchEach(text);
    }
    this.automaton ??= new Automaton(this.rulesOf);
    return this.automaton.hits(text);
  }

  /** Every keyword with indexOf on an ASCII-lowercased copy: linear in keywords times text. */
  private searchEach(text: string): Map<number, number[]> {
    const lower = asciiLowerCase(text);
    const byRule = new Map<number, number[]>();
    for (const [keyword, rules] of this.rulesOf) {
      for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + 1)) {
        for (const r of rules) {
          const list = byRule.get(r);
          if (list === undefined) byRule.set(r, [at]);
          else list.push(at);
        }
      }
    }
    for (const [r, list] of byRule) if (list.length > 1) byRule.set(r, [...new Set(list)].sort((a, b) => a - b));
    return byRule;
  }
}

/** Characters searched keyword by keyword before the automaton pays for itself (see the constructor). */
const SEARCH_EACH_BUDGET = 16384;

/** Lower-cases A-Z only, so offsets in the copy are offsets in the original. */
function asciiLowerCase(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length && !/[^\x00-\x7f]/.test(text)) return lower;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c | 32) : text[i];
  }
  return out;
}

/** The Aho–Corasick automaton over every keyword. */
class Automaton {
  /** Character code (< 128) -> alphabet class; 0 for characters no keyword uses. */
  private readonly classes = new Uint8Array(128);
  /** state * stride + class -> next state * stride. */
  private readonly table: Int32Array;
  /** Per state (indexed by state * stride): outputs, or undefined. */
  private readonly outputs: Array<Output[] | undefined>;

  constructor(rulesOf: Map<string, number[]>) {
    const keywords = [...rulesOf.keys()].sort();
    let alphabet = 1;
    for (const k of keywords) {
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        if (this.classes[c] === 0) this.classes[c] = alphabet++;
      }
    }
    for (let c = 65; c <= 90; c++) this.classes[c] = this.classes[c | 32]!;
    let stride = 1;
    while (stride < alphabet) stride <<= 1;

    // The trie of keywords in one flat table (-1: no edge yet), then failure links breadth-first,
    // filling every missing edge in place: a dense automaton without an allocation per state.
    let capacity = 1;
    for (const k of keywords) capacity += k.length;
    let table = new Int32Array(capacity * stride).fill(-1);
    const own: Array<Output[] | undefined> = [];
    let states = 1;
    for (const k of keywords) {
      let state = 0;
      for (let i = 0; i < k.length; i++) {
        const slot = state * stride + this.classes[k.charCodeAt(i)]!;
        if (table[slot] === -1) table[slot] = states++;
        state = table[slot]!;
      }
      (own[state] ??= []).push({ length: k.length, rules: rulesOf.get(k)! });
    }
    table = table.slice(0, states * stride);
    const fail = new Int32Array(states);
    const outputs: Array<Output[] | undefined> = new Array(states * stride);
    const queue = new Int32Array(states);
    let tail = 0;
    for (let c = 0; c < alphabet; c++) {
      const t = table[c]!;
      if (t > 0) queue[tail++] = t;
      table[c] = t > 0 ? t * stride : 0;
    }
    for (let head = 0; head < tail; head++) {
      const s = queue[head]!;
      const inherited = outputs[fail[s]! * stride];
      const mine = own[s];
      if (mine || inherited) outputs[s * stride] = mine && inherited ? [...mine, ...inherited] : (mine ?? inherited);
      const row = s * stride;
      const failRow = fail[s]! * stride;
      for (let c = 0; c < alphabet; c++) {
        const t = table[row + c]!;
        if (t === -1) {
          table[row + c] = table[failRow + c]!;
        } else {
          fail[t] = table[failRow + c]! / stride;
          table[row + c] = t * stride;
          queue[tail++] = t;
        }
      }
    }
    this.table = table;
    this.outputs = outputs;
  }

  hits(text: string): Map<number, number[]> {
    const byRule = new Map<number, number[]>();
    const { classes, table, outputs } = this;
    let unordered = false;
    let state = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      state = table[state + (c < 128 ? classes[c]! : 0)]!;
      const found = outputs[state];
      if (found === undefined) continue;
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
