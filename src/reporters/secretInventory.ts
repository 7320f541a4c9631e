/**
 * The "Secret inventory" section of an `audit --github` report, in words: the text and markdown
 * sections, and the cells the CSV, JUnit, GitHub and GitLab formats build theirs from (JSON and
 * SARIF carry the rows as data). Rows come riskiest first; names, scopes, dates and job names
 * only: a secret's value is never known to keyfence.
 */
import { scopeText, type SecretInventoryRow } from '../findings/secretInventory.js';

const jobs = (list: SecretInventoryRow['usedBy']) => list.map((u) => `${u.file} ${u.job}`);

/** `ci.yml test, deploy.yml deploy, release.yml all (all secrets)`, or `no job`. */
export function usedByText(r: SecretInventoryRow): string {
  const used = jobs(r.usedBy);
  const maybe = jobs(r.mayBeReadBy).map((j) => `${j} (all secrets)`);
  return [...used, ...maybe].join(', ') || 'no job';
}

/** `secret-rotation-age (medium), secret-unused (low)`; empty when nothing is found about it. */
export const findingsText = (r: SecretInventoryRow) => r.findings.map((f) => `${f.ruleId} (${f.severity})`).join(', ');

/** A secret's name, after its repository's in an organisation's report: `octo-org/api DEPLOY_TOKEN`. */
export const secretName = (r: SecretInventoryRow) => (r.repository ? `${r.repository} ${r.name}` : r.name);

/** One row in words: `NAME  scope  age 400/90 days, updated 2025-11-02  used by …  findings: …` (NAME: secretName). */
export function inventoryLine(r: SecretInventoryRow): string {
  const found = findingsText(r);
  return `${secretName(r)}  ${scopeText(r)}  age ${r.ageDays}/${r.maxAgeDays} days, updated ${r.updatedAt.slice(0, 10)}  used by ${usedByText(r)}${found ? `  findings: ${found}` : ''}`;
}

/** Plain lines: a heading, then a line per secret. */
export function inventoryTextLines(rows: SecretInventoryRow[] | undefined): string[] {
  if (!rows || rows.length === 0) return [];
  return [`secret inventory (${rows.length}):`, ...rows.map((r) => `  ${inventoryLine(r)}`)];
}

/** A markdown table; `cell` escapes what came from the repository (names, paths). */
export function inventoryMarkdownLines(rows: SecretInventoryRow[] | undefined, cell: (s: string) => string, max: number): string[] {
  if (!rows || rows.length === 0) return [];
  const out = [
    '',
    '### Secret inventory',
    '',
    'Every Actions secret the repository can read, riskiest first. GitHub returns names and dates, never values.',
    '',
  ];
  // An organisation's report: which repository can read each secret comes first.
  const org = rows.some((r) => r.repository !== undefined);
  out.push(`|${org ? ' repository |' : ''} secret | scope | age / limit (days) | last update | used by | findings |`, `|${org ? '---|' : ''}---|---|---:|---|---|---|`);
  for (const r of rows.slice(0, max)) {
    out.push(`|${org ? ` ${cell(r.repository ?? '')} |` : ''} ${cell(r.name)} | ${cell(scopeText(r))} | ${r.ageDays} / ${r.maxAgeDays} | ${r.updatedAt.slice(0, 10)} | ${cell(usedByText(r))} | ${cell(findingsText(r))} |`);
  }
  if (rows.length > max) out.push('', `…and ${rows.length - max} more: see the JSON report.`);
  return out;
}
