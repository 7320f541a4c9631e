import { parseLogOptions } from '../sources/logOptions.js';
import type { HistoryOptions } from '../sources/history.js';

/** The options `history` and `audit` share to choose the commits they read (gitleaks' habits). */
export const HISTORY_SELECTION_OPTIONS = {
  branch: { type: 'string' },
  path: { type: 'string', multiple: true },
  'log-opts': { type: 'string' },
} as const;

export function historySelection(values: Record<string, unknown>): Pick<HistoryOptions, 'branch' | 'paths' | 'logOptions'> {
  const logOpts = values['log-opts'] as string | undefined;
  return {
    branch: values.branch as string | undefined,
    paths: values.path as string[] | undefined,
    logOptions: logOpts === undefined ? undefined : parseLogOptions(logOpts),
  };
}
