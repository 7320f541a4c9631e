/**
 * What a job puts within reach of code it runs: secrets, a token that can write, or a token that may
 * write. Checks about code the job does not control (an unpinned action, a downloaded script) weigh
 * their finding by it.
 */
import type { RelatedSpan } from './check.js';
import type { JobFacts } from './analysis.js';

/**
 * Write scopes that reach no code, package or cloud: code run with them could comment, label, or
 * set a check's result, not change what ships. Alone, they make the finding one step smaller.
 */
const NARROW_WRITE = new Set(['pull-requests', 'issues', 'checks', 'statuses', 'security-events', 'discussions']);

/**
 * No `permissions:` in the workflow or the job (nor from a caller): the token has the repository's
 * default, read-write on repositories and organisations created before February 2023 unless an
 * admin changed it. The file alone cannot tell, so this is "may write", one step lower than a
 * declared write scope.
 */
function defaultTokenOnly(facts: JobFacts): boolean {
  return facts.writeScopes.length === 0 && facts.permissions.source === 'default' && facts.tokenMayWrite;
}

/** Nothing but narrow write scopes, or the default token, and no secret: one step lower. */
export function narrowReach(facts: JobFacts): boolean {
  return !facts.holdsSecrets && facts.writeScopes.every((scope) => NARROW_WRITE.has(scope));
}

/** What is in reach, in words ("secrets and a token that can write (contents)"), or null for nothing. */
export function inReach(facts: JobFacts): string | null {
  const what = [
    facts.holdsSecrets ? 'secrets' : '',
    facts.writeScopes.length > 0
      ? `a token that can write (${facts.writeScopes.join(', ')})`
      : defaultTokenOnly(facts)
        ? "a token that may write (no `permissions:` is set, so it has the repository's default, read-write unless the repository or organisation restricts it)"
        : '',
  ].filter(Boolean);
  return what.length > 0 ? what.join(' and ') : null;
}

/** The first secret the job reads, as the place a finding points to beside its own. */
export function secretRelated(facts: JobFacts): RelatedSpan[] {
  const first = facts.secrets[0];
  return first ? [{ span: first.occ.span, label: `\`secrets.${first.name}\` is in reach` }] : [];
}
