import { atlassianChecksumValid, checksumTokenValid, cloudflareChecksumValid } from './checksumToken.js';
import { discordBotTokenValid } from './discord.js';
import { jwtValid } from './jwt.js';

/** An offline check of a matched secret. */
export type Validator = (secret: string) => boolean;

/**
 * A validator rules may name in `validator:`, and what its failure means.
 * - `structure`: the match is not the thing at all (a "JWT" whose header is not JSON): dropped.
 * - `checksum`: the value has the provider's exact shape but its checksum does not verify, so it
 *   was not issued as it stands: an invented example, a typo or truncated copy of a real token, or a
 *   format the provider changed. Still reported, at `low` severity and saying why, the
 *   way gitleaks and secretlint (which check no checksums) would report it, but ranked below a
 *   token that verifies.
 */
export interface ValidatorEntry {
  check: Validator;
  kind: 'structure' | 'checksum';
}

export const VALIDATORS: Record<string, ValidatorEntry> = {
  'github-checksum': { check: checksumTokenValid, kind: 'checksum' },
  'npm-checksum': { check: checksumTokenValid, kind: 'checksum' },
  'vercel-checksum': { check: checksumTokenValid, kind: 'checksum' },
  'atlassian-checksum': { check: atlassianChecksumValid, kind: 'checksum' },
  'cloudflare-checksum': { check: cloudflareChecksumValid, kind: 'checksum' },
  jwt: { check: jwtValid, kind: 'structure' },
  'discord-bot-token': { check: discordBotTokenValid, kind: 'structure' },
};
