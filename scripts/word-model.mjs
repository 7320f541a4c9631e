// Generates src/engine/wordLikenessTable.ts, the character-trigram model of words and identifiers
// that src/engine/wordLikeness.ts uses to tell random letters from words. The table is committed:
// neither the build nor a scan needs this script, the network or the word list. Run it again
// (`node scripts/word-model.mjs`) after a change to the model's code, and review the
// measurements of test/engine/wordLikeness.test.ts (docs/rules/generic.md) before committing.
//
// What it learns from, each distinct word once:
// - the words of the `dictionary-en` package (a devDependency, pinned): the en_US Hunspell
//   dictionary of SCOWL (Kevin Atkinson's word lists), with its suffixes and prefixes applied
//   (pending, transactions, reconnect), about 87,000 words. Licence: MIT and BSD (SCOWL's own
//   permissive licence), which allows deriving and shipping statistics from it;
// - the words of the identifiers in node_modules (`XMLHttpRequest`: xml, http, request), read with
//   TypeScript's scanner, from the packages test/support/identifiers.ts keeps for training (four in
//   five): code's abbreviations and acronyms (ctx, cfg, impl, dom, rtc). The other fifth is held
//   out for the test to measure false alarms on names the model never saw.
//
// The model: for each pair of preceding symbols (a letter or the start of a word) the probability
// of each letter or of the word's end, Witten-Bell interpolated with the bigram and unigram
// estimates so that an unseen trigram is unlikely rather than impossible, stored as its cost in
// whole bits, 0 to 15, two to a byte (27^3 entries, 10 KB), base64 in a TypeScript module.
// `RANDOM_ABOVE`, the cost per letter above which letters read as random, is set so that at most 1
// in 5,000 of the training identifiers of 12+ letters is above it.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import dictionary from 'dictionary-en';

const root = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(root, 'src/engine/wordLikenessTable.ts');
const SYMBOLS = 27;
const MAX_BITS = 15;
/** At most this share of training identifiers may read as random. */
const IDENTIFIERS_ABOVE = 1 / 5000;

/**
 * The model's own code (its word splitter, its scoring) and the identifier miner, bundled on the
 * fly; the table module they import is replaced by one the script fills in (`setTable`).
 */
async function loadCode() {
  const { outputFiles } = await build({
    stdin: {
      contents: [
        "export { words, bitsPerLetter, MIN_RANDOM_LETTERS } from './src/engine/wordLikeness.ts';",
        "export { heldOut, packageIdentifiers } from './test/support/identifiers.ts';",
        "export { setTable } from './src/engine/wordLikenessTable.js';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    external: ['typescript'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'word-model-table',
        setup(b) {
          b.onResolve({ filter: /wordLikenessTable\.js$/ }, () => ({ path: 'table', namespace: 'word-model' }));
          b.onLoad({ filter: /.*/, namespace: 'word-model' }, () => ({
            contents: 'export let TRIGRAM_BITS = ""; export const RANDOM_ABOVE = Infinity; export function setTable(bits) { TRIGRAM_BITS = bits; }',
            loader: 'js',
          }));
        },
      },
    ],
  });
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', '.word-model-'));
  const module = join(dir, 'word-model.mjs');
  writeFileSync(module, outputFiles[0].text);
  try {
    return await import(pathToFileURL(module).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The words of a Hunspell dictionary with its affix rules applied once (no cross products). */
function dictionaryWords({ aff, dic }) {
  const rules = new Map();
  for (const line of new TextDecoder().decode(aff).split('\n')) {
    const m = /^(PFX|SFX)\s+(\S)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(line);
    if (!m || m[3] === 'Y' || m[3] === 'N') continue;
    const [, kind, flag, strip, add, condition] = m;
    const list = rules.get(flag) ?? [];
    list.push({
      suffix: kind === 'SFX',
      strip: strip === '0' ? '' : strip,
      add: add === '0' ? '' : add.split('/')[0],
      condition: new RegExp(kind === 'SFX' ? `${condition}$` : `^${condition}`),
    });
    rules.set(flag, list);
  }
  const out = new Set();
  for (const line of new TextDecoder().decode(dic).split('\n').slice(1)) {
    const [stem, flags = ''] = line.trim().split('/');
    if (!stem) continue;
    out.add(stem);
    for (const flag of flags) {
      for (const rule of rules.get(flag) ?? []) {
        if (!rule.condition.test(stem)) continue;
        if (rule.suffix) out.add(stem.slice(0, stem.length - rule.strip.length) + rule.add);
        else out.add(rule.add + stem.slice(rule.strip.length));
      }
    }
  }
  return [...out].filter((w) => /^[A-Za-z]+$/.test(w)).map((w) => w.toLowerCase());
}

/** Trigram costs in bits, Witten-Bell interpolated, from counts of `(a * 27 + b) * 27 + c`. */
function trigramBits(counts) {
  const n3 = counts;
  const n2 = new Float64Array(SYMBOLS ** 2);
  const n1 = new Float64Array(SYMBOLS);
  const context3 = new Float64Array(SYMBOLS ** 2);
  const types3 = new Float64Array(SYMBOLS ** 2);
  for (let ab = 0; ab < SYMBOLS ** 2; ab++) {
    for (let c = 0; c < SYMBOLS; c++) {
      const n = n3[ab * SYMBOLS + c];
      n2[(ab % SYMBOLS) * SYMBOLS + c] += n;
      n1[c] += n;
      context3[ab] += n;
      if (n > 0) types3[ab]++;
    }
  }
  const context2 = new Float64Array(SYMBOLS);
  const types2 = new Float64Array(SYMBOLS);
  for (let b = 0; b < SYMBOLS; b++) {
    for (let c = 0; c < SYMBOLS; c++) {
      context2[b] += n2[b * SYMBOLS + c];
      if (n2[b * SYMBOLS + c] > 0) types2[b]++;
    }
  }
  const total = n1.reduce((sum, n) => sum + n, 0);
  const bits = new Uint8Array(SYMBOLS ** 3);
  for (let ab = 0; ab < SYMBOLS ** 2; ab++) {
    const b = ab % SYMBOLS;
    for (let c = 0; c < SYMBOLS; c++) {
      const p1 = (n1[c] + 0.5) / (total + SYMBOLS / 2);
      const l2 = context2[b] / (context2[b] + types2[b] || 1);
      const p2 = context2[b] ? (l2 * n2[b * SYMBOLS + c]) / context2[b] + (1 - l2) * p1 : p1;
      const l3 = context3[ab] / (context3[ab] + types3[ab] || 1);
      const p3 = context3[ab] ? (l3 * n3[ab * SYMBOLS + c]) / context3[ab] + (1 - l3) * p2 : p2;
      bits[ab * SYMBOLS + c] = Math.min(MAX_BITS, Math.round(-Math.log2(p3)));
    }
  }
  return bits;
}

const code = await loadCode();
const dictionaryList = dictionaryWords(dictionary);
const identifiers = new Set();
for (const ids of code.packageIdentifiers(join(root, 'node_modules'), (name) => !code.heldOut(name)).values()) {
  for (const id of ids) identifiers.add(id);
}
const identifierWords = new Set();
for (const id of identifiers) for (const word of code.words(id)) identifierWords.add(word.toLowerCase());

const counts = new Float64Array(SYMBOLS ** 3);
for (const word of [...new Set(dictionaryList), ...identifierWords]) {
  let a = 0;
  let b = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 96;
    counts[(a * SYMBOLS + b) * SYMBOLS + c]++;
    a = b;
    b = c;
  }
  counts[(a * SYMBOLS + b) * SYMBOLS]++;
}
const bits = trigramBits(counts);
const packed = Buffer.alloc(Math.ceil(bits.length / 2));
for (let i = 0; i < bits.length; i++) packed[i >> 1] |= bits[i] << ((i & 1) * 4);
const base64 = packed.toString('base64');
code.setTable(base64);

const judged = [...identifiers].filter((id) => id.length >= code.MIN_RANDOM_LETTERS && /^[A-Za-z]+$/.test(id) && !/^[a-fA-F]+$/.test(id));
const scores = judged.map((id) => code.bitsPerLetter(id)).sort((x, y) => x - y);
const threshold = scores[scores.length - 1 - Math.floor(scores.length * IDENTIFIERS_ABOVE)];

const lines = base64.match(/.{1,120}/g).map((line) => `  '${line}',`);
writeFileSync(
  OUT,
  `// Generated by scripts/word-model.mjs: do not edit. The character-trigram model of
// src/engine/wordLikeness.ts, learnt from ${new Set(dictionaryList).size} words of dictionary-en ${dictionaryVersion()} and
// ${identifierWords.size} words of ${identifiers.size} identifiers in node_modules (training packages).

/**
 * Cost in whole bits (0-15) of each trigram \`(a * 27 + b) * 27 + c\` (0: word boundary, 1-26: a-z),
 * two a byte, low half first.
 */
export const TRIGRAM_BITS = [
${lines.join('\n')}
].join('');

/**
 * Bits per letter above which letters read as random: at most 1 in ${Math.round(1 / IDENTIFIERS_ABOVE)} of the ${judged.length}
 * training identifiers of ${code.MIN_RANDOM_LETTERS}+ letters cost more.
 */
export const RANDOM_ABOVE = ${threshold};
`,
);
console.log(`wrote ${OUT}: ${packed.length} bytes, threshold ${threshold} bits per letter`);

function dictionaryVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules/dictionary-en/package.json'), 'utf8')).version;
}
