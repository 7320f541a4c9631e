import { basicAuthValid } from './basicAuth.js';
import { atlassianChecksumValid, checksumTokenValid, cloudflareChecksumValid } from './checksumToken.js';
import { discordBotTokenValid } from './discord.js';
import { dumpFileMayHoldData } from './dumpFile.js';
import { jwtValid } from './jwt.js';
import { keyStoreMayHoldSecret } from './keyStore.js';
import { encryptedPrivateKeyValid, privateKeyValid } from './privateKey.js';
import { encryptedPuttyKeyValid, puttyKeyValid } from './puttyKey.js';

/** An offline check of a matched secret. */
export type Validator = (secret: string) => boolean;

/**
 * An offline check of a whole file's bytes, for path rules: false when they prove the file holds no
 * secret (an empty file, a store of public certificates). A file whose bytes could not be read (over
 * maxFileSize) is not checked.
 */
export type FileValidator = (content: Uint8Array) => boolean;

/**
 * A validator rules may name in `validator:`, and what its failure means.
 * - `structure`: the match is not the thing at all (a "JWT" whose header is not JSON): dropped.
 * - `checksum`: the value has the provider's exact shape but its checksum does not verify, so it
 *   was not issued as it stands: an invented example, a typo or truncated copy of a real token, or a
 *   format the provider changed. Still reported, at `low` severity and saying why, the
 *   way gitleaks and secretlint (which check no checksums) would report it, but ranked below a
 *   token that verifies.
 * - `file`: for path rules, a check of the file's bytes (see FileValidator); a failure drops the finding.
 *
 * A structure check may also tell two rules apart: `private-key` and `private-key-encrypted` share a
 * regex, and each one's validator keeps only the keys it is about.
 */
export type ValidatorEntry = { check: Validator; kind: 'structure' | 'checksum' } | { checkFile: FileValidator; kind: 'file' };

export const VALIDATORS: Record<string, ValidatorEntry> = {
  'github-checksum': { check: checksumTokenValid, kind: 'checksum' },
  'npm-checksum': { check: checksumTokenValid, kind: 'checksum' },
  'vercel-checksum': { check: checksumTokenValid, kind: 'checksum' },
  'atlassian-checksum': { check: atlassianChecksumValid, kind: 'checksum' },
  'cloudflare-checksum': { check: cloudflareChecksumValid, kind: 'checksum' },
  jwt: { check: jwtValid, kind: 'structure' },
  'discord-bot-token': { check: discordBotTokenValid, kind: 'structure' },
  'basic-auth': { check: basicAuthValid, kind: 'structure' },
  'private-key': { check: privateKeyValid, kind: 'structure' },
  'encrypted-private-key': { check: encryptedPrivateKeyValid, kind: 'structure' },
  'putty-key': { check: puttyKeyValid, kind: 'structure' },
  'encrypted-putty-key': { check: encryptedPuttyKeyValid, kind: 'structure' },
  'key-store': { checkFile: keyStoreMayHoldSecret, kind: 'file' },
  'dump-file': { checkFile: dumpFileMayHoldData, kind: 'file' },
};
