/**
 * The Action as GitHub runs it: `node dist/action.js` in a child process, configured only through
 * the environment a runner sets (INPUT_*, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH with a real
 * pull_request payload from @octokit/webhooks-examples, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT,
 * GITHUB_API_URL), against a real temporary git repository and a local GitHub API whose answers
 * and requests are validated against GitHub's OpenAPI description.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ACTION, pullRequestPayload, runAction as runActionIn } from '../support/action.js';
import { pwnRequestWorkflow } from '../support/workflows.js';
import { repository } from '../support/githubFixtures.js';
import { example } from '../support/openapi.js';
import { githubError, startGitHubServer, type GitHubServer, type RecordedRequest } from '../support/githubServer.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const PULLS = '/repos/{owner}/{repo}/pulls/{pull_number}';

const SAFE_WORKFLOW = `name: ci
on: pull_request
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;

/** pull_request_target without the pull request's code: only the token's default permissions are worth a note. */
const LABEL_WORKFLOW = `name: label
on: pull_request_target
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - run: echo "labeling"
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  sarif: SarifLog | undefined;
}

/** What the tests read of a SARIF log. */
interface SarifLog {
  version: string;
  runs: Array<{ results: Array<{ ruleId: string }> }>;
}

let server: GitHubServer;
let repo: TempDir;
let work: TempDir;
let base: string;
let leaky: string;
let workflowOnly: string;
let stripeKey: string;

/** The fields of a review that the tests read or change; the rest of GitHub's example is carried as it is. */
interface Review {
  id: number;
  body: string;
}

/** Likewise for a review comment. */
interface ReviewComment {
  id: number;
  path: string;
  line: number;
  body: string;
}

/** A comment as keyfence sends it in a new review. */
interface CommentRequest {
  path: string;
  line: number;
  side: string;
  body: string;
}

/** The body of POST .../comments: a comment on its own, on a commit. */
interface NewCommentRequest extends CommentRequest {
  commit_id: string;
}

/** The body of POST .../reviews as keyfence sends it. */
interface ReviewRequest {
  commit_id: string;
  event: string;
  body: string;
  comments: CommentRequest[];
}

/** The pull request as the local GitHub keeps it: reviews and review comments. */
interface PullState {
  reviews: Review[];
  comments: ReviewComment[];
  nextId: number;
}
let pull: PullState;

function routes(options: { forbidWrites?: boolean } = {}) {
  const user = { ...example('GET', `${PULLS}/reviews`)[0].user, login: 'github-actions[bot]', type: 'Bot' };
  const review = (id: number, body: string, commit: string) => ({
    ...example('POST', `${PULLS}/reviews`),
    id,
    node_id: `PRR_${id}`,
    user,
    body,
    state: 'COMMENTED',
    commit_id: commit,
  });
  const comment = (id: number, reviewId: number, c: { path: string; line: number; body: string; commit_id: string }) => ({
    ...example('PATCH', '/repos/{owner}/{repo}/pulls/comments/{comment_id}'),
    id,
    node_id: `PRRC_${id}`,
    pull_request_review_id: reviewId,
    in_reply_to_id: undefined,
    user,
    path: c.path,
    line: c.line,
    original_line: c.line,
    start_line: null,
    original_start_line: null,
    side: 'RIGHT',
    // GitHub sends null for a one-line comment, which the description's enum does not list: left out.
    start_side: undefined,
    position: 1,
    original_position: 1,
    commit_id: c.commit_id,
    original_commit_id: c.commit_id,
    body: c.body,
  });
  const strip = (o: unknown): unknown => JSON.parse(JSON.stringify(o));
  server.on(`GET ${PULLS}/reviews`, () => ({ body: strip(pull.reviews) }));
  server.on(`GET ${PULLS}/comments`, () => ({ body: strip(pull.comments) }));
  server.on(`POST ${PULLS}/reviews`, (req: RecordedRequest) => {
    if (options.forbidWrites) return githubError(403, 'Resource not accessible by integration');
    const body = req.body as ReviewRequest;
    const r = review(pull.nextId++, body.body, body.commit_id);
    pull.reviews.push(r);
    for (const c of body.comments ?? []) pull.comments.push(comment(pull.nextId++, r.id, { ...c, commit_id: body.commit_id }));
    return { body: strip(r) };
  });
  server.on(`PUT ${PULLS}/reviews/{review_id}`, (req) => {
    const r = pull.reviews.find((x) => x.id === Number(req.params.review_id))!;
    r.body = (req.body as { body: string }).body;
    return { body: strip(r) };
  });
  server.on(`POST ${PULLS}/comments`, (req) => {
    const body = req.body as NewCommentRequest;
    const c = comment(pull.nextId++, pull.nextId++, body);
    pull.comments.push(c);
    return { status: 201, body: strip(c) };
  });
  server.on('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', (req) => {
    const c = pull.comments.find((x) => x.id === Number(req.params.comment_id))!;
    c.body = (req.body as { body: string }).body;
    return { body: strip(c) };
  });
}

/** The Action on `event`, against this file's repository and local GitHub, with a token that may comment. */
async function runAction(event: object, inputs: Record<string, string> = {}, eventName = 'pull_request'): Promise<Run> {
  const run = await runActionIn({ repo, work, eventName, event, apiUrl: server.url, inputs: { 'github-token': 'ghs-test-token', comment: 'true', ...inputs } });
  return { ...run, sarif: run.sarifText ? JSON.parse(run.sarifText) : undefined };
}

const writes = (server: GitHubServer) => server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.template}`);

beforeAll(() => {
  // main: a clean repository. feature: one commit adds a live Stripe key to a production env file,
  // the next turns the CI workflow into a pull_request_target that runs the pull request's code.
  repo = tempRepo('keyfence-action-');
  work = tempDir('keyfence-action-work-');
  repo.write('README.md', '# website\n');
  repo.write('.github/workflows/ci.yml', SAFE_WORKFLOW);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'base');
  base = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', '-b', 'feature');
  stripeKey = fake.stripeLive();
  repo.write('config/.env.production', `NODE_ENV=production\nSTRIPE_SECRET_KEY=${stripeKey}\n`);
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'configure payments');
  repo.write('.github/workflows/ci.yml', pwnRequestWorkflow({ name: 'ci' }));
  repo.git('commit', '-q', '-am', 'run tests on pull_request_target');
  leaky = repo.git('rev-parse', 'HEAD').trim();
  // workflow-only: a labeler workflow alone: no secret, nothing above low.
  repo.git('checkout', '-q', '-b', 'workflow-only', base);
  repo.write('.github/workflows/label.yml', LABEL_WORKFLOW);
  repo.git('add', '.');
  repo.git('commit', '-q', '-am', 'run tests on pull_request_target');
  workflowOnly = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', 'feature');
});

afterAll(() => {
  repo?.remove();
  work?.remove();
});

beforeEach(async () => {
  server = await startGitHubServer();
  pull = { reviews: [], comments: [], nextId: 100 };
});
afterEach(async () => {
  expect(server.problems).toEqual([]);
  await server.close();
});

describe('the Action on a pull request', () => {
  it('annotates, summarises, writes SARIF and outputs, and posts ONE review that re-runs update instead of repeating', async () => {
    routes();
    const event = pullRequestPayload({ base, head: leaky, number: 7, headRepo: 'octo-org/website', commits: 2 });
    const first = await runAction(event);

    // Findings at or above the default fail-on (medium): the step fails, saying why.
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^::error::keyfence: \d+ findings? at or above medium$/m);
    expect(first.stdout).not.toContain('internal error');
    // An annotation on the changed line, with GitHub's escaping; never the secret itself.
    expect(first.stdout).toMatch(/^::error title=keyfence stripe-live-secret-key \(critical\),file=config\/\.env\.production,line=2,endLine=2,col=\d+,endColumn=\d+::Stripe live secret key: sk_live_…/m);
    expect(first.stdout).toMatch(/^::(error|warning) title=keyfence [\w-]+ \((critical|high|medium)\),file=\.github\/workflows\/ci\.yml,line=\d+/m);
    const sent = JSON.stringify(server.requests.map((r) => r.body));
    expect(first.stdout + first.stderr + first.summary + JSON.stringify(first.sarif) + sent).not.toContain(stripeKey);

    // Outputs: counts by severity and the SARIF path.
    // The live key and the pull_request_target checkout of the fork's code.
    expect(first.outputs.critical).toBe('2');
    expect(Number(first.outputs.total)).toBeGreaterThanOrEqual(2);
    expect(first.outputs.sarif).toBe(join(work.path, 'keyfence.sarif'));
    expect(first.sarif?.version).toBe('2.1.0');
    expect(first.sarif?.runs[0]?.results.some((r) => r.ruleId === 'stripe-live-secret-key')).toBe(true);

    // The summary is the markdown report, with what became of the review.
    expect(first.summary).toContain('stripe-live-secret-key');
    expect(first.summary).toMatch(/Review posted: \d+ new comments?, 0 updated, 0 marked fixed/);

    // One review, on the head commit, with one comment per finding line.
    expect(writes(server)).toEqual([`POST ${PULLS}/reviews`]);
    const posted = server.requests.find((r) => r.method === 'POST')!.body as ReviewRequest;
    expect(posted.commit_id).toBe(leaky);
    expect(posted.event).toBe('COMMENT');
    expect(posted.body).toContain('<!-- keyfence:review -->');
    expect(posted.body).toMatch(/<!-- keyfence:fingerprints [0-9a-f ]+ -->/);
    const secretComment = posted.comments.find((c) => c.path === 'config/.env.production')!;
    expect(secretComment).toMatchObject({ line: 2, side: 'RIGHT' });
    expect(secretComment.body).toContain('stripe-live-secret-key');
    expect(posted.comments.every((c) => /<!-- keyfence:fingerprints [0-9a-f]{32}( [0-9a-f]{32})* -->/.test(c.body))).toBe(true);
    const lines = posted.comments.map((c) => `${c.path}:${c.line}`);
    expect(new Set(lines).size).toBe(lines.length);

    // Re-run on the same commits: it reads its own review and comments back and writes nothing.
    const before = server.requests.length;
    const second = await runAction(event);
    expect(second.code).toBe(1);
    expect(server.requests.slice(before).map((r) => `${r.method} ${r.template}`)).toEqual([`GET ${PULLS}/reviews`, `GET ${PULLS}/comments`]);
    expect(pull.reviews).toHaveLength(1);
    expect(second.summary).toMatch(/Review updated: 0 new comments, 0 updated, 0 marked fixed/);
  });

  it('on a rewritten branch, marks fixed findings, comments only on new ones, and edits its review in place', async () => {
    routes();
    await runAction(pullRequestPayload({ base, head: leaky, number: 8, headRepo: 'octo-org/website', commits: 2 }));
    expect(pull.reviews).toHaveLength(1);
    const reviewId = pull.reviews[0]!.id;

    // The author rewrites the branch: the key is gone from history, a new one lands elsewhere.
    repo.git('checkout', '-q', '-b', 'rewritten', base);
    repo.write('.github/workflows/ci.yml', pwnRequestWorkflow({ name: 'ci' }));
    repo.git('commit', '-q', '-am', 'run tests on pull_request_target');
    repo.write('src/payments.js', `export const stripe = new Stripe('${fake.stripeLive()}');\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'payments');
    const rewritten = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', 'feature');

    const before = server.requests.length;
    const run = await runAction(pullRequestPayload({ base, head: rewritten, number: 8, headRepo: 'octo-org/website', commits: 2 }));
    const calls = server.requests.slice(before);
    expect(calls.filter((r) => r.method === 'POST' && r.template === `${PULLS}/reviews`)).toEqual([]);
    // The review's body is edited, not duplicated.
    const put = calls.find((r) => r.method === 'PUT')!;
    expect(put.params.review_id).toBe(String(reviewId));
    // A new comment for the new key, on its line in the head commit.
    const created = calls.filter((r) => r.method === 'POST' && r.template === `${PULLS}/comments`).map((r) => r.body as NewCommentRequest);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ path: 'src/payments.js', line: 1, side: 'RIGHT', commit_id: rewritten });
    // The comment on the removed key says it is fixed.
    const envComment = pull.comments.find((c) => c.path === 'config/.env.production')!;
    expect(envComment.body).toContain('no longer found');
    expect(envComment.body).toContain('<!-- keyfence:fixed -->');
    expect(run.summary).toMatch(/Review updated: 1 new comment, \d+ updated, 1 marked fixed/);
    expect(pull.reviews).toHaveLength(1);
  });
});

describe('the Action on a fork pull request', () => {
  it('skips the review without asking GitHub, says why in the summary, and still annotates, summarises and writes SARIF', async () => {
    routes();
    const run = await runAction(pullRequestPayload({ base, head: leaky, number: 9, headRepo: 'forker/website', commits: 2 }));
    expect(server.requests).toEqual([]);
    expect(run.summary).toContain('No review comments were posted: this pull request comes from a fork (forker/website)');
    expect(run.summary).toContain('stripe-live-secret-key');
    expect(run.stdout).toMatch(/^::error title=keyfence stripe-live-secret-key/m);
    expect(run.sarif?.runs[0]?.results.length).toBeGreaterThan(0);
    expect(run.outputs.critical).toBe('2');
    // It fails for the findings, and for nothing else.
    expect(run.stdout).toMatch(/^::error::keyfence: \d+ findings? at or above medium$/m);
  });

  it('turns a 403 from a read-only token into a note, not a failure', async () => {
    routes({ forbidWrites: true });
    const run = await runAction(pullRequestPayload({ base, head: leaky, number: 10, headRepo: 'octo-org/website', commits: 2 }), { 'fail-on': 'critical' });
    expect(writes(server)).toEqual([`POST ${PULLS}/reviews`]);
    expect(run.summary).toContain('No review comments were posted: the token may not write to this pull request (GitHub answered 403: Resource not accessible by integration');
    expect(run.stdout).not.toContain('internal error');
    expect(run.stdout).not.toMatch(/::error::.*403/);
    expect(run.stdout).toMatch(/^::error::keyfence: 2 findings at or above critical$/m);
    expect(run.outputs.sarif).toBeTruthy();
  });

  it('does not fail on a read-only token when nothing reaches fail-on', async () => {
    routes({ forbidWrites: true });
    // Only the workflow change: no secret in the range.
    const run = await runAction(pullRequestPayload({ base, head: workflowOnly, number: 11, headRepo: 'octo-org/website', commits: 1 }), { 'fail-on': 'high' });
    expect(run.outputs.critical).toBe('0');
    expect(Number(run.outputs.total)).toBeGreaterThan(0);
    expect(writes(server)).toEqual([`POST ${PULLS}/reviews`]);
    expect(run.code).toBe(0);
    expect(run.summary).toContain('No review comments were posted');
  });

  it('reports only with fail-on: none, and names the values a bad fail-on may take', async () => {
    routes({ forbidWrites: true });
    const payload = pullRequestPayload({ base, head: leaky, number: 10, headRepo: 'octo-org/website', commits: 2 });
    const reportOnly = await runAction(payload, { 'fail-on': 'none' });
    expect([reportOnly.code, reportOnly.outputs.critical]).toEqual([0, '2']);
    expect(reportOnly.stdout).not.toMatch(/^::error::keyfence: \d+ findings? at or above/m);
    // A step fails with 1 whatever the cause (core.setFailed); the message says which.
    const bad = await runAction(payload, { 'fail-on': 'never' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^::error::keyfence: input fail-on must be one of critical, high, medium, low, none, not "never"$/m);
  });
});

/** The fields of a push webhook example that the test points elsewhere; the rest is carried as it is. */
interface PushExample {
  before: string;
  after: string;
  repository: { full_name: string };
}

describe('the Action on a push', () => {
  it('scans the pushed range, annotates, and asks nothing of GitHub', async () => {
    const require = createRequire(import.meta.url);
    const all = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: PushExample[] }>;
    const push = structuredClone(all.find((e) => e.name === 'push')!.examples[0]!);
    push.before = base;
    push.after = leaky;
    push.repository.full_name = 'octo-org/website';
    const run = await runAction(push, {}, 'push');
    expect(run.stdout).toContain('keyfence: push');
    expect(run.stdout).toMatch(/^::error title=keyfence stripe-live-secret-key \(critical\),file=config\/\.env\.production,line=2/m);
    expect(run.outputs.critical).toBe('2');
    expect(run.code).toBe(1);
    expect(server.requests).toEqual([]);
  });
});

describe('the Action on a schedule', () => {
  it('audits history, tree and workflows, and turns settings the workflow token cannot read into notes', async () => {
    server.on('GET /repos/{owner}/{repo}', { body: repository('octo-org/website', { visibility: 'private', ownerType: 'User' }) });
    const forbidden = { ...githubError(403, 'Resource not accessible by integration'), headers: { 'x-accepted-github-permissions': 'administration=read' } };
    for (const route of [
      'GET /repos/{owner}/{repo}/environments',
      'GET /repos/{owner}/{repo}/actions/secrets',
      'GET /repos/{owner}/{repo}/actions/permissions/workflow',
      'GET /repos/{owner}/{repo}/actions/permissions/fork-pr-workflows-private-repos',
      'GET /repos/{owner}/{repo}/keys',
    ])
      server.on(route, forbidden);
    const run = await runAction({ schedule: '17 6 * * 1' }, {}, 'schedule');
    expect(run.stdout).toContain('keyfence: audit');
    // The live key is in the tree (the checked-out feature branch) and the pwn workflow too.
    expect(run.stdout).toMatch(/^::error title=keyfence stripe-live-secret-key \(critical\),file=config\/\.env\.production,line=2/m);
    expect(run.stdout).toMatch(/^::error title=keyfence untrusted-checkout/m);
    expect(run.summary).toContain('Administration: read');
    expect(run.stdout).toMatch(/^::notice title=keyfence::github: could not read the default workflow token permissions/m);
    expect(run.code).toBe(1);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(server.requests.map((r) => r.headers.authorization)).toContain('token ghs-test-token');
  });
});

describe('the committed bundle', () => {
  it('is one self-contained file', () => {
    const text = readFileSync(ACTION, 'utf8');
    expect(text).not.toMatch(/from ["']\.\.?\//);
    // JSDoc types such as `{import('./x').T}` are comments, not imports.
    const code = text.split('\n').filter((line) => !/^\s*(\*|\/\/)/.test(line)).join('\n');
    expect(code).not.toMatch(/import\(["']\.\.?\//);
  });
});
