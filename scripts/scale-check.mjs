#!/usr/bin/env node
// Scale with flat memory (README, "Security model"): keyfence scans a generated tree of 100,000
// small files and a generated history of 50,000 commits with a peak resident set under 250 MB.
//
//   node scripts/scale-check.mjs [--files N] [--commits N] [--limit-mb N] [--keep]
//
// Builds both repositories in a temporary folder (the history in one `git fast-import` stream, in
// seconds), runs the built CLI (dist/cli.js: `npm run build` first) on each, measures the peak
// resident set of the keyfence process, prints the figures and exits 1 when one is over the
// limit. test/hardening/scale.test.ts runs a smaller variant in every test run, and this one
// when KEYFENCE_SCALE=1. Token-shaped values are assembled at run time: nothing here is one.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const LIMIT_MB = 250;

const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Scale Check',
  GIT_AUTHOR_EMAIL: 'scale@example.com',
  GIT_COMMITTER_NAME: 'Scale Check',
  GIT_COMMITTER_EMAIL: 'scale@example.com',
  // No `git gc --auto` in the background after the big commit, still writing in .git while the
  // temporary folder is removed.
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'gc.auto',
  GIT_CONFIG_VALUE_0: '0',
};

/** A small deterministic generator (mulberry32): the same repositories on every run. */
function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const pickString = (r, n) => Array.from({ length: n }, () => ALNUM[Math.floor(r() * ALNUM.length)]).join('');
/** A live-looking Stripe key, assembled here so that no token-shaped string is committed. */
const stripeKey = (r) => ['sk', 'live', pickString(r, 24)].join('_');

function git(cwd, args, input) {
  const result = spawnSync('git', args, { cwd, input, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A few lines of code-like text for file or commit number `n`. */
function codeLines(r, n) {
  const name = `handler${n}`;
  return [
    `// generated module ${n}`,
    `export function ${name}(input) {`,
    `  const value = input.items.filter((item) => item.id !== ${Math.floor(r() * 100000)});`,
    `  return { count: value.length, label: '${pickString(r, 12)}' };`,
    '}',
  ];
}

/**
 * A git work tree of `files` small files, 500 per folder, committed; every 1,000th file holds a
 * live-looking key. Returns the number of planted keys.
 */
export function makeTree(dir, files) {
  const r = random(files);
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  let planted = 0;
  for (let i = 0; i < files; i++) {
    const folder = join(dir, 'src', `part${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(folder, { recursive: true });
    const lines = codeLines(r, i);
    if (i % 1000 === 999) {
      lines.push(`export const key = '${stripeKey(r)}';`);
      planted++;
    }
    writeFileSync(join(folder, `module${i}.js`), `${lines.join('\n')}\n`);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', 'tree']);
  return planted;
}

/**
 * A history of `commits` commits written with one `git fast-import` stream: each commit rewrites
 * one of 2,000 small files; every 1,000th adds a live-looking key. Returns the number of planted keys.
 */
export async function makeHistory(dir, commits) {
  const r = random(commits + 7);
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise((resolve) => child.on('close', resolve));
  // A failing fast-import closes its input: its exit code and stderr say why, not EPIPE.
  child.stdin.on('error', () => {});
  const parts = [];
  let size = 0;
  const flush = async () => {
    if (!child.stdin.write(parts.join(''))) await new Promise((resolve) => child.stdin.once('drain', resolve));
    parts.length = 0;
    size = 0;
  };
  let planted = 0;
  let time = 1_700_000_000;
  for (let i = 0; i < commits; i++) {
    const lines = codeLines(r, i);
    if (i % 1000 === 999) {
      lines.push(`export const key = '${stripeKey(r)}';`);
      planted++;
    }
    const content = `${lines.join('\n')}\n`;
    const message = `change ${i}\n`;
    time += 60;
    parts.push(
      `commit refs/heads/main\ncommitter Scale Check <scale@example.com> ${time} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}`,
      `M 100644 inline src/d${i % 50}/file${Math.floor(i / 50) % 40}.js\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
    size += content.length + 200;
    if (size > 1 << 20) await flush();
  }
  parts.push('done\n');
  await flush();
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed (${code}): ${stderr}`);
  // HEAD is refs/heads/main: `keyfence history` needs no checkout.
  return planted;
}

/** Peak resident set of the process `pid` so far, in kB, from /proc (Linux), or undefined. */
function vmHwm(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI with `args` in `cwd` and measures its peak resident set: GNU time's maximum
 * resident set size when /usr/bin/time is there (exact, for the keyfence process, whose git
 * children are measured separately by the kernel), else VmHWM polled from /proc every 20 ms.
 */
export function measure(args, cwd, env = {}) {
  const useTime = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  const command = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-f', 'keyfence-peak-rss-kb=%M', process.execPath, CLI, ...args] : [CLI, ...args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, ...GIT_ENV, NO_COLOR: '1', GITHUB_ACTIONS: '', CI: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
    let polled = 0;
    const timer = useTime ? undefined : setInterval(() => (polled = Math.max(polled, vmHwm(child.pid) ?? 0)), 20);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      const m = /keyfence-peak-rss-kb=(\d+)/.exec(stderr);
      const peakKb = useTime ? Number(m?.[1] ?? NaN) : polled;
      resolve({
        code,
        stdout,
        stderr: stderr.replace(/keyfence-peak-rss-kb=\d+\n?/, ''),
        peakMb: Math.round((peakKb / 1024) * 10) / 10,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        method: useTime ? '/usr/bin/time' : '/proc VmHWM',
      });
    });
  });
}

/** Builds both repositories under `root` and scans them; returns the figures. */
export async function scaleCheck({ files, commits, root }) {
  const treeDir = join(root, 'tree');
  const historyDir = join(root, 'history');
  let t = performance.now();
  const treeKeys = makeTree(treeDir, files);
  const treeBuild = (performance.now() - t) / 1000;
  t = performance.now();
  const historyKeys = await makeHistory(historyDir, commits);
  const historyBuild = (performance.now() - t) / 1000;
  const tree = await measure(['scan', '--format', 'json'], treeDir);
  const history = await measure(['history', '--format', 'json'], historyDir);
  const summarise = (run, planted) => {
    let report;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      report = undefined;
    }
    return {
      code: run.code,
      peakMb: run.peakMb,
      seconds: run.seconds,
      method: run.method,
      planted,
      found: report ? report.findings.filter((f) => f.ruleId === 'stripe-live-secret-key').length : undefined,
      files: report?.stats.files,
      commits: report?.stats.commits,
      stderr: run.stderr.trim().split('\n').slice(0, 3).join('\n'),
    };
  };
  return {
    tree: { ...summarise(tree, treeKeys), build: Math.round(treeBuild * 10) / 10 },
    history: { ...summarise(history, historyKeys), build: Math.round(historyBuild * 10) / 10 },
  };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i === -1 ? fallback : Number(args[i + 1]);
  };
  const files = option('--files', 100_000);
  const commits = option('--commits', 50_000);
  const limit = option('--limit-mb', LIMIT_MB);
  if (!existsSync(CLI)) {
    console.error('scale-check: dist/cli.js is missing: run `npm run build` first');
    process.exit(2);
  }
  const root = mkdtempSync(join(tmpdir(), 'keyfence-scale-'));
  try {
    console.log(`scale-check: ${files.toLocaleString('en-US')} files, ${commits.toLocaleString('en-US')} commits, limit ${limit} MB (in ${root})`);
    const { tree, history } = await scaleCheck({ files, commits, root });
    const row = (what, r) =>
      `  ${what.padEnd(8)} peak RSS ${String(r.peakMb).padStart(6)} MB  ${String(r.seconds).padStart(6)} s  exit ${r.code}  keys ${r.found}/${r.planted}  (built in ${r.build} s; ${r.method})`;
    console.log(row('scan', tree));
    console.log(`           ${tree.files} files scanned`);
    console.log(row('history', history));
    console.log(`           ${history.commits} commits scanned`);
    const failures = [];
    for (const [what, r] of [
      ['scan', tree],
      ['history', history],
    ]) {
      if (r.code !== 1) failures.push(`${what} exited ${r.code} (expected 1: planted keys): ${r.stderr}`);
      if (!(r.peakMb < limit)) failures.push(`${what} peaked at ${r.peakMb} MB, over ${limit} MB`);
      if (r.found !== r.planted) failures.push(`${what} found ${r.found} of ${r.planted} planted keys`);
    }
    for (const f of failures) console.error(`scale-check: ${f}`);
    process.exitCode = failures.length ? 1 : 0;
  } finally {
    if (!args.includes('--keep')) rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
