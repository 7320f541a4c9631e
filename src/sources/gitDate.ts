import { UserError } from '../errors.js';

/**
 * The dates `--since` and `--until` take. git reads almost anything as a date and silently makes
 * one up (`not a date` is now, `2O24-01-01` with a letter O is 2001), so a typo would scan the
 * wrong commits and report "no findings". Only these forms pass, and git then reads them:
 * - a calendar date, optionally with a time: 2024-01-31, 2024-01-31T12:00, 2024-01-31 12:00:00+02:00
 * - a relative date: 6 months ago, 2.weeks.ago, 1 year ago
 * - yesterday, today, now; a Unix time: @1704067200
 */
const CALENDAR = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const RELATIVE = /^\d{1,6}[ .](?:second|minute|hour|day|week|month|year)s?[ .]ago$/i;
const NAMED = /^(?:yesterday|today|now)$/i;
const UNIX = /^@\d{1,12}$/;

export function parseGitDate(option: string, value: string): string {
  const text = value.trim();
  const calendar = CALENDAR.exec(text);
  if (calendar) {
    const [year, month, day, hour = 0, minute = 0, second = 0] = calendar.slice(1).map((v) => (v === undefined ? undefined : Number(v)));
    const date = new Date(Date.UTC(year!, month! - 1, day!));
    const real = date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
    if (real && hour < 24 && minute < 60 && second < 61) return text;
  } else if (RELATIVE.test(text) || NAMED.test(text) || UNIX.test(text)) {
    return text;
  }
  throw new UserError(`${option} "${value}" is not a date`, 'give a date such as 2024-01-31 (or 2024-01-31T12:00) or a relative one such as "6 months ago"');
}
