/*
 * Which files can hold production data. Kept apart from the detectors (prodData.ts), which carry the
 * phone-number and IBAN tables: the engine loads those only for a run that meets a data file.
 */

/**
 * Files whose format holds records: SQL, CSV/TSV, JSON and NDJSON, YAML and XML fixtures. Source
 * code is left out: a program holds a few literal values, not a table of them, and its numbers
 * are ids, constants and test vectors.
 */
const DATA_FILE = /\.(?:sql|psql|mysql|csv|tsv|json|jsonl|ndjson|ya?ml|xml)$/i;

/**
 * Files that list people on purpose, publicly: a package's authors and maintainers, contributor
 * lists, the mailmap, code owners. Their addresses are the project's, not leaked data.
 */
const PEOPLE_LISTS =
  /(?:^|\/)(?:package\.json|composer\.json|bower\.json|[^/]*\.gemspec|cargo\.toml|pyproject\.toml|setup\.cfg|pkg-info|metadata|authors|contributors|maintainers|credits|codeowners|\.mailmap|\.all-contributorsrc|citation\.cff|zenodo\.json|\.zenodo\.json)(?:\.[a-z]+)?$/i;

/** Lockfiles: machine-made lists of packages, large, and full of `@scope/name` that look like addresses. */
const LOCKFILE = /(?:^|\/)(?:package-lock|npm-shrinkwrap|pnpm-lock|composer|deno|bun)(?:\.lock)?\.(?:json|ya?ml)$/i;

export function wantsProdData(file: string): boolean {
  return DATA_FILE.test(file) && !PEOPLE_LISTS.test(file) && !LOCKFILE.test(file);
}
