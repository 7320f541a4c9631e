import { CHARSETS } from '../../src/engine/customRules.js';
import { base62, crc32 } from '../../src/engine/validators/crc32.js';
import { STRUCTURED_TEMPLATES } from './structuredSecrets.js';

/**
 * Expands the example templates of rules/README.md with a seeded generator, so examples carry no
 * committed token-shaped string and every run tests the same values. The character sets are the
 * ones custom rules' examples use (src/engine/customRules.ts).
 */
export { CHARSETS };

export type Random = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function seededRandom(seed: string): Random {
  let state = crc32(seed) || 1;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomString(random: Random, charset: string, length: number): string {
  const chars = CHARSETS[charset];
  if (!chars) throw new Error(`unknown charset "${charset}" in an example template`);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[Math.floor(random() * chars.length)];
  return out;
}

/** A token in GitHub's checksummed format: PREFIX + N base62 characters + 6-character CRC32. */
export function checksumToken(random: Random, prefix: string, length: number, valid = true): string {
  const body = randomString(random, 'alnum', length);
  let sum = base62(crc32(body), 6);
  if (!valid) sum = sum.slice(0, 5) + (sum[5] === 'A' ? 'B' : 'A');
  return prefix + body + sum;
}

/**
 * Every template: `{{KIND}}` or `{{KIND:ARG…}}`, arguments separated by colons. The kinds of
 * test/support/structuredSecrets.ts (keys, credentials, tokens, key stores) make values with the
 * structure the validators check.
 */
export const TEMPLATE = /\{\{(rand|github|badsum|same|pem|basic|base64|jwt|keystore|dump)(?::([^}]*))?\}\}/g;

/** Expands templates in `text`; returns the text and the value of the first template. */
export function expandTemplates(text: string, random: Random, first?: string): { text: string; first: string | undefined } {
  let firstValue = first;
  const out = text.replace(TEMPLATE, (_all, kind: string, rest: string | undefined) => {
    let value: string;
    if (kind === 'same') {
      if (firstValue === undefined) throw new Error('{{same}} used before any other template');
      return firstValue;
    }
    const args = rest === undefined ? [] : rest.split(':');
    const structured = STRUCTURED_TEMPLATES[kind];
    const [arg, n] = args;
    const length = Number(n ?? '0');
    if (structured) value = structured(args, random);
    else if (kind === 'rand') value = randomString(random, arg ?? 'alnum', length);
    else value = checksumToken(random, arg ?? '', length, kind === 'github');
    firstValue ??= value;
    return value;
  });
  return { text: out, first: firstValue };
}
