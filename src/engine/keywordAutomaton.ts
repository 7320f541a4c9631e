import { readFileSync } from 'node:fs';
import { builtPath } from '../rules/builtinRules.js';

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
  const { keywords, classes, shift, ends } = automaton;
  const header = Buffer.from(JSON.stringify({ keywords, classes: [...classes], shift, ends: [...ends] }));
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

let automaton: KeywordAutomaton | null | undefined;

/**
 * The keyword automaton of the built-in rules, precomputed by the build (dist/prefilter.bin), or
 * undefined where there is none (the Action's single-file bundle): the prefilter then builds it.
 */
export function loadBuiltinKeywordAutomaton(): KeywordAutomaton | undefined {
  if (automaton === undefined) {
    const path = builtPath('prefilter.bin');
    automaton = path ? decodeKeywordAutomaton(readFileSync(path)) : null;
  }
  return automaton ?? undefined;
}
