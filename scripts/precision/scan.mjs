// Running the built keyfence CLI on the corpus, with its defaults, and reading its JSON report.

import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SetupError } from './errors.mjs';
import { firstErrorLine, run } from './exec.mjs';

/** Severities from lowest to highest, as docs/cli.md lists them. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
export const atOrAbove = (severity, failOn) => SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(failOn);

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return t;
}

/**
 * The CLI to run: a copy of dist/ (built first when missing, or with --build), because other work
 * may rebuild dist/ while the scan runs and a bundle half replaced would fail mid-scan. With
 * `other`, a build kept elsewhere (an older commit's, for a "before") is copied instead.
 */
export async function prepareCli(root, into, { other, build, log }) {
  const dist = other ?? join(root, 'dist');
  if (other) {
    if (!existsSync(join(dist, 'cli.js'))) throw new SetupError(`--dist ${other}: no cli.js there (give the dist/ folder of a keyfence build)`);
  } else {
    if (build || !existsSync(join(dist, 'cli.js'))) {
      log('building dist/ (npm run build) …');
      const { code, stderr } = await run('npm', ['run', 'build', '--silent'], { cwd: root });
      if (code !== 0) throw new SetupError(`npm run build failed: ${firstErrorLine(stderr)}`);
    }
    const built = statSync(join(dist, 'cli.js')).mtimeMs;
    if (Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'rules'))) > built)
      log('warning: src/ or rules/ changed after dist/ was built: measuring the old build (pass --build to rebuild)');
  }
  rmSync(into, { recursive: true, force: true });
  cpSync(dist, into, { recursive: true });
  return join(into, 'cli.js');
}

/**
 * A configuration file that holds nothing: the corpus is measured with keyfence's defaults, and an
 * explicit file keeps any keyfence.yml above or inside the corpus from being picked up instead.
 */
export function writeDefaultConfig(path) {
  writeFileSync(path, '# Empty on purpose: `npm run precision` measures keyfence with its defaults.\n');
  return path;
}

async function cli(cliPath, args, what) {
  const result = await run(process.execPath, [cliPath, ...args]);
  if (result.code !== 0 && result.code !== 1) throw new SetupError(`${what} failed (exit ${result.code}): ${firstErrorLine(result.stderr)}`);
  return result;
}

export async function keyfenceVersion(cliPath) {
  return (await cli(cliPath, ['--version'], 'keyfence --version')).stdout.trim();
}

/** The default --fail-on: whatever the effective configuration says (`keyfence config`), not a copy of it. */
export async function defaultFailOn(cliPath, configFile) {
  const { stdout } = await cli(cliPath, ['config', '--config', configFile, '--format', 'json'], 'keyfence config');
  const failOn = JSON.parse(stdout).settings?.failOn;
  if (!SEVERITIES.includes(failOn)) throw new SetupError(`keyfence config gave no failOn (got ${JSON.stringify(failOn)})`);
  return failOn;
}

/** `keyfence scan --no-git CORPUS --format json`: its report, read back from the file it wrote. */
export async function scanCorpus(cliPath, { corpus, configFile, reportFile, failOn }) {
  rmSync(reportFile, { force: true });
  const args = ['scan', '--no-git', corpus, '--format', 'json', '--output', reportFile, '--config', configFile, '--fail-on', failOn];
  await cli(cliPath, args, 'keyfence scan');
  try {
    return JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch (error) {
    throw new SetupError(`cannot read the scan report ${reportFile}: ${error.message}`);
  }
}
