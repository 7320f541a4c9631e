import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

const PWN = `on: pull_request_target
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm test
`;

describe('keyfence audit', () => {
  let repo: TempDir;
  let removed: string;
  let present: string;
  beforeEach(() => {
    repo = tempRepo('keyfence-audit-');
    removed = fake.stripeLive();
    present = fake.stripeLive();
    repo.write('config/.env.production', `STRIPE_SECRET_KEY=${removed}\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'add a key');
    repo.write('config/.env.production', 'STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\n');
    repo.write('src/pay.js', `const key = '${present}';\n`);
    repo.write('.github/workflows/ci.yml', PWN);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'move the key to the environment');
  });
  afterEach(() => repo.remove());

  it('reports history, tree and workflows in one report: a removed secret once, with its commit; a present one once, where it is', () => {
    const { code, stdout, stderr } = runCli(['audit', '--format', 'json'], repo.path);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const where = report.findings.map((f: { ruleId: string; file: string; line: number; commit?: string }) => `${f.ruleId} ${f.file}:${f.line}${f.commit ? ' @' : ''}`);
    // Each finding once: the workflow is audited by the tree scan only, not again for the history.
    expect(where).toEqual([
      'excessive-permissions .github/workflows/ci.yml:1',
      'untrusted-checkout .github/workflows/ci.yml:9',
      'stripe-live-secret-key config/.env.production:1 @',
      'stripe-live-secret-key src/pay.js:1',
    ]);
    expect(report.stats.commits).toBe(2);
    expect(stdout).not.toContain(removed);
    expect(stdout).not.toContain(present);
  });

  it('covers unmerged branches: a key committed and removed on a branch main never merged', () => {
    const branchOnly = fake.stripeLive();
    repo.git('checkout', '-q', '-b', 'spike');
    repo.write('spike/.env.production', `STRIPE_SECRET_KEY=${branchOnly}\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'try the live key');
    const spikeCommit = repo.git('rev-parse', 'HEAD').trim();
    repo.git('rm', '-q', 'spike/.env.production');
    repo.git('commit', '-q', '-m', 'drop it');
    repo.git('checkout', '-q', '-');
    const report = JSON.parse(runCli(['audit', '--format', 'json'], repo.path).stdout);
    const onBranch = report.findings.filter((f: { file: string }) => f.file === 'spike/.env.production');
    expect(onBranch.map((f: { ruleId: string; commit?: string }) => `${f.ruleId} ${f.commit}`)).toEqual([`stripe-live-secret-key ${spikeCommit}`]);
    expect(report.stats.commits).toBe(4);
  });
});
