import { execFileSync } from 'node:child_process';
import { runCli, type CliResult } from '../support/cli.js';
import type { TempDir } from '../support/tempRepo.js';
import type { ScanStats } from '../../src/findings/finding.js';

/** Git settings of the machine running the tests must not leak into the repositories they make. */
export const ISOLATED_GIT_ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

export interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  environment: string;
  secret: string;
  commit?: string;
  author?: string;
  date?: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  stats: ScanStats;
  notes: string[];
}

/** Runs the built CLI in `cwd` with isolated git settings. */
export function keyfence(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  return runCli(args, cwd, { ...ISOLATED_GIT_ENV, ...env });
}

/** Runs a scanning command with --format json and parses the report (stdout must be JSON). */
export function keyfenceJson(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult & { report: JsonReport } {
  const result = keyfence(cwd, [...args, '--format', 'json'], env);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`not a JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { ...result, report };
}

/** git with the input on stdin, for `git apply --cached` and friends. */
export function gitWithInput(dir: TempDir, input: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir.path,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...ISOLATED_GIT_ENV, GIT_AUTHOR_NAME: 'Test Author', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_COMMITTER_NAME: 'Test Author', GIT_COMMITTER_EMAIL: 'author@example.com' },
  });
}

/** Commits everything staged, with a fixed author date so findings can be checked to the second. */
export function commit(dir: TempDir, message: string, date = '2026-01-02T03:04:05Z'): string {
  execFileSync('git', ['commit', '-q', '--no-verify', '--allow-empty', '-m', message], {
    cwd: dir.path,
    env: {
      ...process.env,
      ...ISOLATED_GIT_ENV,
      GIT_AUTHOR_NAME: 'Test Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Test Author',
      GIT_COMMITTER_EMAIL: 'author@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
  return dir.git('rev-parse', 'HEAD').trim();
}

/** A one-line error: `keyfence: …` and at most a hint line, never a stack trace. */
export function expectOneLineError(result: CliResult, pattern: RegExp): void {
  if (result.code !== 2) throw new Error(`expected exit 2, got ${result.code}:\n${result.stdout}\n${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  if (!pattern.test(lines[0] ?? '')) throw new Error(`first stderr line does not match ${pattern}:\n${result.stderr}`);
  if (!/^keyfence: /.test(lines[0]!) || lines.length > 2 || (lines[1] !== undefined && !/^ {2}hint: /.test(lines[1])) || /\n\s+at /.test(result.stderr))
    throw new Error(`not a one-line error:\n${result.stderr}`);
}
