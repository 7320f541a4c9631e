import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { SEVERITIES, type Severity } from '../findings/finding.js';
import { FORMATS, formatsHelp, isFormat } from '../reporters/reporter.js';
import type { ScanOptions } from '../run/options.js';

const SCAN_OPTION_SPEC = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  baseline: { type: 'string' },
  'fail-on': { type: 'string' },
  'show-secrets': { type: 'boolean' },
  'no-suppressions': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The options every scanning command takes (docs/cli.md). */
export const SCAN_OPTIONS_HELP = `Options:
  -f, --format FORMAT      report format:
${formatsHelp()}
  -o, --output FILE        write the report to FILE instead of stdout (the summary line still goes to stderr)
  -c, --config FILE        configuration (default keyfence.yml or .keyfence.yml at the root)
      --baseline FILE      drop findings recorded in this baseline
      --fail-on SEVERITY   lowest severity that makes the exit code 1 (default medium)
      --show-secrets       print matched values in full (redacted by default)
      --no-suppressions    ignore inline comments, allowlists and baselines (for audits)
  -h, --help               show this help`;

/** Parses the shared options plus a command's own; unknown options are usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], extra: T, command: string) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...SCAN_OPTION_SPEC, ...extra }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError(`${command}: ${(error as Error).message}`, `run \`keyfence ${command} --help\` for usage`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const format = (values.format as string | undefined) ?? 'text';
  if (!isFormat(format)) throw new UserError(`unknown format "${format}"`, `use one of ${FORMATS.join(', ')}`);
  const failOn = values['fail-on'] as string | undefined;
  if (failOn !== undefined && !SEVERITIES.includes(failOn as Severity))
    throw new UserError(`unknown severity "${failOn}" for --fail-on`, `use one of ${SEVERITIES.join(', ')}`);
  const options: ScanOptions = {
    format,
    output: values.output as string | undefined,
    config: values.config as string | undefined,
    baseline: values.baseline as string | undefined,
    failOn: failOn as Severity | undefined,
    showSecrets: values['show-secrets'] === true,
    noSuppressions: values['no-suppressions'] === true,
  };
  return { options, values, positionals: parsed.positionals };
}
