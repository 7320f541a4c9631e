import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Finding } from '../../findings/finding.js';
import type { OrgRepository } from '../../github/orgRepositories.js';
import { summaryLine } from '../../reporters/summary.js';
import { userCacheDir } from '../../userCache.js';
import { githubSettings, openAuditSources } from '../audit.js';
import { effectiveFailOn, exitCodeFor, type ScanOptions } from '../options.js';
import { openEngine } from '../openEngine.js';
import { writeReports, type ReportTarget, type RunIO } from '../report.js';
import { checkReportTargets } from '../reportTargets.js';
import { preparePlan, runPipeline } from '../run.js';
import { writeAtomic } from '../writeAtomic.js';
import { assembleReports, type RepositoryReport } from './assemble.js';
import { checkoutMirror, tokenHosts, updateMirror, type CloneAccess } from './mirror.js';
import { OrgProgress } from './orgProgress.js';
import { RunState } from './runState.js';
import { selectRepositories, type RepositorySelection } from './selection.js';
import { planShards, type ShardId } from './shards.js';

/** What `keyfence audit --org` asks for, besides the scan options. */
export interface OrgAuditRequest {
  org: string;
  /** The GitHub API root (src/github/client.ts resolveApiUrl). */
  baseUrl: string;
  token: string;
  selection: RepositorySelection;
  shard?: ShardId | undefined;
  /** Repositories audited at once. */
  jobs: number;
  /** Longest a clone or fetch of one repository may take, in milliseconds. */
  timeoutMs: number;
  /** The run folder (state and per-repository reports); default under the user cache. */
  stateDir?: string | undefined;
  /** Also audit each repository's settings on GitHub (`audit --github`), as notes when not readable. */
  settings: boolean;
}

/** The repositories of a request: listed, filtered, and this shard's share. */
export async function orgRepositories(request: Pick<OrgAuditRequest, 'org' | 'baseUrl' | 'token' | 'selection' | 'shard'>, warn: (m: string) => void): Promise<OrgRepository[]> {
  const { createGitHubClient } = await import('../../github/client.js');
  const { listOrgRepositories } = await import('../../github/orgRepositories.js');
  const octokit = createGitHubClient({ token: request.token, baseUrl: request.baseUrl, warn });
  const selected = selectRepositories(await listOrgRepositories(octokit, request.org), request.selection);
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
  const started = io.started ?? performance.now();
  const targets: ReportTarget[] = [{ format: options.format, output: options.output }, ...(options.reports ?? [])];
  const config = options.config === undefined ? undefined : resolve(io.cwd, options.config);
  // The organisation's own keyfence.yml (where the command runs) judges --fail-on and describes rules.
  const engine = await preparePlan({ engine: openEngine(io.cwd, config), sources: [] });
  checkReportTargets(targets, io);
  const failOn = effectiveFailOn(options.failOn, engine.engine.config);
  const warn = (m: string) => io.stderr.write(`keyfence: ${m}\n`);
  const repos = await orgRepositories(request, warn);

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
  const access: CloneAccess = { token: request.token, hosts: tokenHosts(request.baseUrl), timeoutMs: request.timeoutMs };
  const todo = repos.filter((r) => !state.finished.has(r.fullName));
  const progress = OrgProgress.on(io.stderr, repos.length, repos.length - todo.length);
  const failures: string[] = [];

  await eachAtMost(todo, request.jobs, async (repo) => {
    let part: RepositoryReport;
    try {
      part = await auditRepository(repo, join(orgCache, 'mirrors', `${repo.name}.git`), access, request, options, { ...io, started: performance.now() }, config);
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
  const { report, rules } = await assembleReports(state.folder, files, notes, Math.round(performance.now() - started));
  // Rule descriptions come from the findings' ids and categories: nothing else of them is needed.
  const kept: Finding[] = report.findings.map(({ commit: _commit, ...f }) => ({ ...f, secret: '' }));
  await writeReports({ report, kept }, targets, { engine: engine.engine, rules, io, failOn });
  if (options.output !== undefined) io.stderr.write(`keyfence: ${summaryLine(report)}; report written to ${options.output}\n`);
  if (options.reports?.length) io.stderr.write(`keyfence: ${options.reports.map((r) => `${r.format} report written to ${r.output}`).join(', ')}\n`);
  // Only a complete run forgets its state: one whose report could not be written can be resumed.
  await state.remove();
  return exitCodeFor(report, failOn, false, options.exitCode);
}

/** One repository through the one pipeline: mirror, check out, audit, and its findings labelled with it. */
async function auditRepository(
  repo: OrgRepository,
  mirror: string,
  access: CloneAccess,
  request: OrgAuditRequest,
  options: ScanOptions,
  io: RunIO,
  config: string | undefined,
): Promise<RepositoryReport> {
  await updateMirror(repo.cloneUrl, mirror, access);
  const scratch = await mkdtemp(join(tmpdir(), 'keyfence-org-'));
  try {
    const work = join(scratch, repo.name);
    await checkoutMirror(mirror, work, access.timeoutMs);
    const { sources, workers, root } = await openAuditSources([work], work);
    const notes: string[] = [];
    const engine = openEngine(root, config);
    const [owner, name] = repo.fullName.split('/') as [string, string];
    const target = { owner, repo: name, token: request.token, baseUrl: request.baseUrl, optional: true };
    const extra = request.settings ? githubSettings(target, root, (m) => notes.push(m), async () => (await engine).config) : undefined;
    const plan = await preparePlan({ engine, sources, workers, extra });
    const { finished, rules } = await runPipeline(plan, options, io);
    const report = finished.report;
    report.findings = report.findings.map((f) => ({ ...f, repository: repo.fullName }));
    report.notes.push(...notes, ...(finished.warnings ?? []).map((w) => `warning: ${w}`));
    // The secret inventory of `--settings` belongs to one repository's report; the organisation's has none.
    delete report.secretInventory;
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
