import { relative, sep } from 'node:path';
import type { KeyfenceConfig } from '../config/config.js';
import { loadConfig } from '../config/configFile.js';
import { policyLoosenings, type Loosening, type LooseningContext } from '../config/loosening.js';
import type { PolicyFiles } from '../config/policyFiles.js';
import { createEngine } from '../engine/createEngine.js';
import { Engine } from '../engine/engine.js';
import { describeError } from '../errors.js';
import type { Finding, Severity } from '../findings/finding.js';
import { fingerprint } from '../findings/fingerprint.js';
import { DOCS_BASE_URL } from '../reporters/ruleDocs.js';
import type { RuleInfo } from '../reporters/reporter.js';
import { loadBuiltinRules } from '../rules/builtinRules.js';
import { ENGINE_RULES, POLICY_LOOSENED } from '../rules/policyRules.js';
import { runGit } from '../sources/git.js';
import { revisionFiles } from '../sources/revisionFiles.js';
import type { ExtraFindings, RunPlan } from './run.js';

/**
 * Pull-request mode's trust boundary (docs/action.md, "Trust model"): the policy that judges
 * a pull request is the one at its base, never the one it brings. The configuration, every file it
 * extends and the baseline are read from the base commit; the head's own policy is then compared
 * with it, and each way it loosens the base's is reported as `policy-loosened` at the line that
 * does it, so the reviewer sees what the change would stop keyfence from seeing once merged.
 */
export interface PullRequestPolicy {
  /** The base's effective configuration: what the run judges by. */
  config: KeyfenceConfig;
  /** The base commit's files: where the baseline is read from. */
  files: PolicyFiles;
  /** After the scan: the head's loosenings of the base's policy, as findings. */
  review: () => Promise<ExtraFindings>;
}

export interface PullRequestRange {
  base: string;
  head: string;
}

/** Where the door was told to look: --config and --baseline, as absolute paths. */
export interface PolicyPaths {
  config?: string | undefined;
  baseline?: string | undefined;
}

async function pullRequestPolicy(root: string, range: PullRequestRange, options: PolicyPaths): Promise<PullRequestPolicy> {
  const files = revisionFiles(root, range.base);
  const config = await loadConfig(root, options.config, files);
  return { config, files, review: () => reviewPolicy(root, range, { config, files }, options) };
}

async function reviewPolicy(
  root: string,
  range: PullRequestRange,
  { config: base, files: baseFiles }: { config: KeyfenceConfig; files: PolicyFiles },
  options: PolicyPaths,
): Promise<ExtraFindings> {
  const rule = { ...POLICY_LOOSENED, severity: base.overrides[POLICY_LOOSENED.id]?.severity ?? POLICY_LOOSENED.severity };
  const info: RuleInfo = { id: rule.id, description: rule.description, category: rule.category, severity: rule.severity, helpUri: `${DOCS_BASE_URL}docs/rules/policy-loosened.md` };
  if (base.overrides[rule.id]?.enabled === false) return { findings: [], notes: [], rules: [] };
  const headFiles = revisionFiles(root, range.head);
  const place = new Places(root, range);
  const findings: Finding[] = [];
  const report = async (l: Loosening, severity: Severity = rule.severity) => {
    const at = l.at ? parseAt(l.at) : { file: l.removedFrom ?? '', line: l.removedFrom ? await place.firstChange(l.removedFrom) : 1 };
    findings.push({
      ruleId: rule.id,
      category: rule.category,
      severity,
      message: l.message,
      file: at.file || (base.sources.at(-1) ?? 'keyfence.yml'),
      line: at.line,
      column: at.column ?? 1,
      endLine: at.line,
      endColumn: at.column ?? 1,
      environment: 'unknown',
      secret: '',
      fingerprint: fingerprint(rule.id, at.file, l.what, false),
    });
  };

  let head: KeyfenceConfig;
  try {
    head = await loadConfig(root, options.config, headFiles);
  } catch (error) {
    // Not a loosening to compare, but a reviewer must see it: merged, it stops every later run.
    const { message } = await describeError(error);
    const at = /^(.*?):(\d+):(\d+): /.exec(message);
    await report({ at: at ? `${at[1]}:${at[2]}:${at[3]}` : undefined, message: `the configuration at the head cannot be read (${message}): merged, every keyfence run would stop on it`, what: 'unreadable' }, 'medium');
    return { findings, notes: [], rules: [info] };
  }

  const headFileList = JSON.stringify(base.environments) === JSON.stringify(head.environments) ? [] : await place.headFiles();
  for (const l of policyLoosenings(base, head, looseningContext(headFileList))) await report(l);
  if (options.baseline) {
    const shown = relative(root, options.baseline).split(sep).join('/');
    for (const l of addedBaselineEntries(options.baseline, shown, baseFiles, headFiles)) await report(l);
  }
  return { findings, notes: [], rules: [info] };
}

/** Entries the head's baseline has and the base's lacks: findings the change would silence once merged. */
function* addedBaselineEntries(path: string, shown: string, base: PolicyFiles, head: PolicyFiles): Generator<Loosening> {
  if (head.kind(path) !== 'file') return;
  const text = head.read(path);
  const entries = parseEntries(text);
  const known = new Set(base.kind(path) === 'file' ? parseEntries(base.read(path)).map(entryKey) : []);
  for (const entry of entries) {
    if (known.has(entryKey(entry))) continue;
    const offset = text.indexOf(`"${entry.hash}"`);
    const line = offset === -1 ? 1 : text.slice(0, offset).split('\n').length;
    const reason = typeof entry.reason === 'string' && entry.reason ? `: "${entry.reason}"` : '';
    yield { at: `${shown}:${line}:1`, message: `baseline entry added for ${entry.ruleId} in ${entry.file}${reason}`, what: `baseline:${entryKey(entry)}` };
  }
}

interface RawEntry {
  ruleId: string;
  file: string;
  hash: string;
  reason?: unknown;
}

/** The entries of a baseline, leniently: the suppression stage reports a broken one. */
function parseEntries(text: string): RawEntry[] {
  try {
    const entries = (JSON.parse(text) as { entries?: unknown }).entries;
    return Array.isArray(entries) ? entries.filter((e): e is RawEntry => typeof e?.ruleId === 'string' && typeof e?.file === 'string' && typeof e?.hash === 'string') : [];
  } catch {
    return [];
  }
}

function entryKey(e: RawEntry): string {
  return `${e.ruleId}\0${e.file}\0${e.hash}`;
}

function parseAt(at: string): { file: string; line: number; column?: number } {
  const m = /^(.*):(\d+):(\d+)$/.exec(at);
  return m ? { file: m[1]!, line: Number(m[2]), column: Number(m[3]) } : { file: at, line: 1 };
}

/**
 * What the comparison asks of the rest of keyfence: the rules' own severities, and where each
 * configuration puts a file (an engine per configuration, for its globs and path conventions).
 */
export function looseningContext(files: string[]): LooseningContext {
  const engines = new Map<KeyfenceConfig, Engine>();
  const engineFor = (config: KeyfenceConfig) => engines.get(config) ?? engines.set(config, new Engine(config)).get(config)!;
  const builtin = new Map(loadBuiltinRules().map(({ spec }) => [spec.id, spec.severity]));
  return {
    ruleSeverity: (config, id) =>
      config.rules.findLast((r) => r.spec.id === id)?.spec.severity ?? builtin.get(id) ?? ENGINE_RULES.find((r) => r.id === id)?.severity,
    placement: (config, file) => {
      const engine = engineFor(config);
      return engine.placedBy(file) ?? { environment: engine.environmentOf(file) };
    },
    files: () => files,
  };
}

/**
 * The plan pieces of pull-request mode for a door: the engine built from the base's policy, the
 * base's files for the baseline, and the review of the head's policy to run after the scan.
 */
export async function pullRequestPlan(root: string, range: PullRequestRange, paths: PolicyPaths): Promise<Pick<RunPlan, 'engine' | 'extra' | 'pullRequest'>> {
  const policy = await pullRequestPolicy(root, range, paths);
  return { engine: await createEngine(policy.config), extra: policy.review, pullRequest: { files: policy.files } };
}

/** Places in the head for what a change removed, and the head's files. */
class Places {
  constructor(
    private readonly root: string,
    private readonly range: PullRequestRange,
  ) {}

  /** The first line of the head's version of `file` that the change touches: where a removal shows. */
  async firstChange(file: string): Promise<number> {
    const diff = await runGit(['diff', '-U0', '--no-color', '--no-ext-diff', this.range.base, this.range.head, '--', file], this.root);
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/m.exec(diff.stdout.toString('utf8'));
    return Math.max(1, Number(hunk?.[1] ?? 1));
  }

  async headFiles(): Promise<string[]> {
    const list = await runGit(['ls-tree', '-r', '-z', '--name-only', this.range.head], this.root);
    return list.stdout.toString('utf8').split('\0').filter(Boolean);
  }
}
