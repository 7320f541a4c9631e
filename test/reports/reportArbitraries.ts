import fc from 'fast-check';
import { CATEGORIES, SEVERITIES, type Report, type ReportFinding } from '../../src/findings/finding.js';
import type { SecretInventoryRow } from '../../src/findings/secretInventory.js';
import { renderJson } from '../../src/reporters/json.js';
import { findingKey } from '../../src/reports/findingOrder.js';
import { parseReport } from '../../src/reports/readReport.js';

/**
 * Reports as `--format json` writes them, drawn from small pools so that reports share findings,
 * fingerprints repeat across repositories, and notes and inventory rows repeat: the cases merging
 * is about.
 */
export const FINGERPRINTS = ['0a'.repeat(16), '1b'.repeat(16), '2c'.repeat(16), '3d'.repeat(16)];
const SHAS = ['a1'.repeat(20), 'b2'.repeat(20)];

const finding: fc.Arbitrary<ReportFinding> = fc
  .record({
    // Few places, so that reports often hold the same finding (told apart by what else they say).
    repository: fc.constantFrom(undefined, 'acme/api'),
    ruleId: fc.constantFrom('stripe-live-secret-key', 'generic-password'),
    category: fc.constantFrom(...CATEGORIES),
    severity: fc.constantFrom(...SEVERITIES),
    message: fc.constantFrom('Stripe live secret key', 'Password', 'checks out a fork'),
    file: fc.constantFrom('config/.env', 'src/app.ts'),
    line: fc.integer({ min: 1, max: 2 }),
    column: fc.constant(1),
    environment: fc.constantFrom('development' as const, 'production' as const, 'ci' as const),
    secret: fc.constantFrom('', '…Qv9a'),
    fingerprint: fc.constantFrom(...FINGERPRINTS.slice(0, 2)),
    commit: fc.option(fc.constantFrom(...SHAS), { nil: undefined }),
    checkedAt: fc.option(fc.constantFrom('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'), { nil: undefined }),
  })
  .map(({ repository, commit, checkedAt, ...f }) => ({
    ...f,
    endLine: f.line,
    endColumn: f.column + 10,
    ...(repository ? { repository } : {}),
    ...(checkedAt ? { verification: { status: 'live' as const, checkedAt } } : {}),
    ...(commit ? { commit, author: 'Dev <dev@example.com>', date: commit === SHAS[0] ? '2026-01-01T00:00:00Z' : '2026-02-01T00:00:00Z' } : {}),
  }));

const suppression = fc
  .tuple(finding, fc.constantFrom('keyfence:allow[stripe-live-secret-key]', 'gitleaks:allow'), fc.constantFrom('', 'test key'))
  .map(([f, marker, reason]) => ({ ...f, marker, reason }));

const row = fc.constantFrom<SecretInventoryRow>(
  { name: 'DEPLOY_KEY', scope: 'repository', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ageDays: 300, maxAgeDays: 90, environment: 'production', usedBy: [], mayBeReadBy: [], findings: [] },
  { name: 'NPM_TOKEN', scope: 'organization', visibility: 'all', createdAt: '2026-05-01T00:00:00Z', updatedAt: '2026-05-01T00:00:00Z', ageDays: 20, maxAgeDays: 180, environment: 'unknown', usedBy: [{ file: '.github/workflows/release.yml', job: 'publish' }], mayBeReadBy: [], findings: [] },
);

const count = fc.integer({ min: 0, max: 1000 });

export const report: fc.Arbitrary<Report> = fc
  .record({
    findings: fc.uniqueArray(finding, { maxLength: 8, selector: findingKey }),
    stats: fc.record({
      files: count,
      bytes: count,
      commits: count,
      durationMs: count,
      skipped: count,
      suppressed: fc.record({ inline: count, allow: count, baseline: count }),
    }),
    notes: fc.subarray(['1 file skipped, binary: logo.png', 'shallow clone: history is partial', 'acme/web: clone failed (404)']),
    secretInventory: fc.option(fc.uniqueArray(row, { maxLength: 2, selector: (r) => r.name }), { nil: undefined }),
    // Pull-request mode: what markers the change added silenced.
    suppressedByChange: fc.option(fc.uniqueArray(suppression, { maxLength: 3, selector: findingKey }), { nil: undefined }),
  })
  .map(({ secretInventory, suppressedByChange, ...r }) =>
    readBack({ ...r, units: ['files'], ...(secretInventory ? { secretInventory } : {}), ...(suppressedByChange ? { suppressedByChange } : {}) }),
  );

/** A report as a file holds it and `report merge` reads it back: through the JSON reporter. */
export function readBack(r: Report, name = 'report.json'): Report {
  return parseReport(json(r), name);
}

export const json = (r: Report): string => renderJson(r, { color: false, rules: [] });
