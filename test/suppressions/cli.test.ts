import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../support/customRules.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

interface JsonReport {
  findings: Array<{ ruleId: string; file: string; line: number; secret: string }>;
  notes?: string[];
}

function scan(cwd: string, ...args: string[]): { code: number; report: JsonReport; stderr: string } {
  const result = runCli(['scan', ...args, '--format', 'json'], cwd);
  if (result.code === 2) throw new Error(result.stderr);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

const where = (r: JsonReport) => r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`);

function project(files: Record<string, string>, repo = false): TempDir {
  const d = repo ? tempRepo() : tempDir();
  d.write('keyfence.yml', CUSTOM_RULES);
  for (const [file, text] of Object.entries(files)) d.write(file, text);
  return d;
}

describe('keyfence baseline', () => {
  it('records today\'s findings: the next scan passes and only a new secret fails it', () => {
    const [a, b] = [testToken(), testToken()];
    dir = project({ 'config/app.env': `VALUE_A=${a}\nVALUE_B=${b}\n`, 'src/other.env': `X=${otherToken()}\n` });
    expect(scan(dir.path).code).toBe(1);
    const written = runCli(['baseline', '--output', '.keyfence-baseline.json'], dir.path);
    expect(written).toMatchObject({ code: 0, stdout: 'wrote .keyfence-baseline.json: 3 entries (3 new, 0 kept, 0 removed)\n' });
    const clean = scan(dir.path, '--baseline', '.keyfence-baseline.json');
    expect(clean.code).toBe(0);
    expect(clean.report.findings).toEqual([]);
    expect(clean.report.notes ?? []).toEqual([]);

    const fresh = testToken();
    dir.write('config/app.env', `VALUE_A=${a}\nVALUE_B=${b}\nVALUE_C=${fresh}\n`);
    const after = scan(dir.path, '--baseline', '.keyfence-baseline.json');
    expect(after.code).toBe(1);
    expect(where(after.report)).toEqual(['config/app.env:3 kf-test-token']);
  });

  it('survives a code move, a reformat and a squash of the history', () => {
    const secret = testToken();
    dir = project({ 'settings.py': `VALUE = "${secret}"\n` }, true);
    dir.git('add', '.');
    dir.git('commit', '-q', '-m', 'one');
    dir.write('README.md', 'two\n');
    dir.git('add', '.');
    dir.git('commit', '-q', '-m', 'two');
    expect(runCli(['baseline', '--output', 'baseline.json'], dir.path).code).toBe(0);

    dir.write('settings.py', `import os\n\n\nclass Settings:\n    value: str = (\n        '${secret}'  # billing\n    )\n`);
    expect(scan(dir.path, '--baseline', 'baseline.json').report.findings).toEqual([]);

    const root = dir.git('rev-list', '--max-parents=0', 'HEAD').trim();
    dir.git('add', '.');
    dir.git('reset', '--soft', root);
    dir.git('commit', '-q', '--amend', '-m', 'squashed');
    expect(dir.git('rev-list', '--count', 'HEAD').trim()).toBe('1');
    const squashed = scan(dir.path, '--baseline', 'baseline.json');
    expect(squashed.code).toBe(0);
    expect(squashed.report.notes ?? []).toEqual([]);
    // The same value in another file is a new leak.
    dir.write('copy.env', `V=${secret}\n`);
    expect(where(scan(dir.path, '--baseline', 'baseline.json').report)).toEqual(['copy.env:1 kf-test-token']);
  });

  it('lets an expired entry fire again, with a note naming it', () => {
    const secret = testToken();
    dir = project({ 'app.env': `V=${secret}\n` });
    runCli(['baseline', '--output', 'b.json', '--owner', '@payments', '--reason', 'rotation planned', '--expires', '2000-01-31'], dir.path);
    const result = scan(dir.path, '--baseline', 'b.json');
    expect(result.code).toBe(1);
    expect(where(result.report)).toEqual(['app.env:1 kf-test-token']);
    expect(result.report.notes).toEqual([
      'baseline b.json: the entry for kf-test-token in app.env expired on 2000-01-31 (owner @payments; reason: rotation planned); its findings are reported again',
    ]);
    const data = JSON.parse(readFileSync(join(dir.path, 'b.json'), 'utf8'));
    data.entries[0].expires = '2999-12-31';
    writeFileSync(join(dir.path, 'b.json'), JSON.stringify(data));
    expect(scan(dir.path, '--baseline', 'b.json').code).toBe(0);
  });

  it('reports entries that match nothing and prunes them, keeping the rest', () => {
    const [a, b] = [testToken(), testToken()];
    dir = project({ 'src/a.env': `V=${a}\n`, 'lib/b.env': `V=${b}\n` }, true);
    runCli(['baseline', '--output', 'b.json'], dir.path);
    dir.write('lib/b.env', 'V=rotated\n');
    const result = scan(dir.path, '--baseline', 'b.json');
    expect(result.code).toBe(0);
    expect(result.report.notes).toEqual([
      'baseline b.json: 1 entry matches nothing any more (stale): kf-test-token in lib/b.env; remove it with `keyfence baseline --prune --output b.json`',
    ]);
    // A scan of part of the tree does not call the rest stale.
    expect(runCli(['baseline', 'src', '--output', 'b.json', '--prune'], dir.path).stdout).toBe('updated b.json: 2 entries (0 new, 2 kept, 0 removed)\n');
    const newSecret = testToken();
    dir.write('src/c.env', `V=${newSecret}\n`);
    expect(runCli(['baseline', '--prune', '--output', 'b.json'], dir.path).stdout).toBe('updated b.json: 1 entry (0 new, 1 kept, 1 removed)\n');
    const pruned = scan(dir.path, '--baseline', 'b.json');
    expect(pruned.report.notes ?? []).toEqual([]);
    expect(where(pruned.report)).toEqual(['src/c.env:1 kf-test-token']);
  });

  it('writes the same bytes on every run, keeps hand-written reasons, and never holds a secret', () => {
    const secrets = [testToken(), testToken(), otherToken()];
    dir = project({ 'z.env': `V=${secrets[0]}\n`, 'a/b.env': `V=${secrets[1]}\nW=${secrets[2]}\n` });
    runCli(['baseline', '--output', 'b.json'], dir.path);
    const first = readFileSync(join(dir.path, 'b.json'), 'utf8');
    runCli(['baseline', '--output', 'b.json'], dir.path);
    expect(readFileSync(join(dir.path, 'b.json'), 'utf8')).toBe(first);
    for (const s of secrets) {
      expect(first).not.toContain(s);
      expect(first).not.toContain(s.slice(4, 14));
    }
    const data = JSON.parse(first);
    data.entries[0].reason = 'test fixture, never deployed';
    data.entries[0].owner = '@platform';
    writeFileSync(join(dir.path, 'b.json'), JSON.stringify(data, null, 2));
    dir.write('new.env', `V=${testToken()}\n`);
    expect(runCli(['baseline', '--output', 'b.json'], dir.path).stdout).toBe('updated b.json: 4 entries (1 new, 3 kept, 0 removed)\n');
    const again = JSON.parse(readFileSync(join(dir.path, 'b.json'), 'utf8'));
    expect(again.salt).toBe(data.salt);
    expect(again.entries[0]).toMatchObject({ reason: 'test fixture, never deployed', owner: '@platform' });
  });

  it('is ignored with --no-suppressions', () => {
    dir = project({ 'app.env': `V=${testToken()}\n` });
    runCli(['baseline', '--output', 'b.json'], dir.path);
    expect(scan(dir.path, '--baseline', 'b.json', '--no-suppressions').code).toBe(1);
  });

  it('exits 2 with one line naming the file for a missing or broken baseline and bad options', () => {
    dir = project({ 'app.env': `V=${testToken()}\n` });
    const missing = runCli(['scan', '--baseline', 'nope.json'], dir.path);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('keyfence: baseline nope.json does not exist\n  hint: create it with `keyfence baseline --output nope.json`\n');
    dir.write('broken.json', '{"version":1,"salt":"00000000000000000000000000000000","entries":[{"ruleId":"r","file":"f","hash":"zz"}]}');
    const broken = runCli(['scan', '--baseline', 'broken.json'], dir.path);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toBe('keyfence: broken.json: entries[0].hash is not a hash keyfence wrote\n');
    expect(runCli(['baseline'], dir.path)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^keyfence: baseline: --output FILE is required\n/) });
    expect(runCli(['baseline', '--output', 'b.json', '--expires', 'soon'], dir.path)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--expires "soon" is not a date/) });
    expect(runCli(['baseline', '--output', 'b.json', '--prune'], dir.path)).toMatchObject({ code: 2, stderr: expect.stringMatching(/nothing to prune/) });
  });
});

describe('inline suppressions and allowlists, end to end', () => {
  it('silence exactly what they name', () => {
    const t = Array.from({ length: 8 }, testToken);
    const o = otherToken();
    dir = project({
      'app.env': [
        `A=${t[0]}`,
        `B=${t[1]} # keyfence:allow`,
        `C=${t[2]} ${o} # keyfence:allow[kf-test-token] known sample`,
        '# keyfence-ignore-next-line',
        `D=${t[3]}`,
        `E=${t[4]} # gitleaks:allow`,
        `F=${t[5]} # keyfence:allow[kf-other-token] wrong rule`,
        '',
      ].join('\n'),
      'generated/keys.env': `G=${t[6]}\n`,
      'web/index.html': `<meta content="${t[7]}"> <!-- keyfence:allow -->\n`,
    });
    dir.write('keyfence.yml', `${CUSTOM_RULES}allow:\n  - paths: ['generated/**']\n    reason: generated samples\n`);
    const { report } = scan(dir.path);
    expect(where(report)).toEqual(['app.env:1 kf-test-token', 'app.env:3 kf-other-token', 'app.env:7 kf-test-token']);
    expect(scan(dir.path, '--no-suppressions').report.findings).toHaveLength(9);
  });

  it('requireReason turns an allow entry without a reason into a config error', () => {
    dir = project({ 'fixtures/keys.env': `G=${testToken()}\n` });
    dir.write('keyfence.yml', `${CUSTOM_RULES}requireReason: true\nallow:\n  - paths: ['fixtures/**']\n`);
    const result = runCli(['scan'], dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^keyfence: keyfence\.yml(:\d+:\d+)?: allow\[0\] has no reason, and the config sets requireReason\n/);
  });
});
