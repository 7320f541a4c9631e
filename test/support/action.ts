/**
 * The Action as GitHub runs it: `node dist/action.js` in a child process, configured only through
 * the environment a runner sets (INPUT_*, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY,
 * GITHUB_OUTPUT, GITHUB_API_URL, RUNNER_TEMP), against a real repository.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { TempDir } from './tempRepo.js';

export const ACTION = resolve(import.meta.dirname, '..', '..', 'dist', 'action.js');

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  /** What the Action set with core.setOutput. */
  outputs: Record<string, string>;
  /** The raw output file, for tests that look at every byte written. */
  outputFile: string;
  /** The SARIF file at its default place ($RUNNER_TEMP/keyfence.sarif), as text; '' when not written. */
  sarifText: string;
}

export interface ActionRequest {
  repo: TempDir;
  /** RUNNER_TEMP, HOME, and where the event, summary and output files go. */
  work: TempDir;
  eventName: string;
  event: object;
  /** Inputs by their action.yml names (`fail-on`, `github-token`); the rest default as GitHub would. */
  inputs?: Record<string, string>;
  /** GITHUB_API_URL; default a port where nothing listens, for runs that must not need the API. */
  apiUrl?: string;
  env?: NodeJS.ProcessEnv;
}

export function runAction({ repo, work, eventName, event, inputs = {}, apiUrl = 'http://127.0.0.1:9', env = {} }: ActionRequest): Promise<ActionRun> {
  const eventPath = work.write(`event-${Date.now()}-${Math.random()}.json`, JSON.stringify(event));
  const summaryPath = work.write('summary.md', '');
  const outputPath = work.write('output.txt', '');
  const defaults: Record<string, string> = { mode: '', path: '.', config: '', baseline: '', 'fail-on': '', sarif: '', comment: 'false', 'github-token': '' };
  const runner: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: work.path,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'octo-org/website',
    GITHUB_WORKSPACE: repo.path,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: apiUrl,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    RUNNER_TEMP: work.path,
    ...Object.fromEntries(Object.entries({ ...defaults, ...inputs }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...env,
  };
  return new Promise((done) => {
    execFile(process.execPath, [ACTION], { cwd: repo.path, env: runner, timeout: 60_000 }, (error, stdout, stderr) => {
      const outputFile = readFileSync(outputPath, 'utf8');
      const outputs: Record<string, string> = {};
      for (const m of outputFile.matchAll(/^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
      let sarifText = '';
      try {
        sarifText = readFileSync(join(work.path, 'keyfence.sarif'), 'utf8');
      } catch {
        // Not written when the run failed early.
      }
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, summary: readFileSync(summaryPath, 'utf8'), outputs, outputFile, sarifText });
    });
  });
}

/** The fields of a pull_request webhook example that the tests point elsewhere; the rest is carried as it is. */
interface PullRequestExample {
  action: string;
  number: number;
  pull_request: {
    number: number;
    commits: number;
    base: { sha: string; repo: { full_name: string } };
    head: { sha: string; repo: { full_name: string; fork: boolean } };
  };
  repository: { full_name: string };
}

/**
 * A pull_request "opened" payload as GitHub sends it (from @octokit/webhooks-examples), pointed at a
 * test's commits.
 */
export function pullRequestPayload(opts: { base: string; head: string; number: number; headRepo?: string; commits: number }) {
  const require = createRequire(import.meta.url);
  const all = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: PullRequestExample[] }>;
  const payload = structuredClone(all.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened')!);
  const headRepo = opts.headRepo ?? 'octo-org/website';
  payload.number = opts.number;
  payload.pull_request.number = opts.number;
  payload.pull_request.commits = opts.commits;
  payload.pull_request.base.sha = opts.base;
  payload.pull_request.head.sha = opts.head;
  payload.pull_request.base.repo.full_name = 'octo-org/website';
  payload.pull_request.head.repo.full_name = headRepo;
  payload.pull_request.head.repo.fork = headRepo !== 'octo-org/website';
  payload.repository.full_name = 'octo-org/website';
  return payload;
}

/** A push payload: the pushed range. */
export function pushPayload(before: string, after: string) {
  return { ref: 'refs/heads/main', before, after, repository: { full_name: 'octo-org/website' } };
}
