/**
 * The Action's `report` input: more reports of the same run, as the CLI's --report, written beside
 * the SARIF file; a bad line fails the step before anything is scanned.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/action.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

let repo: TempDir;
let key: string;
beforeAll(() => {
  repo = tempRepo();
  key = fake.stripeLive();
  repo.write('src/billing.js', `const stripe = '${key}';\n`);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'billing');
});
afterAll(() => repo.remove());

describe('the report input', () => {
  it('writes each FORMAT=FILE line from the same run as the SARIF file', async () => {
    const work = tempDir();
    try {
      const run = await runAction({ repo, work, eventName: 'workflow_dispatch', event: {}, inputs: { mode: 'audit', report: 'junit=out/keyfence.xml\n\n  csv=out/keyfence.csv  \n' } });
      expect(run.code).toBe(1);
      const sarif = JSON.parse(run.sarifText) as { runs: Array<{ results: Array<{ ruleId: string }> }> };
      const ruleIds = sarif.runs[0]!.results.map((r) => r.ruleId);
      expect(ruleIds).toContain('stripe-live-secret-key');
      const junit = readFileSync(join(repo.path, 'out/keyfence.xml'), 'utf8');
      expect([...junit.matchAll(/<failure /g)]).toHaveLength(ruleIds.length);
      const csv = readFileSync(join(repo.path, 'out/keyfence.csv'), 'utf8').trimEnd().split('\r\n');
      expect(csv).toHaveLength(ruleIds.length + 1);
      for (const text of [junit, csv.join('\n')]) expect(text).not.toContain(key);
    } finally {
      work.remove();
    }
  }, 90_000);

  it('a line of an unknown format fails the step before the scan', async () => {
    const work = tempDir();
    try {
      const run = await runAction({ repo, work, eventName: 'workflow_dispatch', event: {}, inputs: { mode: 'audit', report: 'xlsx=out/keyfence.xlsx' } });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('::error::keyfence: input report "xlsx=out/keyfence.xlsx": unknown format "xlsx"');
      expect(run.sarifText).toBe('');
      expect(existsSync(join(work.path, 'keyfence.sarif'))).toBe(false);
    } finally {
      work.remove();
    }
  }, 90_000);
});
