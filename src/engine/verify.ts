import type { CompiledRule } from './compiledRule.js';
import { shannonEntropy } from './entropy.js';
import { isPlaceholder } from './placeholder.js';

/** Why a candidate was dropped; undefined when it stands. Kept as data so tests can say why. */
export type Rejection = 'allow' | 'allow-line' | 'placeholder' | 'entropy' | 'validator' | 'embedded-data';

const BASE64_CHAR = /[A-Za-z0-9+/=]/;

/**
 * Typed by a person rather than generated: a run of one character (`…Token00000000`) or three
 * capitalised words in a row (`ghp_PersonalAccessToken…`). About one random 36-character token in
 * 450 looks like this; a real token is never judged by it, since it only applies once the checksum
 * has failed.
 */
const HAND_WRITTEN = /(.)\1{3}|(?:[A-Z][a-z]{3,}){3}/;

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
 * placeholder filter, the entropy floor and the rule's offline validator.
 */
export function verifyCandidate(rule: CompiledRule, secret: string, line: string, inDataUri: boolean): Rejection | undefined {
  if (rule.allow.some((re) => re.test(secret))) return 'allow';
  if (rule.allowLine.some((re) => re.test(line))) return 'allow-line';
  if (rule.spec.placeholders !== false && isPlaceholder(secret)) return 'placeholder';
  if (rule.spec.entropy !== undefined && shannonEntropy(secret) < rule.spec.entropy) return 'entropy';
  if (rule.validator && !rule.validator(secret)) return 'validator';
  // A token that fails its checksum is still reported (see VALIDATORS), unless a person typed it.
  if (rule.checksum && HAND_WRITTEN.test(secret) && !rule.checksum(secret)) return 'placeholder';
  // A token-shaped run inside a base64 data URI (an inlined image or font) is noise.
  if (inDataUri) return 'embedded-data';
  return undefined;
}
