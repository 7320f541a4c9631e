import { resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { severityRank, type Finding, type ScanStats, type Severity } from '../findings/finding.js';
import { toReport } from '../findings/redact.js';
import { loadReporter } from '../reporters/reporter.js';
import { applySuppressions } from '../suppressions/suppress.js';
import type { CommandContext } from './command.js';
import type { ScanOptions } from './scanOptions.js';
import { writeAtomic } from './writeAtomic.js';

export const DEFAULT_FAIL_ON: Severity = 'medium';

export interface ScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  notes: string[];
}

/**
 * Everything after the engine, shared by every scanning command: suppressions, the masking stage,
 * the reporter, the output and the exit code.
 */
export async function emitReport(context: CommandContext, options: ScanOptions, engine: Engine, outcome: ScanOutcome): Promise<number> {
  const suppressed = applySuppressions(outcome.findings, { config: engine.config, disabled: options.noSuppressions });
  const report = toReport(suppressed.kept, outcome.stats, [...outcome.notes, ...suppressed.notes], options.showSecrets);
  const render = await loadReporter(options.format);
  const color = options.format === 'text' && !options.output && context.stdout.isTTY === true && !('NO_COLOR' in context.env);
  const rules = engine.rules.map((r) => ({ id: r.id, description: r.spec.description, category: r.spec.category, severity: r.spec.severity }));
  const text = render(report, { color, rules });
  if (options.output) await writeAtomic(resolve(context.cwd, options.output), text);
  else context.stdout.write(text);
  const failOn = options.failOn ?? engine.config.failOn ?? DEFAULT_FAIL_ON;
  return report.findings.some((f) => severityRank(f.severity) >= severityRank(failOn)) ? 1 : 0;
}
