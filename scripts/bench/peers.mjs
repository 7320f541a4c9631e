// The tools a user would pick instead of keyfence, found or installed here, or skipped with a reason.
// A missing peer never fails the bench.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString().trim();

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

/** secretlint and its recommended preset, from this package's devDependencies. */
export function findSecretlint(projectRoot) {
  const require = createRequire(join(projectRoot, 'package.json'));
  try {
    const pkgPath = require.resolve('secretlint/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    const presetPkg = require.resolve('@secretlint/secretlint-rule-preset-recommend/package.json');
    const preset = JSON.parse(readFileSync(presetPkg, 'utf8'));
    const bin = join(pkgPath, '..', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.secretlint);
    return { ok: true, bin, version: pkg.version, presetVersion: preset.version };
  } catch (error) {
    return { ok: false, reason: `secretlint or @secretlint/secretlint-rule-preset-recommend is not installed (run npm install): ${String(error.message).split('\n')[0]}` };
  }
}

/** Writes the secretlint configuration the bench uses: the recommended preset, nothing else. */
export function writeSecretlintConfig(path) {
  writeFileSync(path, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2) + '\n');
}

/**
 * A tool from a Debian package: found on PATH, or installed with apt-get when we run as root with
 * apt-get available; otherwise `reason` says why it is missing.
 */
function debianTool(pkg, binary, log) {
  let bin = which(binary);
  if (!bin) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!root) return { ok: false, reason: `${binary} is not installed and the bench is not running as root (install the Debian package ${pkg})` };
    if (!which('apt-get')) return { ok: false, reason: `${binary} is not installed and apt-get is not available` };
    log(`installing ${pkg} with apt-get …`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const attempt = () => run('apt-get', ['install', '-y', '-q', pkg], { env, timeout: 300_000 });
    try {
      attempt();
    } catch {
      try {
        run('apt-get', ['update', '-q'], { env, timeout: 300_000 });
        attempt();
      } catch (error) {
        return { ok: false, reason: `${binary} is not installed and apt-get install -y ${pkg} failed: ${String(error.stderr ?? error.message).trim().split('\n').pop()}` };
      }
    }
    bin = which(binary);
    if (!bin) return { ok: false, reason: `apt-get installed ${pkg} but ${binary} is not on PATH` };
  }
  let version = 'unknown';
  try {
    version = run('dpkg-query', ['-W', '-f', '${Version}', pkg]);
  } catch {
    // not a Debian install
  }
  return { ok: true, bin, version };
}

/** git-secrets (Debian package `git-secrets`). */
export function findGitSecrets({ log = () => {} } = {}) {
  return debianTool('git-secrets', 'git-secrets', log);
}

/**
 * ripgrep (Debian package `ripgrep`): one pass over a tree for every keyword of every rule, on every
 * core, is the floor the tree scan is compared with (the prefilter's work and nothing else).
 */
export function findRipgrep({ log = () => {} } = {}) {
  return debianTool('ripgrep', 'rg', log);
}

/**
 * A private git config holding git-secrets' AWS patterns (`git secrets --register-aws`), used through
 * GIT_CONFIG_GLOBAL so the user's own ~/.gitconfig is never touched.
 */
export function writeGitSecretsConfig(path) {
  writeFileSync(path, '');
  run('git', ['secrets', '--register-aws', '--global'], { env: { ...process.env, GIT_CONFIG_GLOBAL: path } });
  return { GIT_CONFIG_GLOBAL: path };
}
