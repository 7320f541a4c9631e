import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { OrgRepository } from '../../github/orgRepositories.js';
import { summaryLineOf } from '../../reporters/summary.js';
import { userCacheDir } from '../../userCache.js';
import { openAuditSources } from '../audit.js';
import { effectiveFailOn, exitCodeFor, type ScanOptions } from '../options.js';
import { openEngine } from '../openEngine.js';
import type { ReportTarget, RunIO } from '../report.js';
import { checkReportTargets } from '../reportTargets.js';
import { preparePlan, runPipeline } from '../run.js';
import { writeStreamedReports } from '../streamReports.js';
import { writeAtomic } from '../writeAtomic.js';
import { assembleReports, type RepositoryReport } from './assemble.js';
import { openForge, type Forge, type ForgeTarget } from './forge.js';
import { checkoutMirror, updateMirror, type CloneAccess } from './mirror.js';
import { OrgProgress } from './orgProgress.js';
import { RunState } from './runState.js';
import { selectRepositories, type RepositorySelection } from './selection.js';
import { planShards, type ShardId } from './shards.js';
import { now } from '../clock.js';

/**
 * What `keyfence audit --org` (or `--gitlab-group`) asks for, besides the scan options: `org` is
 * the GitHub organisation or the GitLab group, `baseUrl` GitHub's API root (src/github/client.ts
 * resolveApiUrl) or the GitLab instance (src/gitlab/client.ts resolveGitLabUrl).
 */
export interface OrgAuditRequest extends ForgeTarget {
  selection: RepositorySelection;
  shard?: ShardId | undefined;
  /** Repositories audited at once. */
  jobs: number;
  /** Longest a clone or fetch of one repository may take, in milliseconds. */
  timeoutMs: number;
  /** The run folder (state and per-repository reports); default under the user cache. */
  stateDir?: string | undefined;
  /** Also audit each repository's settings on its forge (`audit --github` / `--gitlab`), as notes when not readable. */
  settings: boolean;
}

/** The repositories of a request: listed, filtered, and this shard's share. */
export async function orgRepositories(
  request: Pick<OrgAuditRequest, keyof ForgeTarget | 'selection' | 'shard'>,
  warn: (m: string) => void,
  forge?: Forge,
): Promise<OrgRepository[]> {
  const listed = await (forge ?? (await openForge(request, warn))).list(request.selection);
  const selected = selectRepositories(listed, request.selection);
  if (!request.shard) return selected;
  const share = new Set(planShards(selected, request.shard.count)[request.shard.index - 1]!.repositories.map((r) => r.fullName));
  return selected.filter((r) => share.has(r.fullName));
}

/**
 * The organisation door: every selected repository mirrored into the user cache (fetched, not
 * cloned again, on later runs), checked out, and audited by the one pipeline exactly as `keyfence
 * audit` audits a repository; each one's report goes to its own file as soon as it is done, so
 * memory does not grow with the organisation, and a rerun after an interruption skips what is
 * finished. A repository that cannot be cloned or read is a note, and the run goes on. The report
 * is assembled from the files at the end.
 */
export async function runOrgAudit(request: OrgAuditRequest, options: ScanOptions, io: RunIO): Promise<number> {
  const started = io.started ?? now();
  const targets: ReportTarget[] = [{ format: options.format, output: options.output }, ...(options.reports ?? [])];
  const config = options.config === undefined ? undefined : resolve(io.cwd, options.config);
  // The organisation's own keyfence.yml (where the command runs) judges --fail-on and describes rules.
  const engine = await preparePlan({ engine: openEngine(io.cwd, config), sources: [] });
  checkReportTargets(targets, io);
  const failOn = effectiveFailOn(options.failOn, engine.engine.config);
  const warn = (m: string) => io.stderr.write(`keyfence: ${m}\n`);
  const forge = await openForge(request, warn);
  const repos = await orgRepositories(request, warn, forge);

  const place = new URL(request.baseUrl).host.replace(/[^A-Za-z0-9.-]/g, '_');
  const orgCache = join(userCacheDir(io.env), 'org', place, request.org.replace(/[^A-Za-z0-9._-]/g, '_'));
  const shardName = request.shard ? `shard-${request.shard.index}-of-${request.shard.count}` : 'all';
  const state = await RunState.open(request.stateDir ? resolve(io.cwd, request.stateDir) : join(orgCache, 'runs', shardName), {
    org: request.org,
    baseUrl: request.baseUrl,
    selection: request.selection,
    shard: request.shard,
    settings: request.settings,
    scan: { ...options, format: undefined, output: undefined, reports: undefined, config },
  });
  const access: CloneAccess = { ...forge.access, timeoutMs: request.timeoutMs };
  const todo = repos.filter((r) => !state.finished.has(r.fullName));
  const progress = OrgProgress.on(io.stderr, repos.length, repos.length - todo.length);
  const failures: string[] = [];

  await eachAtMost(todo, request.jobs, async (repo) => {
    let part: RepositoryReport;
    try {
      part = await auditRepository(repo, join(orgCache, 'mirrors', `${repo.name}.git`), access, request.settings ? forge : undefined, options, { ...io, started: now() }, config);
    } catch (error) {
      const note = `${repo.fullName}: not audited: ${(error as Error).message.split('\n')[0]}`;
      failures.push(note);
      progress?.clear();
      warn(note);
      return;
    }
    const file = state.reportFile(repo.fullName);
    await writeAtomic(join(state.folder, file), JSON.stringify(part));
    await state.markFinished(repo.fullName, file);
    progress?.repositoryDone(part.report.stats.commits);
  });
  progress?.clear();

  const files = repos.flatMap((r) => {
    const file = state.finished.get(r.fullName);
    return file ? [file] : [];
  });
  const resumed = repos.length - todo.length;
  const notes = [
    `${repos.length} repositor${repos.length === 1 ? 'y' : 'ies'} of ${request.org}${request.shard ? ` in shard ${request.shard.index}/${request.shard.count}` : ''}: ${files.length} audited${resumed ? ` (${resumed} by an earlier, interrupted run)` : ''}, ${failures.length} not`,
    ...failures.sort(),
  ];
  // The findings stay in the per-repository files: each format reads them from there as it writes.
  const { report, tally, rules } = await assembleReports(state.folder, files, notes, Math.round(now() - started));
  await writeStreamedReports(report, tally, targets, { engine: engine.engine, rules, io, failOn, linkTo: forge.linker(io.env) ?? null });
  if (options.output !== undefined) io.stderr.write(`keyfence: ${summaryLineOf(tally.bySeverity, report.head)}; report written to ${options.output}\n`);
  if (options.reports?.length) io.stderr.write(`keyfence: ${options.reports.map((r) => `${r.format} report written to ${r.output}`).join(', ')}\n`);
  // Only a complete run forgets its state: one whose report could not be written can be resumed.
  await state.remove();
  // The tally holds a finding of each severity found: what --fail-on judges.
  return exitCodeFor({ findings: tally.kinds }, failOn, false, options.exitCode);
}

/** One repository through the one pipeline: mirror, check out, audit, and its findings labelled with it. */
async function auditRepository(
  repo: OrgRepository,
  mirror: string,
  access: CloneAccess,
  /** The forge whose settings of the repository are audited too (`--settings`). */
  settingsOf: Forge | undefined,
  options: ScanOptions,
  io: RunIO,
  config: string | undefined,
): Promise<RepositoryReport> {
  await updateMirror(repo.cloneUrl, mirror, access);
  const scratch = await mkdtemp(join(tmpdir(), 'keyfence-org-'));
  try {
    // A GitLab project's name is its path below the group (`backend/api`): the work tree is named by its last part.
    const work = join(scratch, repo.name.split('/').at(-1)!);
    await checkoutMirror(mirror, work, access.timeoutMs);
    const { sources, workers, root } = await openAuditSources([work], work);
    const notes: string[] = [];
    const engine = openEngine(root, config);
    const extra = settingsOf?.settings(repo, root, (m) => notes.push(m), async () => (await engine).config);
    const plan = await preparePlan({ engine, sources, workers, extra });
    const { finished, rules } = await runPipeline(plan, options, io);
    const report = finished.report;
    report.findings = report.findings.map((f) => ({ ...f, repository: repo.fullName }));
    report.notes.push(...notes, ...(finished.warnings ?? []).map((w) => `warning: ${w}`));
    // The secret inventory of `--settings` stays: the organisation's report names each row's repository.
    return { repository: repo.fullName, report, rules };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Runs `task` over `items`, at most `limit` at a time, in order of start. */
async function eachAtMost<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
