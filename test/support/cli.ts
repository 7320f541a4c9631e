import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

// package.json's `bin`, what `npx keyfence` runs.
export const CLI = fileURLToPath(new URL('../../dist/keyfence.cjs', import.meta.url));
export const REPORT_SCHEMA = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as users do (vitest's globalSetup builds it), without colour. A JSON report
 * written to stdout is validated against schema/report.schema.json: a run whose report breaks the
 * public contract throws, so the test that made it fails whatever it was checking.
 */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input?: string): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    input,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', CI: '', ...env },
    timeout: 60000,
  });
  const cli = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  if (writesJsonReport(args) && (cli.code === 0 || cli.code === 1)) assertJsonReport(`keyfence ${args.join(' ')}`, cli);
  return cli;
}

/** Commands whose `--format json` prints another shape than the report (rule list, configuration). */
const OTHER_JSON = new Set(['rules', 'config', 'explain']);

/**
 * Whether `keyfence ARGS` writes the JSON report to stdout: `--format json` (`--format=json`,
 * `-f json`, `-fjson`; the last one given wins, as in the CLI), no `--output`, not `--help`, and a
 * command other than `rules`, `config`, `explain` and `report diff`. Options are read as the CLI reads them
 * (node's parseArgs).
 */
export function writesJsonReport(args: string[]): boolean {
  const [command, ...rest] = args;
  if (command === undefined || command.startsWith('-') || command === 'help' || command === 'version' || OTHER_JSON.has(command)) return false;
  if (rest.includes('--help') || rest.includes('-h')) return false;
  // `report diff` writes what changed between two reports, not a report.
  if (command === 'report' && rest[0] === 'diff') return false;
  const { values } = parseArgs({
    args: rest,
    options: { format: { type: 'string', short: 'f' }, output: { type: 'string', short: 'o' } },
    strict: false,
    allowPositionals: true,
  });
  return values.format === 'json' && values.output === undefined;
}

let validator: ValidateFunction | undefined;

/** schema/report.schema.json, compiled once per process (strict: a mistake in the schema throws). */
export function reportValidator(): ValidateFunction {
  if (!validator) {
    // A CommonJS package: `require` gives its plugin function on every loader.
    const addFormats = createRequire(import.meta.url)('ajv-formats') as typeof import('ajv-formats').default;
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA, 'utf8')) as object);
  }
  return validator;
}

/** ajv's errors, one line each: where, what, and the offending property or value. */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`).join('\n');
}

/** Throws, naming the command and ajv's errors, unless `result.stdout` is a valid JSON report. */
export function assertJsonReport(command: string, result: CliResult): void {
  let report: unknown;
  try {
    report = JSON.parse(result.stdout);
  } catch (error) {
    throw new Error(`${command} (exit ${result.code}): stdout is not a JSON report (${(error as Error).message}):\n${result.stdout.slice(0, 2000)}\n${result.stderr}`, { cause: error });
  }
  const validate = reportValidator();
  if (!validate(report)) {
    throw new Error(`${command} (exit ${result.code}): the JSON report does not match schema/report.schema.json:\n${describeSchemaErrors(validate.errors)}`);
  }
}
