import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeSuppression, ReportFinding } from '../../src/findings/finding.js';
import { exitCodeFor } from '../../src/run/options.js';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../support/customRules.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
  vi.doUnmock('node:fs/promises');
  vi.resetModules();
});

const WRITE_ATOMIC = fileURLToPath(new URL('../../src/run/writeAtomic.ts', import.meta.url));

describe('--output', () => {
  it('writes the report to the file and nothing to stdout', () => {
    dir = tempDir();
    dir.write('keyfence.yml', CUSTOM_RULES);
    dir.write('app.env', `A=${testToken()}\n`);
    const result = runCli(['scan', '--format', 'sarif', '--output', 'out/report.sarif'], dir.path);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(readFileSync(join(dir.path, 'out/report.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readdirSync(join(dir.path, 'out'))).toEqual(['report.sarif']);
  });

  it('leaves the old file whole when the write fails half-way, and no temporary file', async () => {
    dir = tempDir();
    const target = dir.write('report.json', 'old report\n');
    vi.resetModules();
    vi.doMock('node:fs/promises', async (importOriginal) => {
      const real = await importOriginal<typeof import('node:fs/promises')>();
      return {
        ...real,
        writeFile: async (path: string, data: string, options: object) => {
          await real.writeFile(path, data.slice(0, 10), options);
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      };
    });
    const { writeAtomic } = await import('../../src/run/writeAtomic.js');
    await expect(writeAtomic(target, 'new report that does not fit\n')).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(target, 'utf8')).toBe('old report\n');
    expect(readdirSync(dir.path)).toEqual(['report.json']);
  });

  it('leaves the old file whole when the process is killed before the rename', async () => {
    dir = tempDir();
    const target = dir.write('baseline.json', '{"old": true}\n');
    // A child that writes a large report through writeAtomic and is killed mid-way (its rename never comes).
    const script = `
      const fsp = require('node:fs/promises');
      fsp.rename = () => { process.stdout.write('renaming\\n'); return new Promise(() => {}); };
      require('node:module').syncBuiltinESMExports();
      const { writeAtomic } = await import(${JSON.stringify(WRITE_ATOMIC)});
      await writeAtomic(${JSON.stringify(target)}, 'x'.repeat(5_000_000));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${script}`], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        if (String(d).includes('renaming')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited before the rename: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(readFileSync(target, 'utf8')).toBe('{"old": true}\n');
    // What is left is a hidden temporary file beside it, never a half-written target.
    const left = readdirSync(dir.path).filter((f) => f !== 'baseline.json');
    expect(left.every((f) => /^\.baseline\.json\.\d+\.\d+\.tmp$/.test(f))).toBe(true);
    expect(existsSync(target)).toBe(true);
  });
});

describe('--fail-on', () => {
  it('decides the exit code by the most severe finding left', () => {
    const findings = (...severities: string[]) => ({ findings: severities.map((severity) => ({ severity })) as ReportFinding[] });
    expect(exitCodeFor(findings(), 'low')).toBe(0);
    expect(exitCodeFor(findings('low'), 'medium')).toBe(0);
    expect(exitCodeFor(findings('low', 'medium'), 'medium')).toBe(1);
    expect(exitCodeFor(findings('high'), 'critical')).toBe(0);
    expect(exitCodeFor(findings('critical'), 'critical')).toBe(1);
  });

  it('fails on what the change silenced only when asked to', () => {
    const report = { findings: [] as ReportFinding[], suppressedByChange: [{ severity: 'critical' }] as ChangeSuppression[] };
    expect(exitCodeFor(report, 'medium')).toBe(0);
    expect(exitCodeFor(report, 'medium', true)).toBe(1);
    expect(exitCodeFor({ ...report, suppressedByChange: [] }, 'medium', true)).toBe(0);
  });

  it('works from the command line and from the config, the option winning', () => {
    dir = tempDir();
    dir.write('keyfence.yml', CUSTOM_RULES);
    dir.write('app.env', `A=${otherToken()}\n`); // one low finding
    const code = (...args: string[]) => runCli(['scan', ...args], dir!.path).code;
    expect(code()).toBe(0); // default medium
    expect(code('--fail-on', 'low')).toBe(1);
    dir.write('app.env', `A=${testToken()}\n`); // one high finding
    expect(code()).toBe(1);
    expect(code('--fail-on', 'high')).toBe(1);
    expect(code('--fail-on', 'critical')).toBe(0);
    dir.write('keyfence.yml', `${CUSTOM_RULES}failOn: critical\n`);
    expect(code()).toBe(0);
    expect(code('--fail-on', 'medium')).toBe(1);
    const bad = runCli(['scan', '--fail-on', 'severe'], dir.path);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^keyfence: unknown severity "severe" for --fail-on\n/);
  });
});
