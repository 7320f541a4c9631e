/**
 * The contract of the one pipeline (src/run/): one change, put through every door, gives the same
 * findings, counted exactly. The change holds a finding of every category a change can bring: a
 * live key, a generic secret, a production host in development config, a value shared with the
 * production config already at HEAD, a live key in a test fixture, a secret echoed to a log, and a
 * workflow that runs a fork's code with secrets in reach.
 *
 * A new door is a row of DOORS, not a copy of the scan loop.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP, startGroup } from '../gitlab/groupSupport.js';
import { ORG, runCliAsync, startOrg } from '../org/orgSupport.js';
import { pullRequestPayload, pushPayload, runAction } from '../support/action.js';
import { runCli } from '../support/cli.js';
import { expandTemplates, randomString, seededRandom } from '../support/fakeSecrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';
import { pwnRequestWorkflow } from '../support/workflows.js';

/** What the base commit holds: the production config whose value the change reuses. */
function base(shared: string): Record<string, string> {
  return {
    'README.md': '# shop\n',
    'config/.env.production': `NODE_ENV=production\nPAYMENTS_API_KEY=${shared}\n`,
  };
}

/**
 * The change: one finding of every category, each on line 2 of its file but the workflow's and the
 * key store's (a binary file, reported as a whole at line 1).
 */
function change(
  shared: string,
  secrets: { live: string; fixtureLive: string; password: string; keyStore: Buffer },
): Record<string, string | Buffer> {
  return {
    'src/payments.js': `const Stripe = require('stripe');\nconst stripe = new Stripe('${secrets.live}');\nmodule.exports = stripe;\n`,
    'src/settings.py': `DEBUG = False\nDB_PASSWORD = "${secrets.password}"\n`,
    'config/.env.development': 'NODE_ENV=development\nDATABASE_HOST=prod-db-primary.internal\n',
    'config/.env.staging': `NODE_ENV=staging\nPAYMENTS_API_KEY=${shared}\n`,
    'test/fixtures/charge.json': `{\n  "request": { "api_key": "${secrets.fixtureLive}" }\n}\n`,
    'scripts/deploy.sh': '#!/bin/sh\necho "deploying with token $DEPLOY_TOKEN"\n',
    '.github/workflows/pr.yml': pwnRequestWorkflow(),
    'certs/release.p12': secrets.keyStore,
  };
}

/** (rule, file, line) of every finding the change brings, each once. */
const EXPECTED = [
  'echo-leak scripts/deploy.sh:2',
  'env-crossover config/.env.staging:2',
  'excessive-permissions .github/workflows/pr.yml:1',
  'generic-password src/settings.py:2',
  'pkcs12-key-store certs/release.p12:1',
  'prod-host config/.env.development:2',
  'stripe-live-secret-key src/payments.js:2',
  'stripe-live-secret-key test/fixtures/charge.json:2',
  'untrusted-checkout .github/workflows/pr.yml:9',
];

const CATEGORIES = ['echo-leak', 'env-crossover', 'fixture', 'generic-secret', 'live-key', 'prod-host', 'workflow'];

interface Fixture {
  /** The base commit, then the change committed on top (HEAD). */
  committed: TempDir;
  baseSha: string;
  headSha: string;
  /** The base commit, and the change staged, not committed. */
  staged: TempDir;
  /** RUNNER_TEMP and friends for the Action. */
  work: TempDir;
}

function writeAll(repo: TempDir, files: Record<string, string | Buffer>): void {
  for (const [file, text] of Object.entries(files)) repo.write(file, text);
  repo.git('add', '-A');
}

const WORDS = ['Harbor', 'Lantern', 'Meadow', 'Copper', 'Willow', 'Granite', 'Thistle', 'Orchard'];

function build(): Fixture {
  // Seeded: both repositories get the same values. The shared value is made of words, which no rule
  // reports by itself (random letters would be a password): only its reuse across environments is.
  const random = seededRandom('conformance');
  const word = () => WORDS[Math.floor(random() * WORDS.length)]!;
  const shared = `${word()}${word()}${word()}${word()}`;
  const secrets = {
    live: ['sk', 'live', randomString(random, 'alnum', 24)].join('_'),
    fixtureLive: ['sk', 'live', randomString(random, 'alnum', 24)].join('_'),
    password: `${randomString(random, 'alnum', 16)}9x`,
    keyStore: Buffer.from(expandTemplates('{{keystore:pkcs12}}', random).text, 'latin1'),
  };
  const committed = tempRepo('keyfence-conformance-');
  writeAll(committed, base(shared));
  committed.git('commit', '-q', '-m', 'base');
  const baseSha = committed.git('rev-parse', 'HEAD').trim();
  writeAll(committed, change(shared, secrets));
  committed.git('commit', '-q', '-m', 'the change');
  const headSha = committed.git('rev-parse', 'HEAD').trim();
  const staged = tempRepo('keyfence-conformance-staged-');
  writeAll(staged, base(shared));
  staged.git('commit', '-q', '-m', 'base');
  writeAll(staged, change(shared, secrets));
  return { committed, baseSha, headSha, staged, work: tempDir('keyfence-conformance-work-') };
}

type Place = string;

function placesOfJson(stdout: string): Place[] {
  const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; file: string; line: number }> };
  return report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();
}

interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
}

function placesOfSarif(text: string): Place[] {
  const sarif = JSON.parse(text) as { runs: Array<{ results: SarifResult[] }> };
  return sarif.runs[0]!.results.map((r) => `${r.ruleId} ${decodeURI(r.locations[0]!.physicalLocation.artifactLocation.uri)}:${r.locations[0]!.physicalLocation.region.startLine}`).sort();
}

function cli(args: string[], repo: TempDir, input?: string): Place[] {
  const result = runCli([...args, '--format', 'json'], repo.path, {}, input);
  expect(result.code, result.stderr).toBe(1);
  return placesOfJson(result.stdout);
}

interface Door {
  name: string;
  places(fixture: Fixture): Promise<Place[]> | Place[];
}

/**
 * The organisation doors: the fixture's repository, as the one repository a (loopback) GitHub
 * organisation or GitLab group lists, mirrored and audited as `audit` audits its clone.
 */
async function organisationDoor(f: Fixture, forge: 'github' | 'gitlab'): Promise<Place[]> {
  const host = forge === 'github' ? await startOrg([{ name: 'shop' }]) : await startGroup([{ path: 'shop' }]);
  try {
    const bare = host.bare('shop');
    rmSync(bare, { recursive: true, force: true });
    f.committed.git('clone', '-q', '--bare', f.committed.path, bare);
    const door = forge === 'github' ? ['--org', ORG] : ['--gitlab-group', GROUP];
    const run = await runCliAsync(['audit', ...door, '--format', 'json', '--jobs', '1'], host.dir.path, host.env);
    expect(run.code, run.stderr).toBe(1);
    return placesOfJson(run.stdout);
  } finally {
    await host.close();
  }
}

/** Every way into keyfence. */
const DOORS: Door[] = [
  { name: 'scan', places: (f) => cli(['scan'], f.committed) },
  { name: 'staged', places: (f) => cli(['staged'], f.staged) },
  { name: 'diff', places: (f) => cli(['diff', `${f.baseSha}..${f.headSha}`], f.committed) },
  // The pre-push hook: git hands it `<local ref> <local sha> <remote ref> <remote sha>` on stdin.
  { name: 'push', places: (f) => cli(['push'], f.committed, `refs/heads/main ${f.headSha} refs/heads/main ${f.baseSha}\n`) },
  { name: 'history', places: (f) => cli(['history'], f.committed) },
  { name: 'audit', places: (f) => cli(['audit'], f.committed) },
  { name: 'audit --org (a GitHub organisation of that repository)', places: (f) => organisationDoor(f, 'github') },
  { name: 'audit --gitlab-group (a GitLab group of that repository)', places: (f) => organisationDoor(f, 'gitlab') },
  {
    name: 'the Action on pull_request',
    places: async (f) => {
      const event = pullRequestPayload({ base: f.baseSha, head: f.headSha, number: 7, commits: 1 });
      const run = await runAction({ repo: f.committed, work: f.work, eventName: 'pull_request', event });
      expect(run.code, run.stdout).toBe(1);
      return placesOfSarif(run.sarifText);
    },
  },
  {
    name: 'the Action on push',
    places: async (f) => {
      const run = await runAction({ repo: f.committed, work: f.work, eventName: 'push', event: pushPayload(f.baseSha, f.headSha) });
      expect(run.code, run.stdout).toBe(1);
      return placesOfSarif(run.sarifText);
    },
  },
];

describe('one change through every door', () => {
  let fixture: Fixture;
  beforeAll(() => {
    fixture = build();
  });
  afterAll(() => {
    for (const dir of [fixture.committed, fixture.staged, fixture.work]) dir.remove();
  });

  it('holds a finding of every category a change can bring', () => {
    const report = JSON.parse(runCli(['diff', `${fixture.baseSha}..${fixture.headSha}`, '--format', 'json'], fixture.committed.path).stdout) as { findings: Array<{ category: string }> };
    expect([...new Set(report.findings.map((f) => f.category))].sort()).toEqual(CATEGORIES);
  });

  it.each(DOORS.map((door) => [door.name, door] as const))('%s reports exactly the same (rule, file, line) list', async (_name, door) => {
    expect(await door.places(fixture)).toEqual(EXPECTED);
  });
});
