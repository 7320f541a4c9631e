import { base62, crc32 } from './crc32.js';

/** A fine-grained GitHub PAT: `github_pat_` + 22 base62 + `_` + 59 base62. */
const FINE_GRAINED_PAT = /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/;

function checksumMatches(body: string): boolean {
  if (body.length < 7) return false;
  return base62(crc32(body.slice(0, -6)), 6) === body.slice(-6);
}

/**
 * GitHub's token format, also used by npm (`npm_`) and Vercel (`vcp_`, `vci_`, `vca_`, `vcr_`,
 * `vck_`): PREFIX_ + random part + 6 base62 characters holding the CRC32 of the random part. A token
 * whose checksum does not verify was not issued by the provider (a typo, a truncated copy, or an
 * invented example), so it is not reported.
 *
 * The prefix ends at the first underscore; the random part may itself hold `_` (Vercel allows it),
 * so the split after the last underscore is tried as well.
 *
 * Fine-grained PATs (`github_pat_…`) carry no checksum anyone has documented: the CRC32 of their
 * last segment does not verify on real tokens. For them the check is structural only, so that a
 * rule applying this validator to every GitHub token never drops a real fine-grained PAT.
 */
export function checksumTokenValid(token: string): boolean {
  if (token.startsWith('github_pat_')) return FINE_GRAINED_PAT.test(token);
  const first = token.indexOf('_');
  if (first < 0) return false;
  if (checksumMatches(token.slice(first + 1))) return true;
  const last = token.lastIndexOf('_');
  return last !== first && checksumMatches(token.slice(last + 1));
}

function crc32Hex(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}

/**
 * Atlassian's token format (API tokens `ATATT…`, access tokens and admin keys `ATCTT…`, Bitbucket
 * app passwords `ATBB…`): the last 8 characters are the CRC32, in upper-case hex, of everything
 * before them (prefix included; for `ATATT`/`ATCTT` that includes the `=` separator).
 */
export function atlassianChecksumValid(token: string): boolean {
  if (token.length < 9) return false;
  return crc32Hex(token.slice(0, -8)).toUpperCase() === token.slice(-8);
}

/**
 * Cloudflare's scannable format (`cfk_`, `cfut_`, `cfat_`): PREFIX_ + 40 random characters + the
 * CRC32 of those 40 characters in lower-case hex.
 */
export function cloudflareChecksumValid(token: string): boolean {
  const underscore = token.indexOf('_');
  if (underscore < 0) return false;
  const body = token.slice(underscore + 1);
  if (body.length < 9) return false;
  return crc32Hex(body.slice(0, -8)) === body.slice(-8);
}
