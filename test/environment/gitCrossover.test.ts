import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

interface Report {
  findings: Array<{ ruleId: string; file: string; line: number; secret: string; related?: Array<{ file: string }> }>;
}

/**
 * The commit (or pull request) that introduces a reuse is the one blocked: its added value is
 * compared with the other environments' config files as the index (or the range's head) holds them.
 */
describe('cross-environment reuse in git modes', () => {
  it('staged: a staging value that production already uses is blocked at the staged line', () => {
    dir = tempRepo();
    const shared = fake.password();
    dir.write('.env.production', `DATABASE_PASSWORD=${shared}\n`);
    dir.git('add', '.');
    dir.git('commit', '-qm', 'production config');
    dir.write('.env.staging', `# staging\nDATABASE_PASSWORD=${shared}\n`);
    dir.git('add', '.env.staging');
    const result = runCli(['staged', '--format', 'json'], dir.path);
    const crossover = (JSON.parse(result.stdout) as Report).findings.filter((f) => f.ruleId === 'env-crossover');
    expect(crossover.map((f) => [f.file, f.line, f.related?.map((r) => r.file)])).toEqual([['.env.staging', 2, ['.env.production']]]);
    expect(result.stdout).not.toContain(shared);
    expect(result.code).toBe(1);
  });

  it('staged: a value used once is not a reuse', () => {
    dir = tempRepo();
    dir.write('.env.production', `DATABASE_PASSWORD=${fake.password()}\n`);
    dir.git('add', '.');
    dir.git('commit', '-qm', 'production config');
    dir.write('.env.staging', `DATABASE_PASSWORD=${fake.password()}\n`);
    dir.git('add', '.env.staging');
    const findings = (JSON.parse(runCli(['staged', '--format', 'json'], dir.path).stdout) as Report).findings;
    expect(findings.filter((f) => f.ruleId === 'env-crossover')).toEqual([]);
  });

  it('diff: a pull request that copies a production value into staging is reported', () => {
    dir = tempRepo();
    const shared = fake.password();
    dir.write('.env.production', `SESSION_SECRET=${shared}\n`);
    dir.git('add', '.');
    dir.git('commit', '-qm', 'base');
    const base = dir.git('rev-parse', 'HEAD').trim();
    dir.write('.env.staging', `SESSION_SECRET=${shared}\n`);
    dir.git('add', '.');
    dir.git('commit', '-qm', 'staging config');
    const findings = (JSON.parse(runCli(['diff', `${base}..HEAD`, '--format', 'json'], dir.path).stdout) as Report).findings;
    expect(findings.filter((f) => f.ruleId === 'env-crossover').map((f) => f.file)).toEqual(['.env.staging']);
  });
});
