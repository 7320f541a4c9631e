/**
 * Promise: a small supply chain. What the published package holds is tested by
 * test/release/package.test.ts; here: the dependencies it installs have no known high or critical
 * vulnerability (`npm audit`, which needs the npm registry: skipped, saying why, when the registry's
 * audit service cannot be reached), and this repository passes its own scan and its own workflow
 * audit.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the supply chain', () => {
  it('has no high or critical advisory against a runtime dependency (npm audit --omit=dev)', (context) => {
    const result = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
    });
    if (result.error || result.signal) {
      context.skip(`npm audit did not finish (${result.error?.message ?? result.signal}): the registry is unreachable from here`);
      return;
    }
    let report: {
      metadata?: { vulnerabilities?: Record<string, number> };
      vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
      message?: string;
      statusCode?: number;
      error?: { code?: string; summary?: string };
    };
    try {
      report = JSON.parse(result.stdout);
    } catch {
      throw new Error(`npm audit printed no JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    }
    if (!report.metadata?.vulnerabilities) {
      // No audit was made: no network, or a registry (or mirror) without the audit service.
      const why = report.message ?? report.error?.summary ?? report.error?.code ?? `exit ${result.status}`;
      context.skip(`npm audit could not reach the registry's audit service: ${why}`);
      return;
    }
    const high = Object.entries(report.vulnerabilities ?? {})
      .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
      .map(([name, v]) => `${name} (${v.severity})`);
    expect(high).toEqual([]);
    expect(result.status).toBe(0);
  }, 120_000);

  it('passes its own workflow audit at --fail-on medium', () => {
    const result = runCli(['workflows', '.', '--fail-on', 'medium', '--format', 'json'], root);
    const report = JSON.parse(result.stdout) as {
      findings: Array<{ file: string; line: number; ruleId: string; severity: string }>;
      stats: { files: number };
    };
    // Its own pull-request workflow and its action.yml, at least.
    expect(report.stats.files).toBeGreaterThanOrEqual(2);
    expect(report.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity)).map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('passes its own scan at --fail-on low (token-shaped test values are made at run time)', () => {
    const result = runCli(['scan', '.', '--fail-on', 'low', '--format', 'json'], root);
    const report = JSON.parse(result.stdout) as {
      findings: Array<{ file: string; line: number; ruleId: string }>;
      stats: { files: number };
    };
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    expect(report.stats.files).toBeGreaterThan(100);
    expect(result.code, result.stderr).toBe(0);
  });
});
