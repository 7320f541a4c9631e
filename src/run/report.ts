import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Engine } from '../engine/engine.js';
import { UserError } from '../errors.js';
import type { FailOn } from '../findings/failOn.js';
import type { Finding } from '../findings/finding.js';
import { loadReporter, reporterEntry, type Format, type RenderContext, type RuleInfo } from '../reporters/reporter.js';
import { describeRules } from '../reporters/ruleInfo.js';
import type { FinishedRun } from './finish.js';
import { githubLinker, type Linker } from './reportLinks.js';
import type { Producer } from './writeAtomic.js';

/** Where a door's output goes: its working directory, environment and standard streams. */
export interface RunIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** When the door took the request (src/run/clock.ts), so durationMs covers its set-up too. */
  started?: number;
}

/** One report of a run: a format, and a file to write it to (undefined: standard output). */
export interface ReportTarget {
  format: Format;
  /** As the user wrote it; resolved against the working directory. */
  output?: string | undefined;
  /** The option that asked for it (`--output`, `--report`), for messages; default `--output`. */
  option?: string | undefined;
}

/**
 * An --output that cannot be written is a usage error before the scan, not after it: a folder, or
 * a file in a folder this process may not write to. (A folder that does not exist yet is made.)
 */
export function checkReportTarget(target: ReportTarget, io: Pick<RunIO, 'cwd'>): void {
  if (target.output === undefined) return;
  const path = resolve(io.cwd, target.output);
  if (statOf(path)?.isDirectory()) throw outputError(target, 'it is a directory');
  let folder = dirname(path);
  let stat;
  while (!(stat = statOf(folder))) folder = dirname(folder);
  // The nearest thing that exists on the way is a file: no folder can be made there.
  if (!stat.isDirectory()) throw outputError(target, `${folder} is not a directory`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw outputError(target, (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? `${folder} is not a directory` : `${folder} is not writable`);
  }
}

/** A path's stat, or undefined when nothing is there (also when a file stands where a folder on the way should be). */
function statOf(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * What rendering needs besides the run: the engine and the other checks (for rule descriptions),
 * the environment (for links).
 */
export interface RenderSetting {
  engine: Engine;
  /** Descriptions of checks beside the engine's rules. */
  rules?: RuleInfo[] | undefined;
  io: RunIO;
  /** The run's --fail-on, for the formats that say which findings did not block. */
  failOn?: FailOn | undefined;
  /**
   * Where file links go when the run knows better than the CI environment (an organisation's run
   * links to the forge its repositories come from); null: nowhere. Absent: from the environment.
   */
  linkTo?: Linker | null | undefined;
}

/** The report in one format. Rule descriptions are worked out only for the formats that show them. */
export async function renderReport(run: FinishedRun, target: ReportTarget, setting: RenderSetting): Promise<string> {
  return (await loadReporter(target.format))(run.report, await renderContext(target, setting, run.kept));
}

/** What a reporter of `target` knows besides the report; `kept` are the findings rules are described for. */
export async function renderContext(target: ReportTarget, setting: RenderSetting, kept: readonly Finding[]): Promise<RenderContext> {
  const { io } = setting;
  const entry = reporterEntry(target.format);
  const rules = entry.describesRules ? await describeRules(setting.engine, kept, setting.rules) : [];
  const color = entry.colour && target.output === undefined && wantsColour(io.env, io.stdout.isTTY === true);
  const linkTo = setting.linkTo === undefined ? githubLinker(io.env) : (setting.linkTo ?? undefined);
  const { failOn } = setting;
  return { color, rules, ...(linkTo ? { linkTo } : {}), ...(failOn ? { failOn } : {}) };
}

/**
 * Colours on a terminal, as the conventions CI systems and users set ask: FORCE_COLOR (other than
 * `0` or `false`) paints even into a pipe or CI log, FORCE_COLOR=0 never paints, and NO_COLOR (any
 * value but empty, no-color.org) turns colours off.
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** Renders the report for each target and writes it: to a file atomically, or to standard output. */
export async function writeReports(run: FinishedRun, targets: ReportTarget[], setting: RenderSetting): Promise<void> {
  for (const target of targets) await writeTarget(target, setting.io, await renderReport(run, target, setting));
}

/** One report to its file (atomically) or to standard output: as a whole, or in pieces as a Producer writes them. */
export async function writeTarget(target: ReportTarget, io: RunIO, content: string | Producer): Promise<void> {
  if (target.output === undefined) {
    if (typeof content === 'string') io.stdout.write(content);
    else await content((chunk) => new Promise<void>((done, failed) => io.stdout.write(chunk, (error) => (error ? failed(error) : done()))));
    return;
  }
  const { writeAtomic } = await import('./writeAtomic.js');
  try {
    await writeAtomic(resolve(io.cwd, target.output), content);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (typeof e.code !== 'string') throw error;
    throw outputError(target, e.code === 'EISDIR' ? 'it is a directory' : `${e.code}${e.syscall ? ` on ${e.syscall}` : ''}`);
  }
}

function outputError(target: ReportTarget, why: string): UserError {
  return new UserError(`cannot write the report to ${target.output}: ${why}`, `give ${target.option ?? '--output'} a file path in a folder you can write to`);
}
