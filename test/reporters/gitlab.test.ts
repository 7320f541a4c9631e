/**
 * `--format gitlab`: GitLab's Secret Detection report, validated against the fields the format
 * requires (schemas/gitlab-secret-detection.schema.json), mapped field by field, never holding a
 * secret even with --show-secrets; and from the CLI on a real repository.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { loadReporter } from '../../src/reporters/reporter.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { context, sampleReport, sampleSecrets } from './sample.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('./schemas/gitlab-secret-detection.schema.json', import.meta.url)), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

interface Vulnerability {
  id: string;
  severity: string;
  raw_source_code_extract?: string;
  identifiers: Array<{ value: string }>;
  location: { file: string; start_line: number; end_line: number; commit: { sha: string } };
}

interface GitlabReport {
  version: string;
  scan: { type: string; status: string };
  vulnerabilities: Vulnerability[];
}

function parseValid(text: string): GitlabReport {
  const parsed = JSON.parse(text) as GitlabReport;
  expect(validate(parsed) ? [] : validate.errors).toEqual([]);
  return parsed;
}

let repo: TempDir | undefined;
afterEach(() => repo?.remove());

describe('--format gitlab', () => {
  it('writes a valid secret-detection report, a vulnerability per finding', async () => {
    const render = await loadReporter('gitlab');
    const report = sampleReport();
    const out = parseValid(render(report, context()));
    expect(out.vulnerabilities.length).toBe(report.findings.length);
    expect(out.vulnerabilities.map((v) => [v.identifiers[0]!.value, v.severity, v.location.file, v.location.start_line])).toEqual(
      report.findings.map((f) => [f.ruleId, f.severity[0]!.toUpperCase() + f.severity.slice(1), f.file, f.line]),
    );
    expect(new Set(out.vulnerabilities.map((v) => v.id)).size).toBe(out.vulnerabilities.length);
  });

  it('shows the value redacted in raw_source_code_extract, in full only with --show-secrets', async () => {
    const secrets = sampleSecrets();
    const render = await loadReporter('gitlab');
    const extract = (showSecrets: boolean) => {
      const out = parseValid(render(sampleReport(showSecrets, secrets), context()));
      return out.vulnerabilities.find((v) => v.identifiers[0]!.value === 'stripe-live-secret-key')?.raw_source_code_extract;
    };
    expect(extract(true)).toBe(secrets.stripe);
    expect(extract(false)).not.toContain(secrets.stripe.slice(8, -4));
    expect(extract(false)?.startsWith('sk_live_')).toBe(true);
  });

  it('is written by the CLI for a committed secret, with its commit', () => {
    repo = tempRepo();
    repo.write('config/prod.env', `STRIPE_KEY=${fake.stripeLive()}\n`);
    repo.git('add', '.');
    repo.git('commit', '-q', '-m', 'config');
    const sha = repo.git('rev-parse', 'HEAD').trim();
    const run = runCli(['history', '--format', 'gitlab'], repo.path);
    expect(run.code).toBe(1);
    const out = parseValid(run.stdout);
    const rows = out.vulnerabilities.map((v) => [v.identifiers[0]!.value, v.location.file, v.location.start_line, v.location.commit.sha]);
    expect(rows).toEqual([
      ['stripe-live-secret-key', 'config/prod.env', 1, sha],
    ]);
  });
});
