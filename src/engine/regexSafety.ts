import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crypto } from '../lazyBuiltins.js';
import { userCacheDir } from '../userCache.js';

/** `true` in the bundles (scripts/buildAction.mjs); undefined when running from source. */
declare const __KEYFENCE_BUNDLED__: boolean | undefined;

export interface SafetyVerdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** A short attack string, when vulnerable. */
  attack?: string;
  complexity?: string;
}

/**
 * Whether a regex can backtrack catastrophically, decided by the recheck ReDoS checker: its exact
 * automaton analysis first (fast, decisive for most rules), its fuzzer where the automaton gives up.
 * Loaded only when needed: the built-in rules are proven in the test suite, not at run time.
 */
export async function checkRegexSafety(source: string, flags: string): Promise<SafetyVerdict> {
  // The bundle holds recheck without its native binary, jar or worker file (scripts/buildAction.mjs):
  // its pure-JS checker runs in-process. From source, the installed package picks its fastest backend.
  if (typeof __KEYFENCE_BUNDLED__ === 'boolean') process.env.RECHECK_SYNC_BACKEND = 'pure';
  const recheck = await import('recheck');
  // A CommonJS module in a split bundle arrives as its `default` export only.
  const checkSync = recheck.checkSync ?? recheck.default.checkSync;
  const verdict = (d: ReturnType<typeof checkSync>): SafetyVerdict =>
    d.status === 'vulnerable'
      ? { status: 'vulnerable', attack: d.attack.pattern ?? d.attack.string.slice(0, 40), complexity: d.complexity.type }
      : { status: d.status === 'safe' ? 'safe' : 'unknown' };
  const exact = verdict(checkSync(source, flags, { checker: 'automaton', timeout: 3000 }));
  if (exact.status !== 'unknown') return exact;
  return verdict(checkSync(source, flags, { checker: 'fuzz', timeout: 20000 }));
}

/**
 * The same check for user-supplied regexes (custom rules in keyfence.yml), remembered per regex in
 * a cache file, so a pre-commit hook pays for a new or changed rule once, not on every commit.
 */
export async function checkRegexSafetyCached(source: string, flags: string): Promise<SafetyVerdict> {
  const dir = userCacheDir();
  const file = join(dir, 'regex-safety.json');
  const key = crypto().createHash('sha256').update(`${flags}/${source}`).digest('hex').slice(0, 24);
  let cache: Record<string, SafetyVerdict> = {};
  try {
    cache = JSON.parse(readFileSync(file, 'utf8')) as Record<string, SafetyVerdict>;
  } catch {
    // No cache yet, or an unreadable one: check afresh.
  }
  const known = cache[key];
  if (known) return known;
  const verdict = await checkRegexSafety(source, flags);
  if (verdict.status === 'safe') {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, JSON.stringify({ ...cache, [key]: verdict }));
    } catch {
      // A read-only home is no reason to fail a scan; the check just runs again next time.
    }
  }
  return verdict;
}
