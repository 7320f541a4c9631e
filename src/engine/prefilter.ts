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
 * dense transition table, which keeps its inner loop to two array reads and a bit test per
 * character (about 250 MB/s on one core of the bench machine). It is made on the first large
 * text (loaded, for the built-in rules, as the build precomputed it): small texts are cheaper to
 * search keyword by keyword.
 */
export class Prefilter {
  private readonly rulesOf = new Map<string, number[]>();
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
  constructor(rules: readonly CompiledRule[], options: { prebuilt?: () => KeywordAutomaton | undefined; searchEachBudget?: number } = {}) {
    this.prebuilt = options.prebuilt;
    this.searchEachBudget = options.searchEachBudget ?? (options.prebuilt ? SEARCH_EACH_BUDGET_PREBUILT : SEARCH_EACH_BUDGET);
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
    this.automaton ??= new Automaton(this.keywordAutomaton(), this.rulesOf);
    return this.automaton.hits(text);
  }

  private keywordAutomaton(): KeywordAutomaton {
    const prebuilt = this.prebuilt?.();
    if (prebuilt) {
      const known = new Set(prebuilt.keywords);
      if ([...this.rulesOf.keys()].every((k) => known.has(k))) return prebuilt;
    }
    return buildKeywordAutomaton(this.rulesOf.keys());
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

/** Characters searched keyword by keyword before the automaton pays for itself: built, or prebuilt (see the constructor). */
const SEARCH_EACH_BUDGET = 16384;
const SEARCH_EACH_BUDGET_PREBUILT = 4096;

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

/**
 * The Aho–Corasick automaton of a set of keywords, without the rules: what the build precomputes
 * for the built-in rules (dist/prefilter.bin), so a run does not spend its first milliseconds on
 * it. Transitions into states where keywords end carry bit 0.
 */
export interface KeywordAutomaton {
  /** Sorted, lower-case. */
  keywords: string[];
  /** Character code (< 128) -> alphabet class; 0 for characters no keyword uses. */
  classes: Uint8Array;
  /** log2 of the stride (the row length of the table, a power of two of at least 2). */
  shift: number;
  /** state * stride + class -> next state * stride, bit 0 set when keywords end there. */
  table: Int32Array;
  /** Per state number that ends keywords: the indexes (into `keywords`) of every keyword ending there. */
  ends: Map<number, number[]>;
}

export function buildKeywordAutomaton(keywordSet: Iterable<string>): KeywordAutomaton {
  const keywords = [...new Set(keywordSet)].sort();
  const classes = new Uint8Array(128);
  let alphabet = 1;
  for (const k of keywords) {
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c > 127) throw new Error(`keyword "${k}" holds a non-ASCII character; keywords must be ASCII`);
      if (classes[c] === 0) classes[c] = alphabet++;
    }
  }
  for (let c = 65; c <= 90; c++) classes[c] = classes[c | 32]!;
  let shift = 1;
  while (1 << shift < alphabet) shift++;
  const stride = 1 << shift;

  // The trie of keywords in one flat table (-1: no edge yet), then failure links breadth-first,
  // filling every missing edge in place: a dense automaton without an allocation per state.
  let capacity = 1;
  for (const k of keywords) capacity += k.length;
  let table = new Int32Array(capacity * stride).fill(-1);
  const own = new Map<number, number[]>();
  let states = 1;
  keywords.forEach((k, index) => {
    let state = 0;
    for (let i = 0; i < k.length; i++) {
      const slot = state * stride + classes[k.charCodeAt(i)]!;
      if (table[slot] === -1) table[slot] = states++;
      state = table[slot]!;
    }
    own.set(state, [...(own.get(state) ?? []), index]);
  });
  table = table.slice(0, states * stride);
  const fail = new Int32Array(states);
  const ends = new Map<number, number[]>();
  const queue = new Int32Array(states);
  let tail = 0;
  for (let c = 0; c < alphabet; c++) {
    const t = table[c]!;
    if (t > 0) queue[tail++] = t;
    table[c] = t > 0 ? t * stride : 0;
  }
  for (let head = 0; head < tail; head++) {
    const s = queue[head]!;
    const inherited = ends.get(fail[s]!);
    const mine = own.get(s);
    if (mine || inherited) ends.set(s, mine && inherited ? [...mine, ...inherited] : (mine ?? inherited)!);
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
  for (let i = 0; i < table.length; i++) if (ends.has(table[i]! >> shift)) table[i]! |= 1;
  return { keywords, classes, shift, table, ends };
}

/**
 * The automaton as bytes: a JSON header, then the table as it is in memory (about 850 KB for the
 * built-in rules, read in well under a millisecond; npm's gzip packs it to 35 KB). Building it
 * takes 10–25 ms of a cold process.
 */
export function encodeKeywordAutomaton(automaton: KeywordAutomaton): Buffer {
  const header = Buffer.from(JSON.stringify({ keywords: automaton.keywords, classes: [...automaton.classes], shift: automaton.shift, ends: [...automaton.ends] }));
  // The table starts at a multiple of 4, so it can be used in place.
  const padded = (header.length + 3) & ~3;
  const out = Buffer.alloc(4 + padded + automaton.table.byteLength, 0x20);
  out.writeUInt32LE(padded, 0);
  header.copy(out, 4);
  Buffer.from(automaton.table.buffer, automaton.table.byteOffset, automaton.table.byteLength).copy(out, 4 + padded);
  return out;
}

export function decodeKeywordAutomaton(bytes: Buffer): KeywordAutomaton {
  const padded = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.toString('utf8', 4, 4 + padded)) as { keywords: string[]; classes: number[]; shift: number; ends: Array<[number, number[]]> };
  const from = bytes.byteOffset + 4 + padded;
  const length = (bytes.length - 4 - padded) >> 2;
  // In place when aligned (a buffer of its own, as readFileSync gives), else copied.
  const table = from % 4 === 0 ? new Int32Array(bytes.buffer, from, length) : new Int32Array(bytes.buffer.slice(from, from + length * 4));
  return { keywords: header.keywords, classes: Uint8Array.from(header.classes), shift: header.shift, table, ends: new Map(header.ends) };
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
    for (const [state, indexes] of ends) this.outputs[state] = indexes.map((k) => ({ length: keywords[k]!.length, rules: rulesOf.get(keywords[k]!) ?? [] }));
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
