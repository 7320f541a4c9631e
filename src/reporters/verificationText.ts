import type { Verification } from '../findings/finding.js';

/** A finding's verification in a few words for the text formats: `live (login octocat)`, `error: timed out`. */
export function verificationText(v: Verification): string {
  if (v.status === 'live') return v.identity ? `live (${v.identity})` : 'live';
  if (v.status === 'error' || v.status === 'unknown') return v.reason ? `${v.status}: ${v.reason}` : v.status;
  return v.identity ? `${v.status} (${v.identity})` : v.status;
}
