// Builds (or reuses) everything the scenarios run on, under .bench/: the generated tree and its 10%
// and 30% subsets (hard links into the full tree), the same trees as committed git repositories, the
// generated history, and the two repositories with a staged change for the pre-commit hook.
// The cache key is a hash of the generator sources plus the scale: edit a generator, get a new corpus.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePackages } from './corpus.mjs';
import { buildHistoryRepo, buildHookRepos } from './history.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Bump to force a new corpus without touching the generators. */
const GENERATOR_VERSION = 1;
const GENERATOR_FILES = ['prng.mjs', 'content.mjs', 'secrets.mjs', 'corpus.mjs', 'history.mjs', 'setup.mjs'];

const SCALES = {
  full: { packages: 100, commits: 6500, subsets: [10, 30, 100], minBytes: 150e6, minFiles: 40000 },
  quick: { packages: 10, commits: 1000, subsets: [10, 30, 100], minBytes: 0, minFiles: 0 },
};

const GIT_ENV = { GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };

function generatorHash(scaleName) {
  const h = createHash('sha256');
  h.update(`v${GENERATOR_VERSION}:${scaleName}:${JSON.stringify(SCALES[scaleName])}\n`);
  for (const f of GENERATOR_FILES) h.update(readFileSync(join(HERE, f)));
  return h.digest('hex').slice(0, 16);
}

function walk(dir, base = dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git') walk(p, base, out);
    } else if (e.isFile()) out.push(p.slice(base.length + 1));
  }
  return out;
}

function treeStats(dir) {
  let bytes = 0;
  const files = walk(dir);
  for (const f of files) bytes += readFileSync(join(dir, f)).length;
  return { files: files.length, bytes };
}

/** A subset tree: hard links to the first `count` packages of the full tree. */
function linkSubset(full, dest, packages) {
  mkdirSync(dest, { recursive: true });
  for (const pkg of packages) {
    mkdirSync(dirname(join(dest, pkg.dir)), { recursive: true });
    execFileSync('cp', ['-al', join(full, pkg.dir), join(dest, pkg.dir)]);
  }
}

function gitCommitAll(dir) {
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  git('init', '-q', '-b', 'main');
  // No background gc while the bench runs; the scans read the index and the work tree, not packs.
  git('config', 'gc.auto', '0');
  git('-c', 'core.looseCompression=1', 'add', '-A');
  git('commit', '-q', '-m', 'Generated corpus');
  const tracked = git('ls-files').toString().split('\n').filter(Boolean).length;
  return tracked;
}

/** The manifest keeps paths relative to the corpus folder; callers get absolute ones. */
function resolvePaths(dir, manifest, cached) {
  const m = structuredClone(manifest);
  for (const s of Object.values(m.subsets)) {
    s.tree = join(dir, s.tree);
    s.repo = join(dir, s.repo);
  }
  m.history.dir = join(dir, m.history.dir);
  for (const h of Object.values(m.hook)) h.dir = join(dir, h.dir);
  return { dir, ...m, cached };
}

/**
 * Returns the corpus description, building what is missing or stale. `log` receives progress lines.
 */
export async function ensureCorpus(benchDir, scaleName, log) {
  const scale = SCALES[scaleName];
  const version = generatorHash(scaleName);
  const dir = join(benchDir, `corpus-${scaleName}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    if (manifest.version === version) return resolvePaths(dir, manifest, true);
    log(`corpus generator changed (${manifest.version} -> ${version}): regenerating`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();

  log(`generating the ${scaleName} corpus (${scale.packages} packages) …`);
  const full = join(dir, 'tree-100');
  let lastPct = -1;
  const { packages, planted } = writePackages(full, scale.packages, (done, total) => {
    const pct = Math.floor((done / total) * 10) * 10;
    if (pct !== lastPct && process.stderr.isTTY) process.stderr.write(`\r  ${done}/${total} packages`);
    lastPct = pct;
  });
  if (process.stderr.isTTY) process.stderr.write('\n');

  const subsets = {};
  for (const pct of scale.subsets) {
    const count = Math.max(1, Math.round((scale.packages * pct) / 100));
    const chosen = packages.slice(0, count);
    const tree = join(dir, `tree-${pct}`);
    if (pct !== 100) linkSubset(full, tree, chosen);
    const stats = treeStats(tree);
    subsets[pct] = { pct, packages: count, tree: `tree-${pct}`, repo: `repo-${pct}`, ...stats, planted: planted.filter((p) => chosen.some((c) => p.file.startsWith(`${c.dir}/`))).length };
  }
  const fullStats = subsets[100];
  if (fullStats.bytes < scale.minBytes || fullStats.files < scale.minFiles)
    throw new Error(`generated corpus is too small: ${fullStats.files} files, ${fullStats.bytes} bytes (want ${scale.minFiles} files, ${scale.minBytes} bytes)`);

  for (const pct of scale.subsets) {
    log(`committing the ${pct}% tree to a git repository … (${Math.round((performance.now() - t0) / 1000)} s)`);
    const s = subsets[pct];
    linkSubset(full, join(dir, s.repo), packages.slice(0, s.packages));
    s.tracked = gitCommitAll(join(dir, s.repo));
    if (s.tracked !== s.files) throw new Error(`repo-${pct}: git tracks ${s.tracked} files, the tree has ${s.files}`);
  }

  log(`generating a history of ${scale.commits} commits with git fast-import … (${Math.round((performance.now() - t0) / 1000)} s)`);
  const historyDir = join(dir, 'history');
  const history = await buildHistoryRepo(historyDir, scale.commits);
  const patchBytes = Number(execFileSync('sh', ['-c', 'git log -p -U0 | wc -c'], { cwd: historyDir }).toString().trim());
  const halfCommits = Math.floor(history.commits / 2);
  const halfPatchBytes = Number(execFileSync('sh', ['-c', `git log -p -U0 --max-count=${halfCommits} | wc -c`], { cwd: historyDir }).toString().trim());

  log('preparing the staged changes for the pre-commit hook …');
  const hook = buildHookRepos(historyDir, { small: join(dir, 'hook-small'), large: join(dir, 'hook-large') });
  for (const h of Object.values(hook)) h.dir = h.dir.slice(dir.length + 1);

  const manifest = {
    version,
    scale: scaleName,
    generatedAt: new Date().toISOString(),
    generationSeconds: Math.round((performance.now() - t0) / 1000),
    packages,
    subsets,
    planted,
    history: { dir: 'history', commits: history.commits, merges: history.merges, files: history.files, patchBytes, halfCommits, halfPatchBytes, planted: history.planted },
    hook,
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  log(`corpus ready in ${manifest.generationSeconds} s`);
  return resolvePaths(dir, manifest, false);
}
