/**
 * The GitHub Action (action.yml, bundled to dist/action.js). On pull requests it scans the added
 * lines of the pull request's commits and the workflow files it changes; on pushes the pushed
 * range; otherwise (schedule, workflow_dispatch) the whole audit. It writes annotations, a job
 * summary, a SARIF file and outputs, and on pull requests one review with a comment per finding
 * line, kept up to date across runs. It needs no secret and never prints one.
 */
import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { DEFAULT_FAIL_ON, exitCodeFor } from '../cli/emitReport.js';
import { UserError } from '../errors.js';
import { writeAtomic } from '../cli/writeAtomic.js';
import { githubLinker } from '../cli/reportLinks.js';
import { loadConfig } from '../config/configFile.js';
import { Engine } from '../engine/engine.js';
import { SEVERITIES, type Finding, type ReportFinding, type ScanStats, type Severity } from '../findings/finding.js';
import { toReport } from '../findings/redact.js';
import { createGitHubClient, resolveApiUrl } from '../github/client.js';
import { settingsRuleInfo } from '../github/auditSettings.js';
import { loadReporter, type RuleInfo } from '../reporters/reporter.js';
import { describeRules } from '../reporters/ruleInfo.js';
import { listFiles } from '../sources/files.js';
import { findRepoRoot } from '../sources/git.js';
import { suppressFindings } from '../suppressions/suppress.js';
import { chooseMode, isNewBranchPush, readEvent, type Mode, type RunEvent } from './event.js';
import { placeFinding, upsertReview, type ReviewOutcome } from './review.js';
import { scanRange } from './scanRange.js';

interface Inputs {
  mode: string;
  path: string;
  config: string;
  baseline: string;
  failOn: string;
  comment: boolean;
  sarif: string;
  token: string;
}

function readInputs(): Inputs {
  const comment = core.getInput('comment').trim().toLowerCase();
  if (comment !== '' && !['true', 'false'].includes(comment)) throw new UserError(`input comment must be true or false, not "${comment}"`);
  return {
    mode: core.getInput('mode'),
    path: core.getInput('path') || '.',
    config: core.getInput('config'),
    baseline: core.getInput('baseline'),
    failOn: core.getInput('fail-on'),
    comment: comment !== 'false',
    sarif: core.getInput('sarif'),
    token: core.getInput('github-token'),
  };
}

interface Scanned {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
  rules: RuleInfo[];
  /** Pull requests: each fingerprint's line in HEAD, for review comments. */
  placements?: Map<string, number>;
  covers?: (file: string) => boolean;
}

async function scan(mode: Mode, event: RunEvent, engine: Engine, root: string, inputs: Inputs): Promise<Scanned> {
  if (mode === 'pull-request') {
    const pr = event.pullRequest!;
    const range = await scanRange(engine, root, pr.baseSha, pr.headSha, pr.commits !== undefined ? { depth: pr.commits } : {});
    const placements = new Map<string, number>();
    for (const f of range.findings) {
      const line = placeFinding(f, range.added);
      if (line !== undefined && !placements.has(f.fingerprint)) placements.set(f.fingerprint, line);
    }
    return { ...range, findings: [...range.findings, ...engine.finish()], rules: [], placements, covers: (file) => range.changedFiles.has(file) };
  }
  if (mode === 'push') {
    const push = event.push!;
    const base = isNewBranchPush(push) ? '' : push.before;
    const range = await scanRange(engine, root, base, push.after);
    const notes = isNewBranchPush(push) ? ['a new branch: only its last commit was scanned', ...range.notes] : range.notes;
    return { ...range, notes, findings: [...range.findings, ...engine.finish()], rules: [], covers: (file) => range.changedFiles.has(file) };
  }
  const { collectAudit } = await import('../cli/commands/audit.js');
  const set = await listFiles([root], root);
  const github =
    inputs.token && event.owner && event.repo
      ? { owner: event.owner, repo: event.repo, token: inputs.token, baseUrl: resolveApiUrl(undefined, process.env), optional: true }
      : undefined;
  const audit = await collectAudit(engine, set, github, (m) => core.info(m));
  return { findings: audit.findings, stats: audit.stats, notes: audit.notes, rules: audit.rules ?? [] };
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
        ? {
            file: f.file,
            startLine: f.line,
            endLine: f.endLine,
            ...(oneLine ? { startColumn: f.column, endColumn: f.endColumn } : {}),
          }
        : {}),
    });
  }
}

function reviewNote(outcome: ReviewOutcome | undefined, why: string | undefined): string | undefined {
  if (why) return `No review comments were posted: ${why}. The findings are in the annotations, this summary and the SARIF file.`;
  if (!outcome) return undefined;
  if (outcome.status === 'skipped') return `No review comments were posted: ${outcome.reason}. The findings are in the annotations, this summary and the SARIF file.`;
  if (outcome.status === 'written')
    return `Review ${outcome.reviewCreated ? 'posted' : 'updated'}: ${outcome.created} new comment${outcome.created === 1 ? '' : 's'}, ${outcome.updated} updated, ${outcome.fixed} marked fixed.`;
  return undefined;
}

export async function run(): Promise<void> {
  const inputs = readInputs();
  const event = readEvent(process.env);
  const mode = chooseMode(inputs.mode.trim(), event);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const cwd = resolve(workspace, inputs.path);
  const root = await findRepoRoot(cwd);
  if (!root && mode !== 'audit') throw new UserError(`${cwd} is not a git repository`, 'run actions/checkout before keyfence');
  const top = root ?? cwd;
  const engine = new Engine(await loadConfig(top, inputs.config ? resolve(workspace, inputs.config) : undefined));
  const failOnInput = inputs.failOn.trim();
  if (failOnInput && !SEVERITIES.includes(failOnInput as Severity)) throw new UserError(`input fail-on must be one of ${SEVERITIES.join(', ')}, not "${failOnInput}"`);
  const failOn = (failOnInput as Severity) || engine.config.failOn || DEFAULT_FAIL_ON;

  core.info(`keyfence: ${mode}${event.pullRequest ? ` #${event.pullRequest.number} ${event.pullRequest.baseSha.slice(0, 12)}..${event.pullRequest.headSha.slice(0, 12)}` : ''}`);
  const scanned = await scan(mode, event, engine, top, inputs);
  const baseline = inputs.baseline
    ? { path: resolve(workspace, inputs.baseline), shown: inputs.baseline, ...(scanned.covers ? { covers: scanned.covers } : {}) }
    : undefined;
  const suppressed = await suppressFindings(scanned.findings, { config: engine.config, disabled: false, baseline });
  // The masking stage: nothing after this line sees a secret.
  const report = toReport(suppressed.kept, scanned.stats, [...scanned.notes, ...suppressed.notes], false);

  annotate(report.findings);
  for (const note of report.notes) core.notice(note, { title: 'keyfence' });

  const rules = await describeRules(engine, suppressed.kept, [...scanned.rules, ...settingsRuleInfo([])]);
  const sarifPath = resolve(workspace, inputs.sarif || resolve(process.env.RUNNER_TEMP ?? workspace, 'keyfence.sarif'));
  mkdirSync(dirname(sarifPath), { recursive: true });
  await writeAtomic(sarifPath, (await loadReporter('sarif'))(report, { color: false, rules }));

  // The review: pull requests only, when asked for and the token may write.
  let outcome: ReviewOutcome | undefined;
  let skipWhy: string | undefined;
  if (mode === 'pull-request' && inputs.comment) {
    const pr = event.pullRequest!;
    if (pr.fromFork) skipWhy = `this pull request comes from a fork (${pr.headRepository ?? 'a deleted repository'}), and GitHub gives workflows on fork pull requests a read-only token`;
    else if (!inputs.token) skipWhy = 'no github-token was given';
    else {
      const octokit = createGitHubClient({ token: inputs.token, baseUrl: resolveApiUrl(undefined, process.env), warn: (m) => core.info(m) });
      outcome = await upsertReview(octokit, { owner: event.owner, repo: event.repo, pull: pr.number, headSha: pr.headSha }, report.findings, scanned.placements ?? new Map());
    }
  }
  const note = reviewNote(outcome, skipWhy);
  if (note) core.info(`keyfence: ${note}`);

  // The job summary: the markdown report, and what became of the review.
  if (process.env.GITHUB_STEP_SUMMARY) {
    const linkTo = githubLinker(process.env);
    const markdown = (await loadReporter('markdown'))(report, { color: false, rules, ...(linkTo ? { linkTo } : {}) });
    core.summary.addRaw(markdown, true);
    if (note) core.summary.addRaw(`\n> ${note}\n`, true);
    await core.summary.write();
  }

  for (const s of SEVERITIES) core.setOutput(s, report.findings.filter((f) => f.severity === s).length);
  core.setOutput('total', report.findings.length);
  core.setOutput('sarif', relative(workspace, sarifPath).startsWith('..') ? sarifPath : relative(workspace, sarifPath));

  if (exitCodeFor(report.findings, failOn) !== 0) {
    const n = report.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(failOn)).length;
    core.setFailed(`keyfence: ${n} finding${n === 1 ? '' : 's'} at or above ${failOn}`);
  }
}

try {
  await run();
} catch (error) {
  // Messages quote what they complain about (a config value, a regex): mask any key in them.
  const { maskSecrets } = await import('../engine/maskText.js');
  if (error instanceof UserError || (error as { where?: string }).where !== undefined) {
    core.setFailed(maskSecrets(`keyfence: ${(error as Error).message}${error instanceof UserError && error.hint ? ` (${error.hint})` : ''}`));
  } else {
    core.setFailed(maskSecrets(`keyfence: internal error: ${(error as Error).stack ?? String(error)}`));
  }
}
