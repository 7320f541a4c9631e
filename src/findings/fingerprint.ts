import { crypto } from '../lazyBuiltins.js';

/**
 * Fingerprints identify a finding across runs, line moves and reformatting (rule + file + what was
 * found, never the line number), and cannot be turned back into the secret: the secret is first
 * stretched with scrypt, so guessing even a short password costs a memory-hard hash per guess.
 */
// 1 MiB of memory per guess: scanning a history with hundreds of findings stays cheap, guessing does not.
const SCRYPT = { N: 1 << 10, r: 8, p: 1 } as const;
const SALT = 'keyfence/fingerprint/v1';
const stretched = new Map<string, string>();

/** scrypt of the secret, cached per run: the same secret is often found many times in a history. */
function stretchSecret(secret: string): string {
  let value = stretched.get(secret);
  if (value === undefined) {
    value = crypto().scryptSync(secret, SALT, 32, SCRYPT).toString('hex');
    stretched.set(secret, value);
  }
  return value;
}

/**
 * `material` is the secret for secret rules; for findings without one (workflow checks, settings),
 * a description of what was found (job and step ids, the setting), which must not hold a line number.
 */
export function fingerprint(ruleId: string, file: string, material: string, isSecret = true): string {
  const what = isSecret ? stretchSecret(material) : material;
  return crypto().createHash('sha256').update(`${ruleId}\0${file}\0${what}`).digest('hex').slice(0, 32);
}
