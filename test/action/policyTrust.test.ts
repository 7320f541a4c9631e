/**
 * A pull request cannot silence its own findings (docs/action.md, "Trust model"): the Action
 * on pull requests reads keyfence.yml, what it extends and the baseline from the base commit,
 * reports each way the head's policy loosens the base's at the line that does it, and lists the
 * inline markers the change adds. Real repository, real `dist/action.js`, real pull_request payload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullRequestPayload, runAction } from '../support/action.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const BASE_CONFIG = `# keyfence policy of the main branch
failOn: medium
allow:
  - paths: ['docs/examples/**']
    reason: documentation examples
`;

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  suppressions?: Array<{ kind: string; justification: string }>;
}

let repo: TempDir;
let work: TempDir;
let base: string;
let stripeKey: string;

/** A branch off the base adding a live key to a development env file, and `change` to the policy; its head commit. */
function branch(name: string, change: () => void, keyLine = `STRIPE_SECRET_KEY=${stripeKey}`): string {
  repo.git('checkout', '-q', '-b', name, base);
  repo.write('.env.development', `APP_ENV=development\n${keyLine}\n`);
  change();
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', name);
  return repo.git('rev-parse', 'HEAD').trim();
}

async function pullRequest(head: string, inputs: Record<string, string> = {}) {
  const event = pullRequestPayload({ base, head, number: 12, commits: 1 });
  const run = await runAction({ repo, work, eventName: 'pull_request', event, inputs: { baseline: '.keyfence-baseline.json', ...inputs } });
  const sarif = run.sarifText ? (JSON.parse(run.sarifText) as { runs: Array<{ results: SarifResult[] }> }) : undefined;
  const results = (sarif?.runs[0]!.results ?? []).map((r) => {
    const where = r.locations[0]!.physicalLocation;
    return { rule: r.ruleId, at: `${where.artifactLocation.uri}:${where.region.startLine}`, message: r.message.text, suppressed: (r.suppressions?.length ?? 0) > 0 };
  });
  const reported = results.filter((r) => !r.suppressed).map((r) => `${r.rule} ${r.at}`).sort();
  return { ...run, results, reported };
}

beforeAll(() => {
  repo = tempRepo('keyfence-trust-');
  work = tempDir('keyfence-trust-work-');
  stripeKey = fake.stripeLive();
  repo.write('README.md', '# shop\n');
  repo.write('keyfence.yml', BASE_CONFIG);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'policy');
  // The base's baseline: written by keyfence itself, holding no entry yet.
  expect(runCli(['baseline', '--output', '.keyfence-baseline.json'], repo.path).code).toBe(0);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'baseline');
  base = repo.git('rev-parse', 'HEAD').trim();
});

afterAll(() => {
  repo?.remove();
  work?.remove();
});

describe('a pull request that adds a live key and loosens the policy', () => {
  it('with an allow entry for its file: the key is still reported, and so is the entry, at its line', async () => {
    const head = branch('allow-entry', () => repo.write('keyfence.yml', `${BASE_CONFIG}  - paths: ['.env.development']\n    reason: local only\n`));
    const run = await pullRequest(head);
    expect(run.code).toBe(1);
    expect(run.reported).toEqual(['policy-loosened keyfence.yml:6', 'stripe-live-secret-key .env.development:2']);
    expect(run.results.find((r) => r.rule === 'policy-loosened')!.message).toBe('allow entry added (rules all; paths .env.development): "local only"');
    expect(run.stdout).toMatch(/^::notice title=keyfence policy-loosened \(low\),file=keyfence\.yml,line=6,endLine=6,col=\d+,endColumn=\d+::allow entry added/m);
    expect(run.summary).toContain('policy-loosened');
    expect(run.stdout + run.summary + run.sarifText).not.toContain(stripeKey);
  });

  it('that switches the rule off: the key is still reported, and the switch at its line', async () => {
    const head = branch('rule-off', () => repo.write('keyfence.yml', `${BASE_CONFIG}overrides:\n  stripe-live-secret-key:\n    enabled: false\n`));
    const run = await pullRequest(head);
    expect(run.code).toBe(1);
    expect(run.reported).toEqual(['policy-loosened keyfence.yml:8', 'stripe-live-secret-key .env.development:2']);
    expect(run.results.find((r) => r.rule === 'policy-loosened')!.message).toBe('rule stripe-live-secret-key switched off');
  });

  it("that records the key in the baseline: the base's baseline applies, and the new entry is reported at its line", async () => {
    const head = branch('baseline-entry', () => {
      expect(runCli(['baseline', '--output', '.keyfence-baseline.json'], repo.path).code).toBe(0);
    });
    const entryLine = readFileSync(join(repo.path, '.keyfence-baseline.json'), 'utf8').split('\n').findIndex((l) => l.includes('"hash"')) + 1;
    const run = await pullRequest(head);
    expect(run.code).toBe(1);
    expect(run.reported).toEqual([`policy-loosened .keyfence-baseline.json:${entryLine}`, 'stripe-live-secret-key .env.development:2']);
    expect(run.results.find((r) => r.rule === 'policy-loosened')!.message).toBe('baseline entry added for stripe-live-secret-key in .env.development');
  });

  it('that silences the key inline: suppressed, but listed in the summary and SARIF; failing with fail-on-new-suppressions', async () => {
    const head = branch('inline', () => {}, `STRIPE_SECRET_KEY=${stripeKey} # keyfence:allow[stripe-live-secret-key] sandbox account`);
    const run = await pullRequest(head);
    expect(run.code).toBe(0);
    expect(run.reported).toEqual([]);
    expect(run.results.filter((r) => r.suppressed).map((r) => `${r.rule} ${r.at}`)).toEqual(['stripe-live-secret-key .env.development:2']);
    expect(run.summary).toMatch(/Suppressed by this change/);
    expect(run.summary).toContain('sandbox account');
    expect(run.stdout).toMatch(/^::notice title=keyfence stripe-live-secret-key suppressed by this change,file=\.env\.development,line=2::/m);

    const strict = await pullRequest(head, { 'fail-on-new-suppressions': 'true' });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^::error::keyfence: 1 finding silenced by inline markers this pull request adds \(fail-on-new-suppressions\)$/m);
  });
});

describe('a pull request that only tightens the policy', () => {
  it('reports nothing about it', async () => {
    repo.git('checkout', '-q', '-b', 'tighten', base);
    repo.write(
      'keyfence.yml',
      `failOn: low\nrequireReason: true\noverrides:\n  generic-password:\n    severity: critical\nenvironments:\n  production: ['deploy/**']\npolicy:\n  test:\n    genericSecrets: high\n`,
    );
    repo.write('deploy/README.md', 'how we deploy\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'tighten');
    const run = await pullRequest(repo.git('rev-parse', 'HEAD').trim());
    expect(run.code).toBe(0);
    expect(run.results).toEqual([]);
  });
});
