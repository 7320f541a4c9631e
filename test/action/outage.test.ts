/**
 * The Action when GitHub's API fails: a server that answers 500 to every request (GitHub's error
 * body; once with the message "Bad credentials", which is still a server error, not a verdict on the
 * token), and a port where nothing listens. GitHub being down costs the review comments and the
 * settings audit, each with a note saying why; never the SARIF file, the outputs, the annotations or
 * the job summary, and never the exit code, which the findings alone decide.
 *
 * octokit retries a 5xx and a refused connection twice, after 1 s and 4 s: each run here takes about
 * 6 s, so the runs go concurrently, each in its own RUNNER_TEMP.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { pullRequestPayload, runAction, type ActionRun } from '../support/action.js';
import { pwnRequestWorkflow } from '../support/workflows.js';
import { runCli } from '../support/cli.js';
import { githubError, startGitHubServer, type GitHubServer } from '../support/githubServer.js';
import { operation, templates } from '../support/openapi.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const REVIEWS = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
const REPOSITORY = 'GET /repos/{owner}/{repo}';
const TOKEN = 'ghs-test-token';
const DOCS = 'https://docs.github.com/rest';
const SKIPPED_TAIL = 'The findings are in the annotations, this summary and the SARIF file.';
/** About 6 s of a run is octokit's back-off; the rest is the scan, slower when the whole suite runs. */
const RUN_TIMEOUT = 60_000;

/** What the tests read of a SARIF log. */
interface SarifLog {
  version: string;
  runs: Array<{ results: SarifResult[] }>;
}
interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
}

/** A GitHub API that is down, and what keyfence must say about it. */
interface FailingApi {
  url: string;
  /** The local server, when there is one (not for a closed port). */
  server?: GitHubServer;
  /** Why GitHub could not be used, as keyfence words it. */
  reason: string;
  close(): Promise<void>;
}

interface ApiCase {
  name: string;
  start(): Promise<FailingApi>;
}

/** A local GitHub on which every operation of the OpenAPI description answers 500 with GitHub's error body. */
async function serverError(message: string): Promise<FailingApi> {
  const server = await startGitHubServer();
  for (const template of templates()) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      try {
        operation(method, template);
      } catch {
        continue;
      }
      server.on(`${method} ${template}`, githubError(500, message));
    }
  }
  // octokit appends the body's documentation_url to its message.
  return { url: server.url, server, reason: `GitHub answered 500, a server error (its message: ${message} - ${DOCS})`, close: () => server.close() };
}

/** The API root of a port where nothing listens: a server was started there, and closed. */
async function closedPort(): Promise<FailingApi> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((done) => probe.close(() => done()));
  return { url: `http://127.0.0.1:${port}/api/v3`, reason: `GitHub could not be reached (connect ECONNREFUSED 127.0.0.1:${port})`, close: async () => {} };
}

const APIS: ApiCase[] = [
  { name: 'a GitHub that answers 500 "Server Error"', start: () => serverError('Server Error') },
  { name: 'a GitHub that answers 500 "Bad credentials"', start: () => serverError('Bad credentials') },
  { name: 'a closed port', start: closedPort },
];

let repo: TempDir;
let base: string;
let leaky: string;
let clean: string;
/** The live key the pull request adds (tree and last commit), and one only in history. */
let prKey: string;
let historyKey: string;
const works: TempDir[] = [];

beforeAll(() => {
  // main: root; a commit with a live key in src/payments.js and a pwn workflow; a commit that takes
  // the key out again (base); the pull request's head adds a live key to config/.env.production.
  // clean: base plus a documentation change.
  repo = tempRepo('keyfence-outage-');
  repo.write('README.md', '# website\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'root');
  historyKey = fake.stripeLive();
  repo.write('src/payments.js', `export const stripe = '${historyKey}';\n`);
  repo.write('.github/workflows/ci.yml', pwnRequestWorkflow({ name: 'ci' }));
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'payments and ci');
  repo.write('src/payments.js', 'export const stripe = process.env.STRIPE_KEY;\n');
  repo.git('commit', '-q', '-am', 'key from the environment');
  base = repo.git('rev-parse', 'HEAD').trim();
  prKey = fake.stripeLive();
  repo.write('config/.env.production', `NODE_ENV=production\nSTRIPE_SECRET_KEY=${prKey}\n`);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'configure payments');
  leaky = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'clean', base);
  repo.write('docs/payments.md', '# Payments\n\nThe key comes from STRIPE_KEY.\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'document payments');
  clean = repo.git('rev-parse', 'HEAD').trim();
  // The audit reads the checked-out tree (the pull request's head) and every ref's history: 5 files, 5 commits.
  repo.git('checkout', '-q', 'main');
});

afterAll(() => {
  repo?.remove();
  for (const w of works) w.remove();
});

/** The Action with a token and comment: true, in its own RUNNER_TEMP; its SARIF file parsed. */
async function act(api: FailingApi, eventName: string, event: object): Promise<ActionRun & { work: TempDir; sarif: SarifLog }> {
  const work = tempDir('keyfence-outage-work-');
  works.push(work);
  const run = await runAction({ repo, work, eventName, event, apiUrl: api.url, inputs: { 'github-token': TOKEN, comment: 'true' } });
  return { ...run, work, sarif: JSON.parse(run.sarifText) as SarifLog };
}

/** What no run may print, whatever GitHub does: an internal error, a stack trace, a key. */
function expectComposed(expect: ExpectStatic, run: ActionRun) {
  const everything = run.stdout + run.stderr + run.summary + run.sarifText + run.outputFile;
  expect(run.stderr).toBe('');
  expect(everything).not.toContain('internal error');
  expect(everything).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(everything).not.toContain(prKey);
  expect(everything).not.toContain(historyKey);
}

/** Every output set, `sarif` naming the file written (outside the workspace: an absolute path). */
function expectOutputs(expect: ExpectStatic, run: ActionRun & { work: TempDir }, counts: Record<'critical' | 'high' | 'medium' | 'low', number>) {
  const total = counts.critical + counts.high + counts.medium + counts.low;
  const sarifPath = join(run.work.path, 'keyfence.sarif');
  const bySeverity = Object.fromEntries(Object.entries(counts).map(([severity, n]) => [severity, String(n)]));
  expect(run.outputs).toEqual({ ...bySeverity, total: String(total), sarif: sarifPath });
  expect(existsSync(run.outputs.sarif!)).toBe(true);
  expect(readFileSync(run.outputs.sarif!, 'utf8')).toBe(run.sarifText);
}

/** The SARIF results as [rule, file, line]. */
const sarifResults = (sarif: SarifLog) =>
  sarif.runs[0]!.results.map((r) => {
    const { artifactLocation, region } = r.locations[0]!.physicalLocation;
    return [r.ruleId, artifactLocation.uri, region.startLine];
  });

/** The markdown report of the same scan from the CLI, with the same links the Action's environment makes. */
function cliMarkdown(args: string[]): string {
  const env = { GITHUB_REPOSITORY: 'octo-org/website', GITHUB_SERVER_URL: 'https://github.com', GITHUB_SHA: '' };
  const cli = runCli([...args, '--format', 'markdown'], repo.path, env);
  if (cli.code !== 0 && cli.code !== 1) throw new Error(`keyfence ${args.join(' ')} --format markdown: exit ${cli.code}\n${cli.stderr}`);
  return cli.stdout;
}

/** The markdown's escaping undone, to read a note as written. */
const unescapeMarkdown = (text: string) => text.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');

describe.concurrent.each(APIS)('the Action on a pull request against $name', (apiCase) => {
  it('fails for the findings alone, with SARIF, outputs, annotations and a summary that says why there are no review comments', async ({ expect }) => {
    const api = await apiCase.start();
    try {
      const run = await act(api, 'pull_request', pullRequestPayload({ base, head: leaky, number: 21, commits: 1 }));

      const note = `No review comments were posted: ${api.reason}. ${SKIPPED_TAIL}`;
      expect(run.code).toBe(1);
      expectComposed(expect, run);
      // What GitHub cannot take away comes first: the annotation, then what became of the review, then the verdict.
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toBe(`keyfence: pull-request #21 ${base.slice(0, 12)}..${leaky.slice(0, 12)}`);
      expect(lines[1]).toMatch(
        new RegExp(
          `^::error title=keyfence stripe-live-secret-key \\(critical\\),file=config/\\.env\\.production,line=2,endLine=2,col=19,endColumn=51::Stripe live secret key: sk_live_…\\w{4}%0Aadded in commit ${leaky.slice(0, 12)}$`,
        ),
      );
      expect(lines[2]).toBe(`keyfence: ${note}`);
      expect(lines[3]).toBe('::error::keyfence: 1 finding at or above medium');
      // A server error whose message is "Bad credentials" is an outage, not a verdict on the token.
      expect(note).not.toMatch(/token|rejected|may not/i);

      expectOutputs(expect, run, { critical: 1, high: 0, medium: 0, low: 0 });
      expect(run.sarif.version).toBe('2.1.0');
      expect(sarifResults(run.sarif)).toEqual([['stripe-live-secret-key', 'config/.env.production', 2]]);

      // The job summary: the markdown report as `keyfence diff` writes it, then the note, once.
      const report = cliMarkdown(['diff', `${base}..${leaky}`]);
      expect(report.startsWith('## keyfence: 1 finding\n\nScanned 1 commit.\n')).toBe(true);
      expect(run.summary).toBe(`${report}\n\n> ${note}\n\n`);

      if (api.server) {
        // One request, retried twice; nothing written.
        expect(api.server.requests.map((r) => `${r.method} ${r.template}`)).toEqual([REVIEWS, REVIEWS, REVIEWS]);
        expect(api.server.requests.map((r) => r.headers.authorization)).toEqual([`token ${TOKEN}`, `token ${TOKEN}`, `token ${TOKEN}`]);
        expect(api.server.problems).toEqual([]);
      }
    } finally {
      await api.close();
    }
  }, RUN_TIMEOUT);

  it('passes a clean pull request, saying why there are no review comments', async ({ expect }) => {
    const api = await apiCase.start();
    try {
      const run = await act(api, 'pull_request', pullRequestPayload({ base, head: clean, number: 22, commits: 1 }));
      const note = `No review comments were posted: ${api.reason}. ${SKIPPED_TAIL}`;
      expect(run.code).toBe(0);
      expectComposed(expect, run);
      expect(run.stdout.trimEnd().split('\n')).toEqual([`keyfence: pull-request #22 ${base.slice(0, 12)}..${clean.slice(0, 12)}`, `keyfence: ${note}`]);
      expectOutputs(expect, run, { critical: 0, high: 0, medium: 0, low: 0 });
      expect(run.sarif.version).toBe('2.1.0');
      expect(sarifResults(run.sarif)).toEqual([]);
      expect(run.summary).toBe(`## keyfence: no findings\n\nNo secrets or workflow problems found in 1 commit.\n\n\n> ${note}\n\n`);
      if (api.server) {
        // keyfence asks whether it has a review to update (it would mark its comments fixed): a GET, retried.
        expect(api.server.requests.map((r) => `${r.method} ${r.template}`)).toEqual([REVIEWS, REVIEWS, REVIEWS]);
        expect(api.server.problems).toEqual([]);
      }
    } finally {
      await api.close();
    }
  }, RUN_TIMEOUT);
});

describe.concurrent.each(APIS)('the Action audit (schedule) against $name', (apiCase) => {
  it('reports history, tree and workflows, notes the settings it could not audit, and fails for the findings', async ({ expect }) => {
    const api = await apiCase.start();
    try {
      const run = await act(api, 'schedule', { schedule: '17 6 * * 1' });

      const settingsNote = `github: the repository settings were not audited: cannot read octo-org/website on GitHub: ${api.reason}`;
      expect(run.code).toBe(1);
      expectComposed(expect, run);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('keyfence: audit');
      // One annotation per finding: the tree (the key and the workflow) and the history (a key since removed).
      const annotations = lines
        .map((l) => /^::(error|warning|notice) title=keyfence ([\w-]+) \((\w+)\),file=([^,]+),line=(\d+),/.exec(l))
        .filter((m) => m !== null)
        .map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}:${m[5]}`)
        .sort();
      expect(annotations).toEqual([
        'error stripe-live-secret-key critical config/.env.production:2',
        'error stripe-live-secret-key critical src/payments.js:1',
        'error untrusted-checkout critical .github/workflows/ci.yml:10',
        'notice excessive-permissions low .github/workflows/ci.yml:2',
      ]);
      expect(run.stdout).toMatch(/^::error title=keyfence stripe-live-secret-key \(critical\),file=src\/payments\.js,line=1,.*%0Aadded in commit [0-9a-f]{12}$/m);
      expect(lines.filter((l) => l.startsWith('::notice title=keyfence::'))).toEqual([`::notice title=keyfence::${settingsNote}`]);
      expect(lines.at(-1)).toBe('::error::keyfence: 3 findings at or above medium');
      expect(lines).toHaveLength(1 + 4 + 1 + 1);
      // Nothing is said about the token: GitHub was down.
      expect(run.stdout + run.summary).not.toMatch(/rejected the token|needs "|may not/);

      expectOutputs(expect, run, { critical: 3, high: 0, medium: 0, low: 1 });
      expect(sarifResults(run.sarif).map(([rule, file, line]) => `${rule} ${file}:${line}`).sort()).toEqual([
        'excessive-permissions .github/workflows/ci.yml:2',
        'stripe-live-secret-key config/.env.production:2',
        'stripe-live-secret-key src/payments.js:1',
        'untrusted-checkout .github/workflows/ci.yml:10',
      ]);

      // The summary: `keyfence audit`'s markdown report, then the notes, with the settings note.
      const report = cliMarkdown(['audit']);
      expect(report.startsWith('## keyfence: 4 findings\n\nScanned 5 files and 5 commits.\n')).toBe(true);
      expect(run.summary.startsWith(report)).toBe(true);
      expect(unescapeMarkdown(run.summary.slice(report.length))).toBe(`\n**Notes**\n\n- ${settingsNote}\n\n`);

      if (api.server) {
        // The repository is read first; its failure ends the settings audit, after two retries.
        expect(api.server.requests.map((r) => `${r.method} ${r.template}`)).toEqual([REPOSITORY, REPOSITORY, REPOSITORY]);
        expect(api.server.problems).toEqual([]);
      }
    } finally {
      await api.close();
    }
  }, RUN_TIMEOUT);
});
