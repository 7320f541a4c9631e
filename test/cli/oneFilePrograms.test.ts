import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { commit, keyfence } from '../git/gitHelpers.js';
import { CLI } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

/**
 * `keyfence staged` and `keyfence scan` run from programs built as one file each (dist/hook.js,
 * dist/scan.js), and so do scan workers (dist/worker.js); what they load on demand comes from the
 * split bundle (scripts/build.mjs), so this checks the seams between the two.
 */
const DIST = dirname(CLI);

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

it.each(['hook.js', 'scan.js', 'worker.js'])('%s loads no module of its own at start-up, and every module it loads later is in dist/', (program) => {
  const code = readFileSync(join(DIST, program), 'utf8');
  const staticImports = [...code.matchAll(/^import\s[^;]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]);
  expect(staticImports.length).toBeGreaterThan(0);
  expect(staticImports.filter((s) => !s!.startsWith('node:'))).toEqual([]);
  const lazy = [...code.matchAll(/\bimport\(["'](\.\/[^"']+)["']\)/g)].map((m) => m[1]!);
  expect(lazy.length).toBeGreaterThan(0);
  expect(lazy.filter((file) => !existsSync(join(DIST, file)))).toEqual([]);
});

it('staged reports, formats and fails as the split bundle does, across that seam', () => {
  dir = tempRepo();
  dir.write('a.txt', 'x\n');
  dir.git('add', '-A');
  commit(dir, 'base');
  dir.write('a.txt', `x\nkey = ${fake.stripeLive()}\n`);
  dir.git('add', '-A');
  // A report format loaded on demand.
  const sarif = keyfence(dir.path, ['staged', '--format', 'sarif']);
  expect(sarif.code).toBe(1);
  expect((JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toHaveLength(1);
  // A user error thrown by code loaded on demand (the baseline reader) is still a one-line error with the way out.
  const missing = keyfence(dir.path, ['staged', '--baseline', 'missing-baseline.json']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^keyfence: baseline missing-baseline\.json does not exist\n {2}hint: .*git commit --no-verify\n$/);
  // A configuration parsed by the YAML reader, loaded on demand.
  dir.write('keyfence.yml', 'overrides:\n  stripe-live-secret-key:\n    enabled: false\n');
  expect(keyfence(dir.path, ['staged']).code).toBe(0);
});

it('scan reports, formats and fails as the split bundle does, across that seam', () => {
  dir = tempRepo();
  dir.write('config/app.py', `KEY = "${fake.stripeLive()}"\n`);
  const sarif = keyfence(dir.path, ['scan', '--format', 'sarif']);
  expect(sarif.code).toBe(1);
  expect((JSON.parse(sarif.stdout) as { runs: Array<{ results: unknown[] }> }).runs[0]!.results).toHaveLength(1);
  const missing = keyfence(dir.path, ['scan', '--baseline', 'missing-baseline.json']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^keyfence: baseline missing-baseline\.json does not exist\n {2}hint: /);
  dir.write('keyfence.yml', 'overrides:\n  stripe-live-secret-key:\n    enabled: false\n');
  expect(keyfence(dir.path, ['scan']).code).toBe(0);
});
