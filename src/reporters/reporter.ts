import type { FailOn } from '../findings/failOn.js';
import type { Report, ReportFinding } from '../findings/finding.js';

/** What a report says about a rule or workflow check that ran (SARIF rules, markdown links). */
export interface RuleInfo {
  id: string;
  description: string;
  category: string;
  severity: string;
  /** The rule's doc page, as a full URL; absent for custom rules. */
  helpUri?: string;
  /** A path rule: it reports whole files (a binary key store), which hold no comment to silence it with. */
  byPath?: boolean;
}

/** What a reporter may know besides the report. Reporters only format; they decide nothing. */
export interface RenderContext {
  /** ANSI colours (formats whose entry says `colour`): on a TTY or with FORCE_COLOR, unless NO_COLOR is set. */
  color: boolean;
  /** The run's --fail-on (text: findings below it are said not to block). Absent: not known to the reporter. */
  failOn?: FailOn;
  /** Metadata of the rules that ran, for formats whose entry says `describesRules` (SARIF). */
  rules: RuleInfo[];
  /**
   * Link target for a file and line (of `commit` for findings from history; in `repository`,
   * "owner/name", for a finding of an organisation's report), when known (markdown, HTML). Worked
   * out by the run from the CI environment; returns a full, encoded URL, or undefined when it
   * cannot link there.
   */
  linkTo?: (file: string, line: number, commit?: string, repository?: string) => string | undefined;
}

export type Reporter = (report: Report, context: RenderContext) => string;

/**
 * A report whose findings are read, not held (an organisation's report, `report merge`): everything
 * but the findings, and the findings as a source that may be read more than once (SARIF reads it
 * twice: the rules it lists come before the results).
 */
export interface StreamedReport {
  head: Omit<Report, 'findings'>;
  findings(): AsyncIterable<ReportFinding>;
}

/**
 * A format written in pieces as the findings come: the same bytes its Reporter returns for the same
 * report, so memory does not grow with the number of findings. `write` resolves once the piece is taken.
 */
export type StreamReporter = (report: StreamedReport, context: RenderContext, write: (chunk: string) => Promise<void>) => Promise<void>;

/** One report format: everything the rest of keyfence needs to know about it. */
interface ReporterEntry {
  /** For `--help`. */
  summary: string;
  /** Loaded on demand: the pre-commit hook only ever pays for `text`. */
  load(): Promise<Reporter>;
  /** Needs the descriptions of the rules that ran (costs loading the workflow checks' metadata). */
  describesRules: boolean;
  /** Paints with ANSI colours when written to a terminal. */
  colour: boolean;
  /**
   * Writes the format in pieces (StreamReporter). Formats without it hold every finding at once:
   * text, markdown and HTML are read by people and summarise or show them all.
   */
  stream?(): Promise<StreamReporter>;
}

/** The report formats, in the order `--help` lists them. A new format is one entry here. */
const REPORTERS = {
  text: { summary: 'one line per finding, then a summary (default)', load: async () => (await import('./text.js')).renderText, describesRules: false, colour: true },
  json: { summary: 'the JSON report (schema/report.schema.json)', load: async () => (await import('./json.js')).renderJson, describesRules: false, colour: false, stream: async () => (await import('./json.js')).streamJson },
  sarif: { summary: 'SARIF 2.1.0, for code scanning', load: async () => (await import('./sarif.js')).renderSarif, describesRules: true, colour: false, stream: async () => (await import('./sarif.js')).streamSarif },
  github: { summary: 'GitHub Actions workflow commands (annotations)', load: async () => (await import('./github.js')).renderGithub, describesRules: false, colour: false, stream: async () => (await import('./github.js')).streamGithub },
  markdown: { summary: 'a summary for a pull request or job summary', load: async () => (await import('./markdown.js')).renderMarkdown, describesRules: true, colour: false },
  junit: { summary: 'JUnit XML, for CI test views (a testcase per finding)', load: async () => (await import('./junit.js')).renderJunit, describesRules: true, colour: false, stream: async () => (await import('./junit.js')).streamJunit },
  csv: { summary: 'CSV (RFC 4180), a row per finding, for spreadsheets', load: async () => (await import('./csv.js')).renderCsv, describesRules: false, colour: false, stream: async () => (await import('./csv.js')).streamCsv },
  gitlab: { summary: 'GitLab secret-detection report, for the security dashboard and MR widget', load: async () => (await import('./gitlab.js')).renderGitlab, describesRules: true, colour: false, stream: async () => (await import('./gitlab.js')).streamGitlab },
  codequality: { summary: 'GitLab Code Quality report, for the merge-request widget (every tier)', load: async () => (await import('./codequality.js')).renderCodequality, describesRules: false, colour: false, stream: async () => (await import('./codequality.js')).streamCodequality },
  html: { summary: 'one self-contained HTML page: charts, a sortable table, no network needed', load: async () => (await import('./html.js')).renderHtml, describesRules: true, colour: false },
} as const satisfies Record<string, ReporterEntry>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];

export function isFormat(name: string): name is Format {
  return Object.hasOwn(REPORTERS, name);
}

export function reporterEntry(format: Format): ReporterEntry {
  return REPORTERS[format];
}

export function loadReporter(format: Format): Promise<Reporter> {
  return REPORTERS[format].load();
}

/** The `--format` lines of a command's help, from the entries above. */
export function formatsHelp(): string {
  return FORMATS.map((f) => `                           ${f.padEnd(11)} ${REPORTERS[f].summary}`).join('\n');
}
