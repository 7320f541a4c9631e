/**
 * Promise: scale with flat memory. A tree of 100,000 small files and a history of 50,000 commits
 * scan with a peak resident set under 250 MB: `KEYFENCE_SCALE=1 npx vitest run test/hardening/scale`
 * (minutes), or `node scripts/scale-check.mjs`, which prints the figures. Every run of the suite
 * checks a smaller tree and history against the same bound.
 *
 * Threads: a tree scan uses one worker thread per core (up to 8), and each worker holds its own
 * engine (about 30 MB). The always-on check runs at most 4, as a CI runner has; the full check runs
 * what the machine gives, as users get it.
 */
import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, shared with `node scripts/scale-check.mjs`.
import { LIMIT_MB, makeHistory, makeTree, measure } from '../../scripts/scale-check.mjs';
import { tempDir, type TempDir } from '../support/tempRepo.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  peakMb: number;
  seconds: number;
  method: string;
}

const dirs: TempDir[] = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

async function check(files: number, commits: number, env: NodeJS.ProcessEnv): Promise<void> {
  const root = tempDir('keyfence-scale-');
  dirs.push(root);
  const treeKeys: number = makeTree(`${root.path}/tree`, files);
  const historyKeys: number = await makeHistory(`${root.path}/history`, commits);
  const tree: Run = await measure(['scan', '--format', 'json'], `${root.path}/tree`, env);
  const history: Run = await measure(['history', '--format', 'json'], `${root.path}/history`, env);
  const threads = env.KEYFENCE_THREADS ?? `${Math.min(availableParallelism(), 8)} (default)`;
  console.log(
    `scale: ${files} files: ${tree.peakMb} MB in ${tree.seconds} s; ${commits} commits: ${history.peakMb} MB in ${history.seconds} s; threads ${threads}; ${tree.method}`,
  );
  for (const [run, planted, count] of [
    [tree, treeKeys, 'files'],
    [history, historyKeys, 'commits'],
  ] as const) {
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string }>; stats: { files: number; commits: number } };
    expect(report.findings.filter((f) => f.ruleId === 'stripe-live-secret-key')).toHaveLength(planted);
    expect(report.stats[count]).toBe(count === 'files' ? files : commits);
    expect(run.peakMb).toBeGreaterThan(0);
    expect(run.peakMb).toBeLessThan(LIMIT_MB);
  }
}

describe('memory stays under the bound', () => {
  it('for a tree of 5,000 files and a history of 3,000 commits', async () => {
    await check(5_000, 3_000, { KEYFENCE_THREADS: String(Math.min(availableParallelism(), 4)) });
  }, 120_000);

  it.skipIf(process.env.KEYFENCE_SCALE !== '1')('for a tree of 100,000 files and a history of 50,000 commits (KEYFENCE_SCALE=1)', async () => {
    await check(100_000, 50_000, {});
  }, 900_000);
});
