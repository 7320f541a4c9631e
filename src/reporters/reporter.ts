import type { Report } from '../findings/finding.js';

export const FORMATS = ['text', 'json', 'sarif', 'github', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** What a reporter may know besides the report. Reporters only format; they decide nothing. */
export interface RenderContext {
  /** ANSI colours (text only): on a TTY and unless NO_COLOR is set. */
  color: boolean;
  /** Metadata of the rules that ran, for formats that describe rules (SARIF). */
  rules: Array<{ id: string; description: string; category: string; severity: string }>;
  /** Link target for a file and line, when known (markdown). */
  linkTo?: (file: string, line: number) => string | undefined;
}

export type Reporter = (report: Report, context: RenderContext) => string;

/** Reporters load on demand: the pre-commit hook only ever pays for `text`. */
export async function loadReporter(format: Format): Promise<Reporter> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText;
    case 'json':
      return (await import('./json.js')).renderJson;
    default:
      throw new Error(`format ${format} is being written`);
  }
}
