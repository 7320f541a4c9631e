import { resolve } from 'node:path';
import type { PolicyFiles } from '../config/policyFiles.js';
import type { Engine } from '../engine/engine.js';
import type { FailOn } from '../findings/failOn.js';
import type { Finding, Report } from '../findings/finding.js';
import { inventoryOfReport, type SecretInventoryRow } from '../findings/secretInventory.js';
import type { RuleInfo } from '../reporters/reporter.js';
import { summaryLine } from '../reporters/summary.js';
import type { Source } from '../sources/source.js';
import { finishRun, type FinishedRun } from './finish.js';
import { DEFAULT_FAIL_ON, effectiveFailOn, exitCodeFor, failsOnNewSuppressions, type ScanOptions } from './options.js';
import { filterSources, keepIncluded, pathFilter } from './pathFilter.js';
import { Progress } from './progress.js';
import { writeReports, type ReportTarget, type RunIO } from './report.js';
import { checkReportTargets } from './reportTargets.js';
import { scanSources } from './scan.js';
import type { ScanWorkers } from './scanFiles.js';
import { now } from './clock.js';

/** Findings that come from outside the text of the sources (a repository's GitHub settings). */
export interface ExtraFindings {
  findings: Finding[];
  notes: string[];
  /** Descriptions of the checks that made them, for the formats that describe rules. */
  rules: RuleInfo[];
  /** `audit --github`: the secret inventory, with every finding about each secret (before suppressions). */
  secretInventory?: SecretInventoryRow[];
}

/** What a door hands the pipeline: the engine, the sources, and what else the run may need. */
export interface RunPlan {
  engine: Engine;
  sources: Source[];
  /** Workers the door started early, for a file source. */
  workers?: ScanWorkers | undefined;
  /** Show commits per second on stderr while commits are read, when it is a terminal. */
  progress?: boolean;
  /** Run after the scan: findings that are not in any file (GitHub settings). */
  extra?: (() => Promise<ExtraFindings>) | undefined;
  /** Descriptions of checks beside the engine's rules (the workflow checks), for SARIF and markdown. */
  rules?: RuleInfo[];
  /**
   * Pull-request mode (policyReview.ts): the baseline is read from the base commit's files, and the
   * findings inline markers silenced are listed as the change's own (`suppressedByChange`).
   */
  pullRequest?: { files: PolicyFiles } | undefined;
}

/**
 * The pipeline every door calls: scan the sources (the engine, the workflow checks, the
 * cross-environment comparison), finish (dedupe, suppressions, masking), and report what is left.
 */
export async function runPipeline(plan: RunPlan, options: ScanOptions, io: RunIO): Promise<{ finished: FinishedRun; rules: RuleInfo[] }> {
  const started = io.started ?? now();
  const paths = pathFilter(options.include, options.exclude);
  const scan = await scanSources({
    engine: plan.engine,
    sources: filterSources(plan.sources, paths),
    workers: plan.workers,
    progress: plan.progress ? Progress.on(io.stderr) : undefined,
  });
  scan.findings = keepIncluded(scan.findings, paths);
  const rules = [...(plan.rules ?? [])];
  let secretInventory: SecretInventoryRow[] | undefined;
  if (plan.extra) {
    const extra = await plan.extra();
    scan.findings.push(...extra.findings);
    scan.notes.push(...extra.notes);
    rules.push(...extra.rules);
    secretInventory = extra.secretInventory;
  }
  const finished = await finishRun(scan, {
    config: plan.engine.config,
    noSuppressions: options.noSuppressions,
    baseline: options.baseline
      ? { path: resolve(io.cwd, options.baseline), shown: options.baseline, files: plan.pullRequest?.files }
      : undefined,
    changeSuppressions: plan.pullRequest !== undefined,
    showSecrets: options.showSecrets,
    verify: options.verify || options.onlyVerified ? { env: io.env, onlyVerified: options.onlyVerified === true } : undefined,
    started,
  });
  // Built from what the report still holds: a finding a marker or the baseline silenced is not listed.
  if (secretInventory) finished.report.secretInventory = inventoryOfReport(secretInventory, finished.report.findings);
  return { finished, rules };
}

/** A plan as a door hands it over: the engine may still be being built (while workers start). */
export type DoorPlan = Omit<RunPlan, 'engine'> & { engine: Engine | Promise<Engine> };

/**
 * The door's plan with its engine built, and `check` passed (usage errors that must stop a run
 * before it scans). Workers the door started are closed if either fails.
 */
export async function preparePlan(door: DoorPlan, check?: (engine: Engine) => void): Promise<RunPlan> {
  try {
    const engine = await door.engine;
    check?.(engine);
    return { ...door, engine };
  } catch (error) {
    await door.workers?.close();
    throw error;
  }
}

/**
 * A CLI door's whole run: the pipeline, the report in the chosen format to stdout or --output (then
 * the one-line summary on stderr, so a CI log still says why the step failed), and the exit code.
 * Usage errors (a broken configuration, an --output that cannot be written, a --fail-on that would
 * loosen a guardrail) are raised before anything is scanned.
 */
export async function runScan(door: DoorPlan, options: ScanOptions, io: RunIO): Promise<number> {
  return (await runScanReport(door, options, io)).code;
}

/** runScan, also handing back the report and the threshold it was judged by (the hook's block message). */
export async function runScanReport(
  door: DoorPlan,
  options: ScanOptions,
  io: RunIO,
): Promise<{ code: number; report: Report; failOn: FailOn }> {
  // The console report, then each --report: renderings of one scan.
  const targets: ReportTarget[] = [{ format: options.format, output: options.output }, ...(options.reports ?? [])];
  let failOn: FailOn = DEFAULT_FAIL_ON;
  const plan = await preparePlan(door, (engine) => {
    checkReportTargets(targets, io);
    failOn = effectiveFailOn(options.failOn, engine.config);
  });
  const { finished, rules } = await runPipeline(plan, options, io);
  for (const warning of finished.warnings ?? []) io.stderr.write(`keyfence: warning: ${warning}\n`);
  await writeReports(finished, targets, { engine: plan.engine, rules, io, failOn });
  if (options.output !== undefined) io.stderr.write(`keyfence: ${summaryLine(finished.report)}; report written to ${options.output}\n`);
  if (options.reports?.length) io.stderr.write(`keyfence: ${options.reports.map((r) => `${r.format} report written to ${r.output}`).join(', ')}\n`);
  const code = exitCodeFor(finished.report, failOn, failsOnNewSuppressions(options, plan.engine.config), options.exitCode);
  return { code, report: finished.report, failOn };
}
