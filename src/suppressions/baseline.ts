import { createHash, createHmac, randomBytes, scrypt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { Finding } from '../findings/finding.js';

/**
 * The baseline: findings a team accepted when it adopted keyfence, so only new leaks fail a build.
 *
 * Entries are content-addressed: rule + file + a keyed hash of the secret, never a line number, so
 * moving code, reformatting and squashing history keep them matching, and a different secret on
 * the same line is not hidden. The hash is keyed to the baseline: scrypt of the secret with a random
 * salt that the baseline keeps for its whole life. No secret is in the file, a short secret costs a
 * memory-hard hash per guess to brute-force, and no precomputed table works across baselines. Findings without
 * a secret (workflow checks) are addressed by their fingerprint, which holds nothing secret.
 *
 * Entries imported from another scanner (`keyfence import detect-secrets`) keep that scanner's hash,
 * `sha1:` and the SHA-1 hex of the value, and say where they came from (`imported`); their
 * `ruleId` may be `*` (any rule), as the other scanner's secret types do not map onto keyfence's
 * rules. They suppress the same values without keyfence ever seeing them; new entries are always
 * keyed hashes.
 *
 * The file is deterministic (sorted entries, fixed key order, no timestamps), so it diffs and merges
 * cleanly, and rewriting it keeps its salt and the reason, owner and expiry of entries that still
 * match.
 */

const BASELINE_VERSION = 1;
export const DEFAULT_BASELINE_FILE = '.keyfence-baseline.json';

const ABOUT =
  'keyfence baseline: findings accepted when this file was written. Entries hold no secret: `hash` is scrypt of the secret with the random `salt`, which must not change. ' +
  'Add `reason`, `owner` and `expires` (YYYY-MM-DD; an expired entry stops suppressing) by hand: `keyfence baseline --output FILE` keeps them, `--prune` drops entries that match nothing.';

const SCRYPT = { N: 1 << 12, r: 8, p: 1 } as const;
const HASH_BYTES = 16;
const KNOWN_FIELDS = ['ruleId', 'file', 'hash', 'imported', 'reason', 'owner', 'expires'] as const;
/** An imported hash: another scanner's unkeyed SHA-1 of the value (detect-secrets' `hashed_secret`). */
const IMPORTED_HASH = /^sha1:[0-9a-f]{40}$/;
/** The ruleId of an imported entry that applies to every rule. */
export const ANY_RULE = '*';

export interface BaselineEntry {
  ruleId: string;
  file: string;
  /** Keyed hash of the secret (or of the fingerprint, for findings without one); `sha1:…` when imported. */
  hash: string;
  /** The scanner an entry was imported from (`detect-secrets`, `gitleaks`). */
  imported?: string;
  reason?: string;
  owner?: string;
  /** YYYY-MM-DD: the entry suppresses up to and including this day (UTC). */
  expires?: string;
  /** Fields a user added (a ticket number), kept as they are. */
  extra?: Record<string, unknown>;
}

export interface Baseline {
  /** Random, hex, fixed for the life of the file: the key of every hash in it. */
  salt: string;
  entries: BaselineEntry[];
}

export function newBaseline(): Baseline {
  return { salt: randomBytes(16).toString('hex'), entries: [] };
}

// ---------------------------------------------------------------------------------------------
// Reading and writing

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Parses and checks a baseline; every problem is a UserError that names the file and the entry. */
export function parseBaseline(text: string, shown: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's own message: it quotes the text around the fault, and a file given here by
    // mistake (an .env, a key file) holds secrets.
    throw new UserError(`${shown}: not a keyfence baseline: not valid JSON`, 'recreate it with `keyfence baseline --output FILE`');
  }
  const doc = data as Record<string, unknown>;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`${shown}: not a keyfence baseline: expected a JSON object`);
  if (doc.version !== BASELINE_VERSION)
    throw new UserError(`${shown}: unsupported baseline version ${JSON.stringify(doc.version)}; this keyfence reads version ${BASELINE_VERSION}`);
  if (typeof doc.salt !== 'string' || !/^[0-9a-f]{32,128}$/.test(doc.salt)) throw new UserError(`${shown}: \`salt\` must be the hex salt keyfence wrote; do not edit it`);
  if (!Array.isArray(doc.entries)) throw new UserError(`${shown}: \`entries\` must be a list`);
  const entries = doc.entries.map((raw: unknown, i: number): BaselineEntry => {
    const at = `${shown}: entries[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${at} must be an object`);
    const e = raw as Record<string, unknown>;
    for (const field of ['ruleId', 'file', 'hash'] as const)
      if (typeof e[field] !== 'string' || e[field] === '') throw new UserError(`${at}.${field} is missing`);
    const imported = IMPORTED_HASH.test(e.hash as string);
    if (!imported && !/^[0-9a-f]{32}$/.test(e.hash as string)) throw new UserError(`${at}.hash is not a hash keyfence wrote`);
    if (imported && typeof e.imported !== 'string') throw new UserError(`${at}.hash is a SHA-1, which only an imported entry may have`, 'record findings with `keyfence baseline`; `keyfence import` writes SHA-1 entries');
    if (e.ruleId === ANY_RULE && !imported) throw new UserError(`${at}.ruleId "*" is only for imported entries`);
    for (const field of ['imported', 'reason', 'owner', 'expires'] as const)
      if (e[field] !== undefined && typeof e[field] !== 'string') throw new UserError(`${at}.${field} must be a string`);
    if (typeof e.expires === 'string' && !isIsoDate(e.expires)) throw new UserError(`${at}.expires "${e.expires}" is not a date (YYYY-MM-DD)`);
    const extra = Object.fromEntries(Object.entries(e).filter(([k]) => !(KNOWN_FIELDS as readonly string[]).includes(k)));
    return {
      ruleId: e.ruleId as string,
      file: e.file as string,
      hash: e.hash as string,
      ...(typeof e.imported === 'string' ? { imported: e.imported } : {}),
      ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
      ...(typeof e.owner === 'string' ? { owner: e.owner } : {}),
      ...(typeof e.expires === 'string' ? { expires: e.expires } : {}),
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  });
  return { salt: doc.salt, entries };
}

/** Reads the baseline at `path`; `shown` is how messages name it. */
export async function readBaseline(path: string, shown: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UserError(`baseline ${shown} does not exist`, `create it with \`keyfence baseline --output ${shown}\``);
    throw new UserError(`cannot read baseline ${shown}: ${(error as Error).message}`);
  }
  return parseBaseline(text, shown);
}

/** Plain code-unit order: the same on every machine and locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entryId(e: Pick<BaselineEntry, 'ruleId' | 'file' | 'hash'>): string {
  return `${e.ruleId}\0${e.file}\0${e.hash}`;
}

/** The file's order: by file, rule, hash. */
function sortEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  return [...entries].sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.hash, b.hash));
}

/** The file's bytes: sorted, duplicates merged, fixed key order, no timestamp. */
export function serializeBaseline(baseline: Baseline): string {
  const seen = new Set<string>();
  const entries = sortEntries(baseline.entries)
    .filter((e) => !seen.has(entryId(e)) && seen.add(entryId(e)))
    .map((e) => {
      const extra = e.extra ? Object.fromEntries(Object.keys(e.extra).sort(cmp).map((k) => [k, e.extra![k]])) : {};
      return {
        ruleId: e.ruleId,
        file: e.file,
        hash: e.hash,
        ...(e.imported !== undefined ? { imported: e.imported } : {}),
        ...(e.reason !== undefined ? { reason: e.reason } : {}),
        ...(e.owner !== undefined ? { owner: e.owner } : {}),
        ...(e.expires !== undefined ? { expires: e.expires } : {}),
        ...extra,
      };
    });
  return `${JSON.stringify({ version: BASELINE_VERSION, about: ABOUT, salt: baseline.salt, entries }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Hashing

const hashes = new Map<string, Promise<string>>();

function scryptHex(secret: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, HASH_BYTES, SCRYPT, (error, derived) => (error ? reject(error) : resolve(derived.toString('hex')))),
  );
}

/**
 * The keyed hash of what a finding found. Runs in libuv's thread pool, so many findings hash in
 * parallel; cached per run, as one secret is often found many times in a history.
 */
function findingHash(salt: string, finding: Pick<Finding, 'secret' | 'fingerprint'>): Promise<string> {
  if (finding.secret === '')
    return Promise.resolve(createHmac('sha256', salt).update(`finding\0${finding.fingerprint}`).digest('hex').slice(0, HASH_BYTES * 2));
  const id = `${salt}\0${finding.secret}`;
  let hash = hashes.get(id);
  if (!hash) {
    hash = scryptHex(finding.secret, `keyfence/baseline/v1\0${salt}`);
    hashes.set(id, hash);
  }
  return hash;
}

/** The keyed hash of a finding's secret, for entries written outside a baseline run (`keyfence import`). */
export function keyedHash(salt: string, finding: Pick<Finding, 'secret' | 'fingerprint'>): Promise<string> {
  return findingHash(salt, finding);
}

function isImported(entry: Pick<BaselineEntry, 'hash'>): boolean {
  return entry.hash.startsWith('sha1:');
}

/** Whether an imported entry holds this finding's value: the other scanner's SHA-1 of it. */
function importedMatches(entry: BaselineEntry, finding: Finding): boolean {
  return finding.secret !== '' && (entry.ruleId === ANY_RULE || entry.ruleId === finding.ruleId) && entry.hash === `sha1:${createHash('sha1').update(finding.secret).digest('hex')}`;
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface MatchOptions {
  /** For expiry; default now. */
  now?: Date;
  /** Whether this run scanned `file`; entries of files it did not scan are never stale. Default: every file. */
  covers?: (file: string) => boolean;
}

export interface BaselineMatch {
  /** Findings the baseline does not suppress (with those of expired entries). */
  kept: Finding[];
  /** Entries that suppressed at least one finding. */
  used: BaselineEntry[];
  /** Expired entries that matched a finding, which is reported again. */
  expired: BaselineEntry[];
  /** Entries of scanned files that matched nothing. */
  stale: BaselineEntry[];
}

function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function isExpired(entry: BaselineEntry, now = new Date()): boolean {
  return entry.expires !== undefined && entry.expires < today(now);
}

/** Splits findings into those the baseline suppresses and the rest, and finds stale entries. */
export async function matchBaseline(findings: Finding[], baseline: Baseline, options: MatchOptions = {}): Promise<BaselineMatch> {
  const byPlace = new Map<string, BaselineEntry[]>();
  for (const e of baseline.entries) {
    const place = `${e.ruleId}\0${e.file}`;
    byPlace.set(place, [...(byPlace.get(place) ?? []), e]);
  }
  const matched = new Set<BaselineEntry>();
  // Hash only findings whose rule and file the baseline knows: most findings of a run cost nothing.
  const entryOf = await Promise.all(
    findings.map(async (f) => {
      const candidates = [...(byPlace.get(`${f.ruleId}\0${f.file}`) ?? []), ...(byPlace.get(`${ANY_RULE}\0${f.file}`) ?? [])];
      if (candidates.length === 0) return undefined;
      const imported = candidates.find((e) => isImported(e) && importedMatches(e, f));
      if (imported) return imported;
      if (!candidates.some((e) => !isImported(e))) return undefined;
      const hash = await findingHash(baseline.salt, f);
      return candidates.find((e) => e.hash === hash);
    }),
  );
  const kept: Finding[] = [];
  const expired = new Set<BaselineEntry>();
  findings.forEach((f, i) => {
    const entry = entryOf[i];
    if (entry) matched.add(entry);
    if (entry && isExpired(entry, options.now)) expired.add(entry);
    if (!entry || isExpired(entry, options.now)) kept.push(f);
  });
  const covers = options.covers ?? (() => true);
  return {
    kept,
    used: baseline.entries.filter((e) => matched.has(e) && !expired.has(e)),
    expired: [...expired],
    stale: sortEntries(baseline.entries.filter((e) => !matched.has(e) && covers(e.file))),
  };
}

function describe(e: BaselineEntry): string {
  return `${e.ruleId} in ${e.file}`;
}

function listSome(items: string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

/** One-line notes for the report: expired entries, then stale ones with the command that prunes them. */
export function baselineNotes(shown: string, match: Pick<BaselineMatch, 'expired' | 'stale'>): string[] {
  const notes = match.expired.map((e) => {
    const who = [e.owner ? `owner ${e.owner}` : '', e.reason ? `reason: ${e.reason}` : ''].filter(Boolean).join('; ');
    return `baseline ${shown}: the entry for ${describe(e)} expired on ${e.expires}${who ? ` (${who})` : ''}; its findings are reported again`;
  });
  const n = match.stale.length;
  if (n > 0)
    notes.push(
      `baseline ${shown}: ${n} entr${n === 1 ? 'y matches' : 'ies match'} nothing any more (stale): ${listSome(match.stale.map(describe))}; ` +
        `remove ${n === 1 ? 'it' : 'them'} with \`keyfence baseline --prune --output ${shown}\``,
    );
  return notes;
}

// ---------------------------------------------------------------------------------------------
// Writing a baseline from a run

export interface UpdateOptions {
  /** Keep only entries that still match; add nothing. */
  prune?: boolean;
  /** Whether this run scanned `file`; entries of other files are kept as they are. Default: every file. */
  covers?: (file: string) => boolean;
  /** Given to new entries. */
  defaults?: Pick<BaselineEntry, 'reason' | 'owner' | 'expires'>;
}

export interface UpdateResult {
  baseline: Baseline;
  added: number;
  kept: number;
  removed: number;
}

/**
 * Today's findings as a baseline. An existing baseline keeps its salt, the entries of files this run
 * did not scan, and the reason, owner and expiry of entries that still match.
 */
export async function updateBaseline(
  existing: Baseline | undefined,
  findings: Finding[],
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const salt = existing?.salt ?? newBaseline().salt;
  const covers = options.covers ?? (() => true);
  const old = new Map((existing?.entries ?? []).map((e) => [entryId(e), e]));
  const current = new Map<string, BaselineEntry>();
  // Imported entries stay while they still hold a finding, which then needs no keyed entry of its own.
  const importedEntries = (existing?.entries ?? []).filter(isImported);
  const stillImported = new Set<BaselineEntry>();
  const fresh = findings.filter((f) => {
    const entry = importedEntries.find((e) => e.file === f.file && importedMatches(e, f));
    if (entry) stillImported.add(entry);
    return !entry;
  });
  for (const e of stillImported) current.set(entryId(e), e);
  const hashed = await Promise.all(fresh.map(async (f) => ({ ruleId: f.ruleId, file: f.file, hash: await findingHash(salt, f) })));
  for (const e of hashed) current.set(entryId(e), e);

  const entries: BaselineEntry[] = [];
  let added = 0;
  let kept = 0;
  let removed = 0;
  for (const [id, entry] of old) {
    if (current.has(id) || !covers(entry.file)) {
      entries.push(entry);
      kept++;
    } else removed++;
  }
  if (!options.prune) {
    const defaults = Object.fromEntries(Object.entries(options.defaults ?? {}).filter(([, v]) => v !== undefined));
    for (const [id, entry] of current) {
      if (old.has(id)) continue;
      entries.push({ ...entry, ...defaults });
      added++;
    }
  }
  return { baseline: { salt, entries: sortEntries(entries) }, added, kept, removed };
}

/**
 * Which files a scan of `paths` (relative to `cwd`) covers, as a test on root-relative paths: a
 * deleted file under a scanned folder is covered (its entries are stale), a file outside is not.
 */
export function coverageOfPaths(root: string, cwd: string, paths: string[]): (file: string) => boolean {
  const prefixes = (paths.length ? paths : ['.']).map((p) => relative(root, resolve(cwd, p)).split(sep).join('/'));
  if (prefixes.some((p) => p === '')) return () => true;
  return (file) => prefixes.some((p) => file === p || file.startsWith(`${p}/`));
}
