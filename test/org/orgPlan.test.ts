import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planShards } from '../../src/run/org/shards.js';
import { fake } from '../support/secrets.js';
import { ORG, packNames, runCliAsync, startOrg, type Org } from './orgSupport.js';

let org: Org | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

const SIZES: Record<string, number> = { api: 900, web: 700, infra: 500, docs: 400, tools: 100 };

describe('keyfence org plan', () => {
  it('prints a GitHub Actions matrix of shards balanced by size, the same filters as audit --org applied', async () => {
    org = await startOrg([...Object.entries(SIZES).map(([name, size]) => ({ name, size })), { name: 'attic', size: 5000, archived: true }]);
    const run = await runCliAsync(['org', 'plan', ORG, '--shards', '2'], org.dir.path, org.env);
    expect(run.code, run.stderr).toBe(0);
    // Largest first, each to the lighter shard: api 900 → 1, web 700 → 2, infra 500 → 2 (1200),
    // docs 400 → 1 (1300), tools 100 → 2 (1300).
    expect(run.stdout).toBe('{"include":[{"shard":"1/2","repositories":2,"size":1300},{"shard":"2/2","repositories":3,"size":1300}]}\n');
    expect(run.stderr).toBe('keyfence: 5 repositories of octo-org in 2 shards\n');
    expect(org.server.problems).toEqual([]);
    expect(org.packs()).toEqual([]);
  });

  it('usage errors: no --shards, a subcommand it does not know', async () => {
    org = await startOrg([{ name: 'api' }]);
    const noShards = await runCliAsync(['org', 'plan', ORG], org.dir.path, org.env);
    expect([noShards.code, noShards.stderr.split('\n')[0]]).toEqual([2, 'keyfence: --shards must be a whole number from 1 (got "")']);
    const unknown = await runCliAsync(['org', 'list', ORG], org.dir.path, org.env);
    expect([unknown.code, unknown.stderr.split('\n')[0]]).toEqual([2, 'keyfence: org: unknown subcommand "list"']);
    expect(org.server.requests).toEqual([]);
  });
});

describe('keyfence audit --org --shard I/N', () => {
  it('audits exactly its share; the shards together audit every repository once', async () => {
    org = await startOrg(Object.entries(SIZES).map(([name, size]) => ({ name, size, files: { 'k.js': `k = '${fake.stripeLive()}'\n` } })));
    const share = planShards(
      Object.entries(SIZES).map(([name, size]) => ({ fullName: `${ORG}/${name}`, size })),
      2,
    ).map((s) => s.repositories.map((r) => r.fullName).sort());
    const audited: string[][] = [];
    for (const shard of ['1/2', '2/2']) {
      const output = `shard-${shard.replace('/', '-of-')}.json`;
      const run = await runCliAsync(['audit', '--org', ORG, '--shard', shard, '--format', 'json', '--output', output, '--jobs', '2'], org.dir.path, org.env);
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(readFileSync(join(org.dir.path, output), 'utf8'));
      audited.push(report.findings.map((f: { repository: string }) => f.repository));
      expect(report.notes[0]).toBe(`${share[audited.length - 1]!.length} repositories of octo-org in shard ${shard}: ${share[audited.length - 1]!.length} audited, 0 not`);
    }
    expect(audited).toEqual(share);
    expect(audited).toEqual([
      ['octo-org/api', 'octo-org/docs'],
      ['octo-org/infra', 'octo-org/tools', 'octo-org/web'],
    ]);
    expect(packNames(org.packs()).sort()).toEqual(['api', 'docs', 'infra', 'tools', 'web']);
    // The workflow's merge step: the shard reports make one report of the whole organisation.
    const merged = await runCliAsync(['report', 'merge', 'shard-2-of-2.json', 'shard-1-of-2.json', '--format', 'json'], org.dir.path, {});
    expect(merged.code, merged.stderr).toBe(0);
    const whole = JSON.parse(merged.stdout);
    expect(whole.findings.map((f: { repository: string; file: string }) => `${f.repository} ${f.file}`)).toEqual(
      ['api', 'docs', 'infra', 'tools', 'web'].map((n) => `octo-org/${n} k.js`),
    );
    expect(whole.stats.commits).toBe(5);
  });
});
