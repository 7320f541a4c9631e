import type { Finding } from '../findings/finding.js';

/**
 * Each finding once, whichever sources and checks of a run met it:
 * - the same rule at the same place (and commit) is one finding;
 * - one secret (the same rule and fingerprint) found both in the tree and in commits, as an audit
 *   finds it, is reported where it is now; found only in commits, with the oldest commit that
 *   added it: a key added, removed and added again is one key to rotate.
 * Order is kept; the report sorts later.
 */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const inTree = new Set<string>();
  const oldestCommit = new Map<string, { sha: string; time: number }>();
  for (const f of findings) {
    const secret = secretKey(f);
    if (!f.commit) inTree.add(secret);
    else {
      const known = oldestCommit.get(secret);
      const time = Date.parse(f.commit.date);
      // git log lists newest first: on equal dates the one met last is the older.
      if (!known || !(time > known.time)) oldestCommit.set(secret, { sha: f.commit.sha, time });
    }
  }
  const seen = new Set<string>();
  return findings.filter((f) => {
    const secret = secretKey(f);
    if (f.commit && (inTree.has(secret) || oldestCommit.get(secret)?.sha !== f.commit.sha)) return false;
    const place = `${secret}\0${f.file}\0${f.line}:${f.column}-${f.endLine}:${f.endColumn}\0${f.commit?.sha ?? ''}`;
    if (seen.has(place)) return false;
    seen.add(place);
    return true;
  });
}

function secretKey(f: Finding): string {
  return `${f.ruleId}\0${f.fingerprint}`;
}
