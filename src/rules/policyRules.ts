import type { RuleSpec } from './ruleSpec.js';

/** A rule the engine runs in code: its metadata, no keywords, a regex that never matches, no examples. */
function inCode(spec: Pick<RuleSpec, 'id' | 'description' | 'category' | 'severity'> & Partial<RuleSpec>): RuleSpec {
  return { keywords: [], regex: '(?!)', examples: { match: [], noMatch: [] }, ...spec };
}

/**
 * Rules the engine runs itself rather than from rules/*.yml, because they need more than one line
 * of one file or the user's configuration. They have ids, docs and severities like every rule, so
 * reports, SARIF rule metadata, allowlists and overrides treat them the same way.
 */
export const ENV_CROSSOVER: RuleSpec = inCode({
  id: 'env-crossover',
  description: 'One secret value is used by two environments',
  category: 'env-crossover',
  severity: 'high',
});

export const PROD_HOST_DOMAIN: RuleSpec = inCode({
  id: 'prod-host-domain',
  description: 'A configured production domain in a development, test or staging file',
  category: 'prod-host',
  severity: 'high',
  environments: ['development', 'test', 'staging'],
});

/**
 * A pull request that weakens keyfence's own configuration (an allow entry, a rule switched off, a
 * baseline entry): found by comparing the head's policy with the base's (src/run/policyReview.ts).
 * `low` by default, so a policy change can still be merged once reviewed; an organisation that
 * wants every loosening to block raises it with a locked override in the policy the base extends.
 */
export const POLICY_LOOSENED: RuleSpec = inCode({
  id: 'policy-loosened',
  description: "A pull request loosens keyfence's configuration or baseline",
  category: 'policy',
  severity: 'low',
});

/**
 * A database dump with data rows (pg_dump, mysqldump, sqlite3 .dump, COPY blocks, mongoexport):
 * src/engine/prodData/. High anywhere: a dump is production data wherever it lands.
 */
export const PROD_DATA_DUMP: RuleSpec = inCode({
  id: 'prod-data-dump',
  description: 'A database dump with data rows',
  category: 'prod-data',
  severity: 'high',
});

/**
 * Real personal data in a data file (validated card numbers, IBANs, SSNs, phone numbers, e-mail
 * addresses, beyond a count no test needs). High; the environment policy grades it (production
 * seeds medium, documentation low).
 */
export const PROD_DATA_PERSONAL: RuleSpec = inCode({
  id: 'prod-data-personal',
  description: 'Real personal data in a data file',
  category: 'prod-data',
  severity: 'high',
});

/** Rules that live in code rather than in rules/*.yml: valid in overrides, policies and allowlists. */
export const ENGINE_RULES: readonly RuleSpec[] = [ENV_CROSSOVER, PROD_HOST_DOMAIN, POLICY_LOOSENED, PROD_DATA_DUMP, PROD_DATA_PERSONAL];
export const ENGINE_RULE_IDS: readonly string[] = ENGINE_RULES.map((r) => r.id);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `prod-host-domain` for the configured production domains: a host that is, or is under, one of
 * them, in a URL or anywhere a hostname stands alone (not the domain of an e-mail address).
 * Hosts naming another environment (`staging.acme.com`, `dev-api.acme.com`) are not production.
 * Linear by construction: labels cannot hold dots, so the label loop is deterministic.
 */
export function productionDomainRule(domains: readonly string[]): RuleSpec | undefined {
  if (domains.length === 0) return undefined;
  const names = [...new Set(domains.map((d) => d.toLowerCase().replace(/^\*\./, '')))].sort((a, b) => b.length - a.length);
  const label = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
  return {
    ...PROD_HOST_DOMAIN,
    keywords: names,
    regex: `(?:\\/\\/(?:[^\\s\\/@'"\`<>]{1,256}@)?|(?<![a-z0-9.@_%+-]))((?:${label}\\.){0,20}(?:${names.map(escape).join('|')}))(?![a-z0-9-]|\\.[a-z0-9])`,
    flags: 'i',
    allow: [
      // Hosts that name a non-production environment in one of their labels.
      '(?:^|[.-])(?:dev|development|develop|local|localhost|test|testing|qa|uat|stage|staging|stg|preprod|sandbox|preview|demo|nonprod|non-prod)\\d{0,2}(?:[.-]|$)',
    ],
    placeholders: false,
  };
}
