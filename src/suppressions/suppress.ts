import type { KeyfenceConfig } from '../config/config.js';
import type { Finding } from '../findings/finding.js';
import { inlineSuppressed } from './inlineComment.js';
import { allowedByConfig, compileAllowlist } from './allowlist.js';

export interface SuppressionOptions {
  config: KeyfenceConfig;
  /** --no-suppressions: report everything. */
  disabled: boolean;
}

/** The suppression stage: inline comments and config allowlists. Returns what survives. */
export function applySuppressions(findings: Finding[], options: SuppressionOptions): { kept: Finding[]; notes: string[] } {
  if (options.disabled) return { kept: findings, notes: [] };
  const allowlist = compileAllowlist(options.config.allow);
  const kept = findings.filter((f) => !inlineSuppressed(f, options.config.suppressionMarkers) && !allowedByConfig(f, allowlist));
  return { kept, notes: [] };
}
