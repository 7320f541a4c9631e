import { readFileSync } from 'node:fs';
import type { FileRole } from '../environment/classify.js';
import type { Engine } from '../engine/engine.js';
import { failsAt, type FailOn } from '../findings/failOn.js';
import type { Category, Environment, Finding, Severity } from '../findings/finding.js';

/** What `keyfence explain` says about one file. */
export interface FileExplanation {
  /** Repository-relative, forward slashes. */
  file: string;
  environment: Environment;
  role: FileRole;
  /** What decided the environment and role: a configured glob, a declaration, a path convention. */
  why: string;
  /** What the policy does here to each kind of finding, judged by the policy stage itself. */
  policy: PolicyOutcome[];
}

export interface PolicyOutcome {
  /** The kind of finding, in words: "a live-mode provider key". */
  kind: string;
  /** The rule the kind was judged with. */
  ruleId: string;
  /** What becomes of such a finding here; absent when it is not reported. */
  reported?: { category: Category; severity: Severity; message: string };
  /** Why it is not reported, or what re-graded it. */
  because?: string;
}

/**
 * One rule stands for each kind of finding the policy treats differently. Judging a sample finding
 * of it with the engine's own policy stage (rather than restating the policy in words) keeps the
 * explanation true whatever keyfence.yml says.
 */
const KINDS: ReadonlyArray<readonly [kind: string, ruleId: string]> = [
  ['a live-mode provider key', 'stripe-live-secret-key'],
  ['a test-mode provider key', 'stripe-test-secret-key'],
  ['another provider credential', 'aws-access-key-id'],
  ['a generic secret (password, private key, token)', 'generic-password'],
  ['a production host', 'prod-host'],
  ['a secret printed to a log', 'echo-leak'],
  ['debug settings', 'debug-in-production'],
];

const ROLE_WORDS: Record<FileRole, string> = {
  ci: 'CI pipeline',
  fixture: 'test data',
  test: 'test code',
  config: 'configuration',
  docs: 'documentation',
  other: 'source code or other',
};

/** Explains `file` (repository-relative) as `engine` sees it; `path` is where to read it, if it exists. */
export function explainFile(engine: Engine, file: string, path: string): FileExplanation {
  const text = readText(path);
  const { environment, role, why } = engine.explainFile(file, text);
  const policy = KINDS.map(([kind, ruleId]) => judgeKind(engine, kind, ruleId, file, environment, role));
  return { file, environment, role, why, policy };
}

function judgeKind(engine: Engine, kind: string, ruleId: string, file: string, environment: Environment, role: FileRole): PolicyOutcome {
  const rule = engine.rules.find((r) => r.id === ruleId);
  if (!rule) return { kind, ruleId, because: `the rule is switched off (overrides.${ruleId}.enabled: false)` };
  const only = rule.spec.environments;
  if (only && !only.includes(environment)) return { kind, ruleId, because: `not looked for in ${environment} files (only in ${only.join(', ')})` };
  if (!engine.looksAt(rule, file)) {
    const globs = rule.spec.files!.filter((g) => !g.startsWith('!'));
    return { kind, ruleId, because: `not looked for in this kind of file (only in ${globs.slice(0, 3).join(', ')}${globs.length > 3 ? ` and ${globs.length - 3} more globs` : ''})` };
  }
  const sample: Finding = {
    ruleId,
    category: rule.spec.category,
    severity: rule.spec.severity,
    message: rule.spec.message ?? rule.spec.description,
    environment,
    file,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    secret: '',
    fingerprint: '',
  };
  const verdict = engine.judge(sample, role);
  if (!verdict.finding) return { kind, ruleId, because: verdict.because };
  const { category, severity, message } = verdict.finding;
  return { kind, ruleId, reported: { category, severity, message }, ...(verdict.because ? { because: verdict.because } : {}) };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // A path that is not there (yet) is explained by its name alone.
    return undefined;
  }
}

/** The text form: one block per file. */
export function renderExplanations(explanations: readonly FileExplanation[], blocking: FailOn): string {
  return explanations
    .map((e) => {
      const lines = [e.file, `  environment: ${e.environment} (${ROLE_WORDS[e.role]}): ${e.why}`, '  what the policy does here:'];
      for (const o of e.policy) {
        const outcome = o.reported
          ? `${o.reported.category}, ${o.reported.severity}${failsAt(o.reported.severity, blocking) ? '' : ' (not blocking)'}${o.because ? ` by ${o.because}` : ''}: "${o.reported.message}"`
          : `not reported: ${o.because}`;
        lines.push(`    ${o.kind} [${o.ruleId}]: ${outcome}`);
      }
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
