import micromatch from 'micromatch';
import { UserError } from '../../errors.js';
import type { OrgRepository } from '../../github/orgRepositories.js';

export const VISIBILITIES = ['all', 'public', 'private', 'internal'] as const;
export type VisibilityFilter = (typeof VISIBILITIES)[number];

/**
 * Which of an organisation's repositories a run covers. Archived repositories and forks are left
 * out unless asked for: an archived one cannot change, a fork's history is mostly its parent's.
 */
export interface RepositorySelection {
  /** Globs on the repository name (without the owner); none: every name. */
  include: string[];
  exclude: string[];
  archived: boolean;
  forks: boolean;
  visibility: VisibilityFilter;
}

export function parseVisibility(value: string | undefined): VisibilityFilter {
  const v = value ?? 'all';
  if (!(VISIBILITIES as readonly string[]).includes(v)) throw new UserError(`unknown --visibility "${v}"`, `use one of ${VISIBILITIES.join(', ')}`);
  return v as VisibilityFilter;
}

/** The repositories a selection keeps, in the listing's order; --exclude wins over --include. */
export function selectRepositories(repos: readonly OrgRepository[], s: RepositorySelection): OrgRepository[] {
  return repos.filter(
    (r) =>
      (s.archived || !r.archived) &&
      (s.forks || !r.fork) &&
      (s.visibility === 'all' || r.visibility === s.visibility) &&
      (s.include.length === 0 || micromatch.isMatch(r.name, s.include, { nocase: true })) &&
      !(s.exclude.length > 0 && micromatch.isMatch(r.name, s.exclude, { nocase: true })),
  );
}
