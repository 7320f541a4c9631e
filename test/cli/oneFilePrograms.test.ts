import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { commit, keyfence } from '../git/gitHelpers.js';
import { CLI } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

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

/**
 * What a program loads: the modules it needs at start-up and the ones it loads on demand. hook.js
 * and scan.js are scripts run with V8's code cache (src/cli/cachedProgram.ts): `require()` and
 * `__keyfenceImport()`; worker.js is an ES module: `import … from` and `import()`.
 */
function loads(code: string): { atStart: string[]; later: string[] } {
  const script = code.startsWith('(function (exports, require, module, __keyfenceUrl, __keyfenceImport) {');
  // The programs are minified: `import{parentPort}from"node:worker_threads";` as well as the banner's
  // `import { createRequire … } from 'node:module';`.
  const atStart = script ? /\brequire\("([^"]+)"\)/g : /(?:^|;)\s*import\s*(?:[^;"'`()]*?\bfrom\s*)?["']([^"']+)["']/gm;
  const later = script ? /\b__keyfenceImport\("(\.\/[^"]+)"\)/g : /\bimport\(["'](\.\/[^"']+)["']\)/g;
  return { atStart: [...code.matchAll(atStart)].map((m) => m[1]!), later: [...code.matchAll(later)].map((m) => m[1]!) };
}

it.each(['hook.js', 'scan.js', 'worker.js'])('%s loads no module of its own at start-up, and every module it loads later is in dist/', (program) => {
  const { atStart, later } = loads(readFileSync(join(DIST, program), 'utf8'));
  // fs and path at least, whichever program.
  expect(atStart).toEqual(expect.arrayContaining(['node:fs', 'node:path']));
  // Node's own modules only (the YAML reader names some without `node:`).
  expect(atStart.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s))).toEqual([]);
  expect(later.length).toBeGreaterThan(0);
  expect(later.filter((file) => !existsSync(join(DIST, file)))).toEqual([]);
});

it.each(['hook.js', 'scan.js'])('%s is a script of the shape the code-cache loader runs, and ASCII only', (program) => {
  const code = readFileSync(join(DIST, program), 'utf8');
  expect(code.startsWith('(function (exports, require, module, __keyfenceUrl, __keyfenceImport) {')).toBe(true);
  expect(code.trimEnd().endsWith('})')).toBe(true);
  // A dynamic import left as import() would fail inside vm.Script.
  expect(code.match(/\bimport\s*\(/g)).toBeNull();
  expect(code.match(/[^\t\n\r\x20-\x7e]/g)).toBeNull();
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

it('runs the hook with a code cache it keeps per user, and shrugs off a broken or unwritable one', () => {
  dir = tempRepo();
  const cache = tempDir('keyfence-cache-');
  try {
    dir.write('config/app.py', `KEY = "${fake.stripeLive()}"\n`);
    dir.git('add', '-A');
    const env = { KEYFENCE_CACHE_DIR: cache.path };
    const findings = (result: { stdout: string }) => (JSON.parse(result.stdout) as { findings: unknown[] }).findings;
    const expected = keyfence(dir.path, ['staged', '--format', 'json'], env);
    expect(expected.code).toBe(1);
    expect(findings(expected)).toHaveLength(1);
    const files = () => readdirSync(join(cache.path, 'code')).filter((f) => f.startsWith('hook-'));
    const [written] = files();
    expect(files()).toHaveLength(1);
    expect(written).toMatch(new RegExp(`^hook-${process.version.replace(/\./g, '\\.')}-${process.arch}-\\d+-\\d+-\\d+\\.bin$`));
    const path = join(cache.path, 'code', written!);
    // Used as it is on the next run: same report, cache left alone.
    const before = readFileSync(path);
    const inode = statSync(path).ino;
    const again = keyfence(dir.path, ['staged', '--format', 'json'], env);
    expect([again.code, findings(again)]).toEqual([1, findings(expected)]);
    expect(statSync(path).ino).toBe(inode);
    // A cache others could have written is not used: compiled afresh, and replaced by a private one.
    chmodSync(path, 0o666);
    const shared = keyfence(dir.path, ['staged', '--format', 'json'], env);
    expect([shared.code, findings(shared)]).toEqual([1, findings(expected)]);
    expect(statSync(path).ino).not.toBe(inode);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // V8 refuses a cache that is not its own: the run compiles afresh and writes a good one.
    writeFileSync(path, Buffer.alloc(before.length, 7));
    const broken = keyfence(dir.path, ['staged', '--format', 'json'], env);
    expect([broken.code, findings(broken), broken.stderr]).toEqual([1, findings(expected), expected.stderr]);
    expect(readFileSync(path).equals(Buffer.alloc(before.length, 7))).toBe(false);
    // A cache folder that cannot be written: no cache, same answer.
    chmodSync(join(cache.path, 'code'), 0o500);
    const readOnly = keyfence(dir.path, ['staged', '--format', 'json'], { KEYFENCE_CACHE_DIR: join(cache.path, 'code', 'nested') });
    expect([readOnly.code, findings(readOnly), readOnly.stderr]).toEqual([1, findings(expected), expected.stderr]);
  } finally {
    chmodSync(join(cache.path, 'code'), 0o700);
    cache.remove();
  }
});

it('makes the hook\'s code cache again, once, when a run reads a keyfence.yml the cache was made without', () => {
  dir = tempRepo();
  const cache = tempDir('keyfence-cache-');
  try {
    dir.write('config/app.py', `KEY = "${fake.stripeLive()}"\n`);
    dir.git('add', '-A');
    const env = { KEYFENCE_CACHE_DIR: cache.path };
    const files = () => readdirSync(join(cache.path, 'code')).filter((f) => f.startsWith('hook-')).sort();
    expect(keyfence(dir.path, ['staged'], env).code).toBe(1);
    const [plain] = files();
    expect(files()).toEqual([expect.stringMatching(/-\d+\.bin$/)]);
    // A configuration: the YAML reader compiled, a cache that holds it replaces the first one.
    dir.write('keyfence.yml', 'failOn: none\n');
    expect(keyfence(dir.path, ['staged'], env).code).toBe(0);
    expect(files()).toEqual([plain!.replace(/\.bin$/, '+config.bin')]);
    const withConfig = join(cache.path, 'code', files()[0]!);
    const inode = statSync(withConfig).ino;
    // Runs with or without a configuration now use it, and leave it alone.
    expect(keyfence(dir.path, ['staged'], env).code).toBe(0);
    rmSync(join(dir.path, 'keyfence.yml'));
    expect(keyfence(dir.path, ['staged'], env).code).toBe(1);
    expect(files()).toEqual([basename(withConfig)]);
    expect(statSync(withConfig).ino).toBe(inode);
  } finally {
    cache.remove();
  }
});
