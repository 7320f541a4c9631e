import type { Report } from '../findings/finding.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** What a report says about a rule or workflow check that ran (SARIF rules, markdown links). */
export interface RuleInfo {
  id: string;
  description: string;
  category: string;
  severity: string;
  /** The rule's doc page, as a full URL; absent for custom rules. */
  helpUri?: string;
}

/** What a reporter may know besides the report. Reporters only format; they decide nothing. */
export interface RenderContext {
  /** ANSI colours (text only): on a TTY and unless NO_COLOR is set. */
  color: boolean;
  /** Metadata of the rules that ran, for formats that describe rules (SARIF). */
  rules: RuleInfo[];
  /**
   * Link target for a file and line (of `commit` for findings from history), when known
   * (markdown). Computed by the CLI from the CI environment; returns a full, encoded URL.
   */
  linkTo?: (file: string, line: number, commit?: string) => string | undefined;
}

export type Reporter = (report: Report, context: RenderContext) => string;

/** Reporters load on demand: the pre-commit hook only ever pays for `text`. */
export async function loadReporter(format: Format): Promise<Reporter> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText;
    case 'json':
      return (await import('./json.js')).renderJson;
    case 'sarif':
      return (await import('./sarif.js')).renderSarif;
    case 'github':
      return (await import('./github.js')).renderGithub;
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown;
  }
}
