import type { Finding, Severity, Verification } from '../findings/finding.js';
import { userCacheDir } from '../userCache.js';
import { VerificationCache } from './cache.js';
import { createTransport, testBaseUrl } from './http.js';
import { verifierFor } from './registry.js';
import { runChecks, type Check } from './runner.js';
import type { Candidate } from './verifier.js';

/**
 * The verification stage of a run (`--verify`), loaded only when asked: each finding with a
 * secret gets `verification`, severity follows the answer (live: critical; invalid or revoked:
 * low, unless keyfence.yml sets the rule's severity), and with `onlyVerified` only live findings
 * stay. Network trouble never fails the run: it is an `error` on the finding and one note.
 */
export interface VerifyOptions {
  env: NodeJS.ProcessEnv;
  onlyVerified: boolean;
  /** Rules whose severity keyfence.yml sets (`overrides`): an invalid or revoked key keeps it. */
  pinnedSeverity?: ReadonlySet<string>;
}

const NEARBY_LINES = 5;

interface Verified {
  findings: Finding[];
  notes: string[];
}

export async function verifyFindings(findings: readonly Finding[], options: VerifyOptions): Promise<Verified> {
  const base = testBaseUrl(options.env);
  const checks = new Map<Finding, Check>();
  for (const f of findings) {
    const verifier = f.secret ? verifierFor(f.ruleId) : undefined;
    if (!verifier) continue;
    const credential = verifier.credential ? verifier.credential(candidateOf(f, findings)) : f.secret;
    if (credential !== undefined) checks.set(f, { verifier, credential });
  }
  const answers = new Map<Check, Verification>();
  if (checks.size > 0) {
    const transport = createTransport(options.env);
    const timeout = Number(options.env.KEYFENCE_VERIFY_TIMEOUT_MS);
    try {
      const cache = new VerificationCache(userCacheDir(options.env), base ? `test:${base.origin}` : 'providers');
      const results = await runChecks([...checks.values()], { transport, cache, timeoutMs: timeout > 0 ? timeout : undefined });
      for (const [check, v] of results) answers.set(check, v);
    } finally {
      await transport.close();
    }
  }
  const out: Finding[] = [];
  let errors = 0;
  for (const f of findings) {
    if (!f.secret) {
      if (!options.onlyVerified) out.push(f);
      continue;
    }
    const check = checks.get(f);
    const verification: Verification = check
      ? answers.get(check)!
      : { status: 'unknown', reason: verifierFor(f.ruleId) ? 'the other part of the credential was not found nearby' : 'no verifier for this rule' };
    if (verification.status === 'error') errors++;
    if (options.onlyVerified && verification.status !== 'live') continue;
    const severity = options.pinnedSeverity?.has(f.ruleId) && verification.status !== 'live' ? f.severity : severityAfter(f.severity, verification);
    out.push({ ...f, severity, verification });
  }
  const notes = errors ? [`verification: ${errors} finding${errors === 1 ? '' : 's'} could not be checked (see verification.reason); severities of those are unchanged`] : [];
  return { findings: out, notes };
}

function severityAfter(severity: Severity, verification: Verification): Severity {
  if (verification.status === 'live') return 'critical';
  if (verification.status === 'invalid' || verification.status === 'revoked') return 'low';
  return severity;
}

function candidateOf(f: Finding, all: readonly Finding[]): Candidate {
  const nearby = all
    .filter((o) => o !== f && o.secret && o.file === f.file && o.commit?.sha === f.commit?.sha && Math.abs(o.line - f.line) <= NEARBY_LINES)
    .sort((a, b) => Math.abs(a.line - f.line) - Math.abs(b.line - f.line))
    .map((o) => ({ ruleId: o.ruleId, secret: o.secret }));
  return { ruleId: f.ruleId, secret: f.secret, lineText: f.lineText ?? '', nearby };
}
