import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { argsError } from './argsError.js';
import { FAIL_ON_LEVELS, isFailOn } from '../findings/failOn.js';
import { FORMATS, formatsHelp, isFormat } from '../reporters/reporter.js';
import type { ScanOptions } from '../run/options.js';
import { parseReportSpec } from '../run/reportTargets.js';

const SCAN_OPTION_SPEC = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  report: { type: 'string', multiple: true },
  config: { type: 'string', short: 'c' },
  baseline: { type: 'string' },
  'fail-on': { type: 'string' },
  'exit-code': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'show-secrets': { type: 'boolean' },
  'no-suppressions': { type: 'boolean' },
  verify: { type: 'boolean' },
  'only-verified': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The options every scanning command takes (docs/cli.md). */
export const SCAN_OPTIONS_HELP = `Options:
  -f, --format FORMAT      report format:
${formatsHelp()}
  -o, --output FILE        write the report to FILE instead of stdout (the summary line still goes to stderr)
      --report FORMAT=FILE another report of the same run, written to FILE (repeatable)
  -c, --config FILE        configuration (default keyfence.yml or .keyfence.yml at the root)
      --baseline FILE      drop findings recorded in this baseline
      --fail-on SEVERITY   lowest severity that makes the exit code 1 (default medium); none: report only, exit 0
      --exit-code N        the exit code when findings fail the run (default 1)
      --include GLOB       scan only paths matching GLOB (repeatable; relative to the repository root)
      --exclude GLOB       skip paths matching GLOB (repeatable; wins over --include)
      --show-secrets       print matched values in full (redacted by default)
      --no-suppressions    ignore inline comments, allowlists and baselines (for audits)
      --verify             ask each provider whether a found credential is live (read-only; docs/verification.md)
      --only-verified      report only credentials the provider says are live (implies --verify)
  -h, --help               show this help`;

/** Parses the shared options plus a command's own; unknown options are usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], extra: T, command: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...SCAN_OPTION_SPEC, ...extra }, allowPositionals: true, strict: true });
  } catch (error) {
    throw argsError(command, error, { ...SCAN_OPTION_SPEC, ...extra });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const format = (values.format as string | undefined) ?? 'text';
  if (!isFormat(format)) throw new UserError(`unknown format "${format}"`, `use one of ${FORMATS.join(', ')}`);
  const failOn = values['fail-on'] as string | undefined;
  if (failOn !== undefined && !isFailOn(failOn))
    throw new UserError(`unknown severity "${failOn}" for --fail-on`, `use one of ${FAIL_ON_LEVELS.join(', ')}`);
  const options: ScanOptions = {
    format,
    output: values.output as string | undefined,
    reports: ((parsed.values as { report?: string[] }).report ?? []).map((spec) => parseReportSpec(spec)),
    config: values.config as string | undefined,
    baseline: values.baseline as string | undefined,
    failOn,
    exitCode: parseExitCode(values['exit-code'] as string | undefined),
    include: (parsed.values as { include?: string[] }).include,
    exclude: (parsed.values as { exclude?: string[] }).exclude,
    showSecrets: values['show-secrets'] === true,
    noSuppressions: values['no-suppressions'] === true,
    verify: values.verify === true || values['only-verified'] === true,
    onlyVerified: values['only-verified'] === true,
  };
  return { options, values, positionals: parsed.positionals };
}

/**
 * --exit-code N: the code a run with findings exits with (gitleaks' flag of the same name). 2 stays
 * the code of errors, so that a hook or CI step can still tell an error from findings.
 */
function parseExitCode(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(value) || Number(value) > 255) throw new UserError(`--exit-code must be a whole number from 0 to 255 (got "${value}")`);
  if (Number(value) === 2) throw new UserError('--exit-code 2 would look like an error: 2 is the exit code of usage, configuration and runtime errors', 'pick another code, e.g. --exit-code 7');
  return Number(value);
}
