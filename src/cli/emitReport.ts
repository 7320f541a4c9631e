import { resolve } from 'node:path';
import type { KeyfenceConfig } from '../config/config.js';
import type { Engine } from '../engine/engine.js';
import { severityRank, type Finding, type ScanStats, type Severity } from '../findings/finding.js';
import { toReport } from '../findings/redact.js';
import { loadReporter, type RuleInfo } from '../reporters/reporter.js';
import { describeRules } from '../reporters/ruleInfo.js';
import { suppressFindings } from '../suppressions/suppress.js';
import type { CommandContext } from './command.js';
import { UserError } from '../errors.js';
import { githubLinker } from './reportLinks.js';
import type { ScanOptions } from './scanOptions.js';

export const DEFAULT_FAIL_ON: Severity = 'medium';

export interface ScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
  /**
   * Whether this run scanned `file`. With --baseline, entries of files the run did not look at are
   * not reported as stale: pass it from commands that scan part of a repository (a PATH, the staged
   * lines, a commit range). Default: the run covered every file.
   */
  covers?: (file: string) => boolean;
  /** Descriptions of checks that ran besides the engine's rules (workflow checks), for SARIF. */
  rules?: RuleInfo[];
}

/**
 * --fail-on may tighten the configured threshold, but not loosen one an organisation policy locked:
 * a guardrail that a command-line flag could undo would be no guardrail.
 */
export function effectiveFailOn(flag: Severity | undefined, config: KeyfenceConfig): Severity {
  const configured = config.failOn ?? DEFAULT_FAIL_ON;
  if (flag === undefined) return configured;
  const lockedAt = config.guardrails['failOn'];
  if (lockedAt !== undefined && severityRank(flag) > severityRank(configured))
    throw new UserError(`--fail-on ${flag} would loosen the locked guardrail failOn: ${configured} set at ${lockedAt}`, `use --fail-on ${configured} or a lower severity`);
  return flag;
}

/** The exit code for the findings left after suppressions: 1 when one is at or above `failOn`. */
export function exitCodeFor(findings: ReadonlyArray<{ severity: Severity }>, failOn: Severity): number {
  return findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}

/**
 * Everything after the engine, shared by every scanning command: suppressions (inline, allowlists,
 * --baseline), the masking stage, the reporter, the output and the exit code.
 */
export async function emitReport(context: CommandContext, options: ScanOptions, engine: Engine, outcome: ScanOutcome): Promise<number> {
  const baseline = options.baseline
    ? { path: resolve(context.cwd, options.baseline), shown: options.baseline, ...(outcome.covers ? { covers: outcome.covers } : {}) }
    : undefined;
  const suppressed = await suppressFindings(outcome.findings, { config: engine.config, disabled: options.noSuppressions, baseline });
  const report = toReport(suppressed.kept, outcome.stats, [...outcome.notes, ...suppressed.notes], options.showSecrets);
  const render = await loadReporter(options.format);
  const color = options.format === 'text' && !options.output && context.stdout.isTTY === true && !('NO_COLOR' in context.env);
  // Only SARIF and markdown describe rules.
  const rules = options.format === 'sarif' || options.format === 'markdown' ? await describeRules(engine, outcome.findings, outcome.rules) : [];
  const linkTo = githubLinker(context.env);
  const text = render(report, { color, rules, ...(linkTo ? { linkTo } : {}) });
  if (options.output) await (await import('./writeAtomic.js')).writeAtomic(resolve(context.cwd, options.output), text);
  else context.stdout.write(text);
  const failOn = effectiveFailOn(options.failOn, engine.config);
  return exitCodeFor(report.findings, failOn);
}
