import type { RuleInfo } from '../reporters/reporter.js';
import { DOCS_BASE_URL } from '../reporters/ruleDocs.js';
import { fingerprint } from './fingerprint.js';
import { severityRank, type Category, type Environment, type Finding, type Location, type Severity } from './finding.js';

/** What a settings check (GitHub's or GitLab's) reports: a setting, or what a pipeline file does with one. */
export interface SettingsReport {
  severity: Severity;
  message: string;
  /**
   * Where: a stable pseudo-path for a setting (`github:OWNER/REPO/environments/production`,
   * `gitlab:GROUP/PROJECT/…`), or a real file and position for what a workflow or pipeline does.
   */
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  environment: Environment;
  /** Fingerprint material: the setting and its state, never a line number. */
  what: string;
  related?: Location[];
  /** The source line, for inline suppressions, when `file` is a real file. */
  lineText?: string;
}

type SettingsCategory = Extract<Category, 'github-settings' | 'gitlab-settings'>;

/** The finding of one settings report: it holds no secret, and its fingerprint names the setting. */
export function settingsFinding(id: string, category: SettingsCategory, r: SettingsReport): Finding {
  return {
    ruleId: id,
    category,
    severity: r.severity,
    message: r.message,
    file: r.file,
    line: r.line ?? 1,
    column: r.column ?? 1,
    endLine: r.endLine ?? r.line ?? 1,
    endColumn: r.endColumn ?? r.column ?? 1,
    environment: r.environment,
    secret: '',
    fingerprint: fingerprint(id, r.file, r.what, false),
    ...(r.related && r.related.length > 0 ? { related: r.related } : {}),
    ...(r.lineText !== undefined ? { lineText: r.lineText } : {}),
  };
}

/**
 * What SARIF and markdown say about a host's settings checks: each one's description, doc page
 * (docs/github-settings/, docs/gitlab-settings/) and the worst severity it reported.
 */
export function settingsRuleInfo(
  checks: ReadonlyArray<{ id: string; description: string }>,
  category: SettingsCategory,
  findings: Finding[],
): RuleInfo[] {
  return checks.map((check) => {
    const severity = findings.filter((f) => f.ruleId === check.id).map((f) => f.severity).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'high';
    return { id: check.id, description: check.description, category, severity, helpUri: `${DOCS_BASE_URL}docs/${category}/${check.id}.md` };
  });
}
