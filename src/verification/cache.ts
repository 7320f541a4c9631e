import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verification } from '../findings/finding.js';

/**
 * Answers kept between runs so a re-run does not ask again, in the user's cache folder (never the
 * repository). Entries are keyed by an HMAC of the verifier and the credential under a random key
 * that lives beside them: the file holds no secret and no plain hash of one, so it cannot be
 * checked against guesses without the key. Errors are not kept: they are worth asking again.
 */
const FILE = 'verification-v1.json';
const KEY_FILE = 'verification.key';
/** A day: a key revoked since is reported live at most this long. */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

type Entry = Required<Pick<Verification, 'status' | 'checkedAt'>> & Pick<Verification, 'identity'>;

export class VerificationCache {
  private entries: Record<string, Entry> = {};
  private key: Buffer | undefined;
  private changed = false;

  constructor(
    private readonly dir: string,
    /** Folded into every key: answers of a test server never stand for the real provider's. */
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {
    try {
      this.key = Buffer.from(readFileSync(join(dir, KEY_FILE), 'utf8').trim(), 'hex');
      if (this.key.length !== 32) this.key = undefined;
      const parsed = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as { entries?: Record<string, Entry> };
      this.entries = parsed.entries ?? {};
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
  }

  private id(verifier: string, credential: string): string {
    if (!this.key) {
      this.key = randomBytes(32);
      this.changed = true;
    }
    return createHmac('sha256', this.key).update(`${this.scope}\0${verifier}\0${credential}`).digest('hex');
  }

  get(verifier: string, credential: string): Entry | undefined {
    const entry = this.entries[this.id(verifier, credential)];
    if (!entry || this.now() - Date.parse(entry.checkedAt) > CACHE_TTL_MS) return undefined;
    return entry;
  }

  set(verifier: string, credential: string, entry: Entry): void {
    if (entry.status === 'error' || entry.status === 'unknown') return;
    this.entries[this.id(verifier, credential)] = entry;
    this.changed = true;
  }

  /** Writes the cache, dropping expired entries. A cache that cannot be written only costs re-asking. */
  save(): void {
    if (!this.changed || !this.key) return;
    const fresh = Object.fromEntries(Object.entries(this.entries).filter(([, e]) => this.now() - Date.parse(e.checkedAt) <= CACHE_TTL_MS));
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(this.dir, KEY_FILE), `${this.key.toString('hex')}\n`, { mode: 0o600, flag: 'w' });
      const temp = join(this.dir, `${FILE}.${process.pid}.tmp`);
      writeFileSync(temp, JSON.stringify({ entries: fresh }), { mode: 0o600 });
      renameSync(temp, join(this.dir, FILE));
    } catch {
      // Read-only home, full disk: verification still worked.
    }
  }
}
