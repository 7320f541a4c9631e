import type { CompiledRule } from './compiledRule.js';
import { shannonEntropy } from './entropy.js';
import { isPlaceholder } from './placeholder.js';
import { readsAsRandomLetters } from './wordLikeness.js';

/** Why a candidate was dropped; undefined when it stands. Kept as data so tests can say why. */
export type Rejection = 'allow' | 'allow-line' | 'placeholder' | 'entropy' | 'word-like' | 'validator' | 'embedded-data' | 'not-a-literal';

const LETTERS_ONLY = /^[A-Za-z]+$/;

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/**
 * Typed by a person rather than generated: a run of one character (`…Token00000000`) or three
 * capitalised words in a row (`ghp_PersonalAccessToken…`). About one random 36-character token in
 * 450 looks like this; a real token is never judged by it, since it only applies once the checksum
 * has failed.
 */
const HAND_WRITTEN = /(.)\1{3}|(?:[A-Z][a-z]{3,}){3}/;

const QUOTES = '"\'`';

/**
 * For a rule with `literal`: why the value at `start`..`end` of `text` (on the line that begins at
 * `lineStart`) is not an assigned literal, or undefined. Quoted, it must end at its own closing
 * quote (an escaped one, `\"…\"`, counts). Unquoted in source code, it must sit inside a string
 * (`@Value("${db.password:…}")`): outside one it is an expression, a type or a comment.
 */
export function literalRejection(text: string, lineStart: number, start: number, end: number, sourceCode: boolean): Rejection | undefined {
  const open = text[start - 1];
  if (open !== undefined && QUOTES.includes(open)) {
    const close = text[end] === '\\' ? text[end + 1] : text[end];
    return close === open ? undefined : 'not-a-literal';
  }
  return sourceCode && !insideString(text, lineStart, start) ? 'not-a-literal' : undefined;
}

/** Whether offset `at` is inside a quoted string that opens on its line. */
function insideString(text: string, lineStart: number, at: number): boolean {
  let quote: string | undefined;
  for (let i = lineStart; i < at; i++) {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (quote === undefined) {
      if (QUOTES.includes(c)) quote = c;
    } else if (c === quote) quote = undefined;
  }
  return quote !== undefined;
}

/** 32 or more hex digits of one case: a digest, an id or a key made of 16 symbols. */
const HEX = /^(?:[0-9a-f]{32,}|[0-9A-F]{32,})$/;

/**
 * The entropy a secret must reach. Hex carries at most 4 bits a character, so a floor set for
 * base62 values would drop one random 40-hex token in 20 and one 32-hex key in 5; for hex it is 3,
 * which random hex of that length falls below about once in 10,000.
 */
function entropyFloor(floor: number, secret: string): number {
  return HEX.test(secret) ? Math.min(floor, 3) : floor;
}

/** True when offset `start` of `text` sits inside a base64 data URI (`data:…;base64,…`) on its line. */
export function insideDataUri(text: string, lineStart: number, start: number): boolean {
  // Searched on the line only: a file without data URIs must not be rescanned for every candidate.
  const found = text.slice(lineStart, start + 8).lastIndexOf(';base64,');
  if (found === -1) return false;
  const marker = lineStart + found;
  for (let i = marker + 8; i < start; i++) if (!BASE64_CHAR.test(text[i]!)) return false;
  return true;
}

/**
 * The checks a regex match must pass to become a finding: the rule's own allow lists, the shared
 * placeholder filter, the entropy floor (for a letters-only value under a rule with `randomLetters`,
 * the word-likeness model instead) and the rule's offline validator.
 */
export function verifyCandidate(rule: CompiledRule, secret: string, line: string, inDataUri: boolean): Rejection | undefined {
  if (rule.allow.some((re) => re.test(secret))) return 'allow';
  if (rule.allowLine.some((re) => re.test(line))) return 'allow-line';
  if (rule.spec.placeholders !== false && isPlaceholder(secret)) return 'placeholder';
  // Base64 padding on a word (`credentials=`, an option name in a list) does not make it random.
  if (rule.spec.randomLetters && LETTERS_ONLY.test(secret.replace(/={1,2}$/, ''))) {
    // Letters only (`randomLetters`): the word-likeness model judges them instead of the entropy
    // floor. Random letters are a password; words, identifiers and labels are not.
    if (!readsAsRandomLetters(secret.replace(/={1,2}$/, ''))) return 'word-like';
  } else if (rule.spec.entropy !== undefined && shannonEntropy(secret) < entropyFloor(rule.spec.entropy, secret)) return 'entropy';
  if (rule.validator && !rule.validator(secret)) return 'validator';
  // A token that fails its checksum is still reported (see VALIDATORS), unless a person typed it.
  if (rule.checksum && HAND_WRITTEN.test(secret) && !rule.checksum(secret)) return 'placeholder';
  // A token-shaped run inside a base64 data URI (an inlined image or font) is noise.
  if (inDataUri) return 'embedded-data';
  return undefined;
}
