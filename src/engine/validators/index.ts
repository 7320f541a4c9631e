import { atlassianChecksumValid, checksumTokenValid, cloudflareChecksumValid } from './checksumToken.js';
import { jwtValid } from './jwt.js';

/** An offline check of a matched secret's structure; false drops the candidate. */
export type Validator = (secret: string) => boolean;

/** Validators rules may name in `validator:`. */
export const VALIDATORS: Record<string, Validator> = {
  'github-checksum': checksumTokenValid,
  'npm-checksum': checksumTokenValid,
  'vercel-checksum': checksumTokenValid,
  'atlassian-checksum': atlassianChecksumValid,
  'cloudflare-checksum': cloudflareChecksumValid,
  jwt: jwtValid,
};
