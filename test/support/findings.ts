import { randomBytes } from 'node:crypto';
import { fingerprint } from '../../src/findings/fingerprint.js';
import type { Finding } from '../../src/findings/finding.js';

/**
 * Findings for unit tests of the stages after the engine. Token-shaped values are made at run
 * time, so nothing token-shaped is committed.
 */
export const token = (prefix = 'kft') => `${prefix}_${randomBytes(16).toString('hex')}`;

export interface FindingOn {
  ruleId?: string;
  file?: string;
  line?: number;
  previousLineText?: string;
  /** Which occurrence of the secret on the line (default the first). */
  occurrence?: number;
}

/** A finding of `secret` where it sits on `lineText`, with column, end and fingerprint worked out. */
export function findingOn(lineText: string, secret: string, over: FindingOn & Partial<Finding> = {}): Finding {
  const { occurrence = 0, ...rest } = over;
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = lineText.indexOf(secret, index + 1);
  if (index === -1) throw new Error(`secret not on the line: ${lineText}`);
  const ruleId = rest.ruleId ?? 'kf-test-token';
  const file = rest.file ?? 'app.env';
  const line = rest.line ?? 1;
  return {
    ruleId,
    category: 'live-key',
    severity: 'high',
    message: 'keyfence test token',
    file,
    line,
    column: index + 1,
    endLine: line,
    endColumn: index + 1 + secret.length,
    environment: 'development',
    secret,
    fingerprint: fingerprint(ruleId, file, secret),
    lineText,
    ...rest,
  };
}

/** A workflow-check finding on `lineText` (no secret). */
export function workflowFinding(lineText: string, over: Partial<Finding> = {}): Finding {
  const ruleId = over.ruleId ?? 'untrusted-checkout';
  const file = over.file ?? '.github/workflows/ci.yml';
  return {
    ruleId,
    category: 'workflow',
    severity: 'high',
    message: 'checks out the pull request head in a privileged workflow',
    file,
    line: 12,
    column: 9,
    endLine: 12,
    endColumn: 30,
    environment: 'ci',
    secret: '',
    fingerprint: fingerprint(ruleId, file, 'job build step 2', false),
    lineText,
    ...over,
  };
}
