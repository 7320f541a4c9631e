/**
 * The GitHub Action (action.yml, bundled to dist/action.js): a door onto the same pipeline as the
 * CLI. On pull requests it reads the pull request's commits as `keyfence diff BASE..HEAD` does; on
 * pushes the pushed range; otherwise (schedule, workflow_dispatch) the whole audit. It writes
 * annotations, a job summary, a SARIF file and outputs, and on pull requests one review with a
 * comment per finding line, kept up to date across runs. It needs no secret and never prints one.
 * GitHub being down or out of reach costs the review comments (a note says so), never the rest.
 */
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { describeError, UserError } from '../errors.js';
import { FAIL_ON_LEVELS, failsAt, type FailOn } from '../findings/failOn.js';
import { SEVERITIES, type ReportFinding, type Severity } from '../findings/finding.js';
import { createGitHubClient, resolveApiUrl } from '../github/client.js';
import { githubSettings, openAuditSources } from '../run/audit.js';
import type { FinishedRun } from '../run/finish.js';
import { openEngine } from '../run/openEngine.js';
import { effectiveFailOn, exitCodeFor, failsOnNewSuppressions, type ScanOptions } from '../run/options.js';
import { pullRequestPlan, type PolicyPaths } from '../run/policyReview.js';
import { renderReport, writeReports } from '../run/report.js';
import { checkReportTargets, parseReportSpec } from '../run/reportTargets.js';
import { preparePlan, runPipeline, type RunPlan } from '../run/run.js';
import { findRepoRoot } from '../sources/git.js';
import { chooseMode, isNewBranchPush, readEvent, type Mode, type RunEvent } from './event.js';
import { addedLines, placeFinding } from './placements.js';
import { rangeCommits } from './rangeCommits.js';
import { upsertReview, type ReviewOutcome } from './review.js';
import { now } from '../run/clock.js';

interface Inputs {
  mode: string;
  path: string;
  config: string;
  baseline: string;
  failOn: string;
  comment: boolean;
  sarif: string;
  /** `report`: FORMAT=FILE lines, more reports of the run (as `--report`), paths in the workspace. */
  reports: string[];
  token: string;
  failOnNewSuppressions: boolean;
  verify: boolean;
}

function booleanInput(name: string, input: string, fallback: boolean): boolean {
  const value = input.trim().toLowerCase();
  if (value === '') return fallback;
  if (!['true', 'false'].includes(value)) throw new UserError(`input ${name} must be true or false, not "${value}"`);
  return value === 'true';
}

function readInputs(): Inputs {
  return {
    mode: core.getInput('mode'),
    path: core.getInput('path') || '.',
    config: core.getInput('config'),
    baseline: core.getInput('baseline'),
    failOn: core.getInput('fail-on'),
    comment: booleanInput('comment', core.getInput('comment'), true),
    sarif: core.getInput('sarif'),
    reports: core.getInput('report').split('\n').map((line) => line.trim()).filter(Boolean),
    token: core.getInput('github-token'),
    failOnNewSuppressions: booleanInput('fail-on-new-suppressions', core.getInput('fail-on-new-suppressions'), false),
    verify: booleanInput('verify', core.getInput('verify'), false),
  };
}

/**
 * The plan for the mode: the same sources `keyfence diff` and `keyfence audit` read. On a pull
 * request the policy (config, extends, baseline) is the base's, and the head's is reviewed.
 */
async function plan(mode: Mode, event: RunEvent, root: string, inputs: Inputs, paths: PolicyPaths): Promise<RunPlan> {
  const configFile = paths.config;
  if (mode === 'pull-request') {
    const pr = event.pullRequest!;
    const source = await rangeCommits(root, pr.baseSha, pr.headSha, process.env, pr.commits);
    return { ...(await pullRequestPlan(root, { base: pr.baseSha, head: pr.headSha }, paths)), sources: [source] };
  }
  if (mode === 'push') {
    const push = event.push!;
    const source = await rangeCommits(root, isNewBranchPush(push) ? '' : push.before, push.after, process.env);
    return { engine: await openEngine(root, configFile), sources: [source] };
  }
  const { sources, workers } = await openAuditSources([root], root);
  const github =
    inputs.token && event.owner && event.repo
      ? { owner: event.owner, repo: event.repo, token: inputs.token, baseUrl: resolveApiUrl(undefined, process.env), optional: true }
      : undefined;
  const engine = openEngine(root, configFile);
  const extra = github ? githubSettings(github, root, (m) => core.info(m), async () => (await engine).config) : undefined;
  return preparePlan({ engine, sources, workers, extra });
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice' };

function annotate(findings: ReportFinding[]): void {
  for (const f of findings) {
    const onFile = !f.file.startsWith('github:');
    let message = f.message;
    if (f.secret) message += `: ${f.secret}`;
    if (f.commit) message += `\nadded in commit ${f.commit.slice(0, 12)}`;
    if (!onFile) message += `\n(${f.file})`;
    const oneLine = f.endLine === f.line;
    core[LEVEL[f.severity]](message, {
      title: `keyfence ${f.ruleId} (${f.severity})`,
      ...(onFile
        ? { file: f.file, startLine: f.line, endLine: f.endLine, ...(oneLine ? { startColumn: f.column, endColumn: f.endColumn } : {}) }
        : {}),
    });
  }
}

/** The review on a pull request, when asked for and possible; what became of it, as a sentence. */
async function review(mode: Mode, event: RunEvent, inputs: Inputs, root: string, run: FinishedRun): Promise<string | undefined> {
  if (mode !== 'pull-request' || !inputs.comment) return undefined;
  const pr = event.pullRequest!;
  const skipped = (why: string) => `No review comments were posted: ${why}. The findings are in the annotations, this summary and the SARIF file.`;
  if (pr.fromFork) return skipped(`this pull request comes from a fork (${pr.headRepository ?? 'a deleted repository'}), and GitHub gives workflows on fork pull requests a read-only token`);
  if (!inputs.token) return skipped('no github-token was given');
  // Each finding's line in HEAD, by fingerprint: where its comment goes.
  const added = (await addedLines(root, pr.baseSha, pr.headSha)) ?? new Map();
  const placements = new Map<string, number>();
  for (const f of run.kept) {
    const line = placeFinding(f, added);
    if (line !== undefined && !placements.has(f.fingerprint)) placements.set(f.fingerprint, line);
  }
  const octokit = createGitHubClient({ token: inputs.token, baseUrl: resolveApiUrl(undefined, process.env), warn: (m) => core.info(m) });
  const target = { owner: event.owner, repo: event.repo, pull: pr.number, headSha: pr.headSha };
  const outcome: ReviewOutcome = await upsertReview(octokit, target, run.report.findings, placements);
  if (outcome.status === 'skipped') return skipped(outcome.reason);
  if (outcome.status === 'written')
    return `Review ${outcome.reviewCreated ? 'posted' : 'updated'}: ${outcome.created} new comment${outcome.created === 1 ? '' : 's'}, ${outcome.updated} updated, ${outcome.fixed} marked fixed.`;
  return undefined;
}

export async function run(): Promise<void> {
  const started = now();
  // The bundled ReDoS checker for custom rules runs in-process: the Action ships no worker file for it.
  process.env.RECHECK_SYNC_BACKEND ??= 'pure';
  const inputs = readInputs();
  const event = readEvent(process.env);
  const mode = chooseMode(inputs.mode.trim(), event);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const cwd = resolve(workspace, inputs.path);
  const root = await findRepoRoot(cwd);
  if (!root && mode !== 'audit') throw new UserError(`${cwd} is not a git repository`, 'run actions/checkout before keyfence');
  const top = root ?? cwd;
  const failOnInput = inputs.failOn.trim();
  if (failOnInput && !(FAIL_ON_LEVELS as readonly string[]).includes(failOnInput)) throw new UserError(`input fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, not "${failOnInput}"`);

  core.info(`keyfence: ${mode}${event.pullRequest ? ` #${event.pullRequest.number} ${event.pullRequest.baseSha.slice(0, 12)}..${event.pullRequest.headSha.slice(0, 12)}` : ''}`);
  const inWorkspace = (path: string) => (path ? resolve(workspace, path) : undefined);
  const paths = { config: inWorkspace(inputs.config), baseline: inWorkspace(inputs.baseline) };
  // Checked before anything is scanned, as the CLI checks --report.
  const reports = inputs.reports.map((spec) => parseReportSpec(spec, 'input report'));
  checkReportTargets(reports, { cwd: workspace });
  const runPlan = await plan(mode, event, top, inputs, paths);
  // As the CLI's --fail-on: `none` reports only, and a guardrail's locked failOn cannot be loosened.
  const failOn: FailOn = effectiveFailOn((failOnInput as FailOn) || undefined, runPlan.engine.config);
  const options: ScanOptions = { format: 'sarif', baseline: inputs.baseline || undefined, showSecrets: false, noSuppressions: false, verify: inputs.verify };
  const io = { cwd: workspace, env: process.env, stdout: process.stdout, stderr: process.stderr, started };
  const { finished, rules } = await runPipeline(runPlan, options, io);
  const { report } = finished;

  // What GitHub's API cannot take away: the SARIF file, the outputs, the annotations.
  const sarifPath = resolve(workspace, inputs.sarif || resolve(process.env.RUNNER_TEMP ?? workspace, 'keyfence.sarif'));
  mkdirSync(dirname(sarifPath), { recursive: true });
  await writeReports(finished, [{ format: 'sarif', output: sarifPath }, ...reports], { engine: runPlan.engine, rules, io, failOn });
  for (const warning of finished.warnings ?? []) core.warning(warning, { title: 'keyfence' });
  for (const s of SEVERITIES) core.setOutput(s, report.findings.filter((f) => f.severity === s).length);
  core.setOutput('total', report.findings.length);
  core.setOutput('sarif', relative(workspace, sarifPath).startsWith('..') ? sarifPath : relative(workspace, sarifPath));
  annotate(report.findings);
  for (const s of report.suppressedByChange ?? [])
    core.notice(`${s.message}: silenced by \`${s.marker}\` that this pull request adds${s.reason ? ` ("${s.reason}")` : ', giving no reason'}`, {
      title: `keyfence ${s.ruleId} suppressed by this change`,
      file: s.file,
      startLine: s.line,
    });
  for (const note of report.notes) core.notice(note, { title: 'keyfence' });

  const note = await review(mode, event, inputs, top, finished);
  if (note) core.info(`keyfence: ${note}`);

  // The job summary: the markdown report, and what became of the review.
  if (process.env.GITHUB_STEP_SUMMARY) {
    core.summary.addRaw(await renderReport(finished, { format: 'markdown' }, { engine: runPlan.engine, rules, io }), true);
    if (note) core.summary.addRaw(`\n> ${note}\n`, true);
    await core.summary.write();
  }

  const failOnNew = failsOnNewSuppressions({ failOnNewSuppressions: inputs.failOnNewSuppressions }, runPlan.engine.config);
  if (exitCodeFor(report, failOn, failOnNew) !== 0) {
    const n = report.findings.filter((f) => failsAt(f.severity, failOn)).length;
    const silenced = failOnNew ? (report.suppressedByChange?.length ?? 0) : 0;
    const why = [
      n > 0 ? `${n} finding${n === 1 ? '' : 's'} at or above ${failOn}` : '',
      silenced > 0 ? `${silenced} finding${silenced === 1 ? '' : 's'} silenced by inline markers this pull request adds (fail-on-new-suppressions)` : '',
    ];
    core.setFailed(`keyfence: ${why.filter(Boolean).join('; ')}`);
  }
}

try {
  await run();
} catch (error) {
  const { message, hint } = await describeError(error);
  core.setFailed(`keyfence: ${message}${hint ? ` (${hint})` : ''}`);
}
