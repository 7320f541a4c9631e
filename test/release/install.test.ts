import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '../support/customRules.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

/**
 * `npm i -D keyfence` as a user runs it: the package packed, installed from the tarball into an
 * empty project (offline: its one dependency comes from the npm cache that installing this
 * repository filled), then run with `npx keyfence`. What it installs must stay small.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const MAX_INSTALLED_BYTES = 15 * 1024 * 1024;
const ENTRIES = ['keyfence.cjs', 'cli.js', 'hook.js', 'scan.js', 'worker.js'];

/** Bytes of every file under `dir` (what `du` counts as apparent size), links not followed. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(path);
    else total += lstatSync(path).size;
  }
  return total;
}

/**
 * The bundle files the entry points load, following `./name.js` references: dist/ of a shared work
 * tree also holds chunks of earlier builds, which the package of a fresh clone would not.
 */
function bundleClosure(dist: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...ENTRIES];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) if (existsSync(join(dist, m[1]!))) queue.push(m[1]!);
  }
  return seen;
}

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_loglevel: 'error' },
    timeout: 240_000,
  });

describe('the package as installed by a user', () => {
  let stage: TempDir;
  let project: TempDir;
  let installed: { code: number; how: string; stderr: string };

  beforeAll(() => {
    // What `npm pack` ships, with only this build's bundle files.
    const listed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
    const closure = bundleClosure(join(root, 'dist'));
    stage = tempDir('keyfence-pack-');
    for (const { path } of listed[0]!.files) {
      if (/^dist\/[^/]+\.js$/.test(path) && !closure.has(path.slice('dist/'.length))) continue;
      mkdirSync(join(stage.path, path, '..'), { recursive: true });
      cpSync(join(root, path), join(stage.path, path));
    }
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json'], { cwd: stage.path, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const tarball = join(stage.path, (JSON.parse(packed) as Array<{ filename: string }>)[0]!.filename);

    project = tempDir('keyfence-user-');
    writeFileSync(join(project.path, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    // Offline where the cache has what it needs; else the cache first, the registry for the rest.
    let r = npm(['install', '--save-dev', '--offline', tarball], project.path);
    let how = 'offline';
    if (r.status !== 0) {
      r = npm(['install', '--save-dev', '--prefer-offline', tarball], project.path);
      how = 'prefer-offline';
    }
    installed = { code: r.status ?? -1, how, stderr: r.stderr };
  }, 300_000);

  afterAll(() => {
    stage?.remove();
    project?.remove();
  });

  it('installs from the tarball without running a build (no prepare for installers)', () => {
    expect(installed.code, `${installed.how}: ${installed.stderr}`).toBe(0);
    const manifest = JSON.parse(readFileSync(join(project.path, 'node_modules/keyfence/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['micromatch']);
    expect(existsSync(join(project.path, 'node_modules/keyfence/scripts'))).toBe(false);
  });

  it(`takes at most ${MAX_INSTALLED_BYTES / 1024 / 1024} MB of node_modules`, () => {
    const bytes = treeBytes(join(project.path, 'node_modules'));
    expect(bytes, `${(bytes / 1024 / 1024).toFixed(1)} MB installed`).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
    // None of what the bundle holds is installed again beside it.
    for (const bundled of ['recheck', 'recheck-jar', '@octokit', 'yaml', 'simple-git', '@actions']) expect(existsSync(join(project.path, 'node_modules', bundled)), bundled).toBe(false);
  });

  describe('npx keyfence', () => {
    let repo: TempDir;
    beforeAll(() => {
      repo = tempRepo();
    });
    afterAll(() => repo?.remove());
    const keyfence = (args: string[]) =>
      spawnSync('npx', ['--no-install', 'keyfence', ...args], {
        cwd: project.path,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', KEYFENCE_CACHE_DIR: join(repo.path, '.cache'), CI: '', GITHUB_ACTIONS: '' },
        timeout: 120_000,
      });

    it('scans a repository and reports a custom rule, its regex proven safe by the bundled checker', () => {
      repo.write('keyfence.yml', `rules:
  - id: kf-test-token
    description: keyfence test token
    category: live-key
    severity: high
    keywords: [kft_]
    regex: '\\b(kft_[a-f0-9]{32})\\b'
`);
      const token = testToken();
      repo.write('config/app.env', `TOKEN=${token}\n`);
      const r = keyfence(['scan', repo.path, '--format', 'json']);
      expect(r.status, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; secret: string }> };
      expect(report.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['kf-test-token', 'config/app.env', 1]]);
      expect(r.stdout).not.toContain(token);
      expect(JSON.parse(readFileSync(join(repo.path, '.cache', 'regex-safety.json'), 'utf8'))).not.toEqual({});
    }, 120_000);

    it('refuses a custom rule whose regex backtracks catastrophically, naming file:line:col', () => {
      repo.write('keyfence.yml', `rules:
  - id: kf-slow
    description: slow
    category: live-key
    severity: high
    keywords: [aaa]
    regex: '(a+)+b'
`);
      const r = keyfence(['scan', repo.path]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('keyfence.yml:7:12: rule kf-slow: `regex` can backtrack catastrophically (exponential time');
    }, 120_000);
  });
});
