/**
 * A finding of an organisation's audit or a merged report names its `repository` ("owner/name"):
 * every format shows it where its readers look, and line links (markdown, HTML) go into that
 * repository on GitHub. Findings without one are unchanged (the goldens hold those).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { Report, ReportFinding } from '../../src/findings/finding.js';
import { loadReporter, type Format } from '../../src/reporters/reporter.js';
import { githubLinker, gitlabLinker } from '../../src/run/reportLinks.js';
import { context, scanStats } from './sample.js';

const SHA = 'c0ffee'.repeat(6) + 'abcd';

/** A workflow finding from history in acme/web, and a password in acme/api's tree (no commit). */
const FINDINGS: ReportFinding[] = [
  {
    ruleId: 'untrusted-checkout',
    category: 'workflow',
    severity: 'high',
    message: 'checks out the fork',
    file: '.github/workflows/ci.yml',
    line: 20,
    column: 9,
    endLine: 20,
    endColumn: 40,
    environment: 'ci',
    secret: '',
    fingerprint: '0123456789abcdef0123456789abcdef',
    commit: SHA,
    author: 'Dev <dev@example.com>',
    date: '2026-01-02T03:04:05Z',
    repository: 'acme/web',
  },
  {
    ruleId: 'generic-password',
    category: 'generic-secret',
    severity: 'medium',
    message: 'Password assignment',
    file: 'src/db conn.ts',
    line: 12,
    column: 5,
    endLine: 12,
    endColumn: 30,
    environment: 'test',
    secret: '…',
    fingerprint: 'fedcba9876543210fedcba9876543210',
    repository: 'acme/api',
  },
];

const report = (): Report => ({ findings: FINDINGS, stats: scanStats({ files: 2, commits: 1 }), units: ['files', 'commits'], notes: [] });

/** The run's own repository is octo/shop: the findings are of others. */
const linkTo = githubLinker({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo/shop', GITHUB_SHA: 'abc1234def' })!;

async function render(format: Format): Promise<string> {
  return (await loadReporter(format))(report(), context({ linkTo }));
}

describe('a finding\'s repository in every format', () => {
  it('text: `owner/name:` before the location', async () => {
    const lines = (await render('text')).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'acme/web:.github/workflows/ci.yml:20:9  high      untrusted-checkout  checks out the fork',
      `    in ${SHA.slice(0, 12)} by Dev <dev@example.com> on 2026-01-02T03:04:05Z`,
      'acme/api:src/db conn.ts:12:5  medium    generic-password  Password assignment  …',
    ]);
  });

  it('markdown: `owner/name:` before the location, linked into that repository', async () => {
    const md = await render('markdown');
    expect(md).toContain(`| high | \`untrusted-checkout\` | [acme/web:.github/workflows/ci.yml:20](https://github.com/acme/web/blob/${SHA}/.github/workflows/ci.yml#L20) |`);
    expect(md).toContain('| medium | `generic-password` | [acme/api:src/db conn.ts:12](https://github.com/acme/api/blob/HEAD/src/db%20conn.ts#L12) |');
    expect(md).not.toContain('octo/shop');
  });

  it('html: each line links into its own repository', async () => {
    const html = await render('html');
    expect([...html.matchAll(/<a href="(https:\/\/github\.com\/acme\/[^"]+)">/g)].map((m) => m[1])).toEqual([
      `https://github.com/acme/web/blob/${SHA}/.github/workflows/ci.yml#L20`,
      'https://github.com/acme/api/blob/HEAD/src/db%20conn.ts#L12',
    ]);
    expect(html).not.toContain('octo/shop');
  });

  it('csv: a `repository` column, last', async () => {
    const rows = (await render('csv')).split('\r\n');
    expect(rows[0]!.split(',').at(-1)).toBe('repository');
    expect(rows[0]!.split(',')).toHaveLength(28);
    expect(rows[1]).toBe(
      `finding,high,workflow,untrusted-checkout,.github/workflows/ci.yml,20,9,20,40,ci,checks out the fork,,,0123456789abcdef0123456789abcdef,${SHA},Dev <dev@example.com>,2026-01-02T03:04:05Z,,,,,,,,,,,acme/web`,
    );
    expect(rows[2]).toBe('finding,medium,generic-secret,generic-password,src/db conn.ts,12,5,12,30,test,Password assignment,…,,fedcba9876543210fedcba9876543210,,,,,,,,,,,,,,acme/api');
  });

  it('sarif: `properties.repository` on the result; the artifact URI stays relative', async () => {
    const results = JSON.parse(await render('sarif')).runs[0].results as Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>; properties: Record<string, unknown> }>;
    expect(results.map((r) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.properties.repository])).toEqual([
      ['.github/workflows/ci.yml', 'acme/web'],
      ['src/db%20conn.ts', 'acme/api'],
    ]);
  });

  it('junit: the classname and the failure\'s text name it', async () => {
    const xml = await render('junit');
    expect(xml).toContain(`<testcase name=".github/workflows/ci.yml:20:9 untrusted-checkout @ ${SHA.slice(0, 12)}" classname="keyfence.acme/web.workflow" time="0">`);
    expect(xml).toContain('<testcase name="src/db conn.ts:12:5 generic-password" classname="keyfence.acme/api.generic-secret" time="0">');
    expect(xml).toContain('rule: generic-password (generic-secret, medium)\nrepository: acme/api\nlocation: src/db conn.ts:12:5\n');
  });

  it('gitlab: a `repository` text entry in the vulnerability\'s details, valid against the format', async () => {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL('./schemas/gitlab-secret-detection.schema.json', import.meta.url)), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const out = JSON.parse(await render('gitlab')) as { vulnerabilities: Array<{ location: { file: string }; details?: unknown }> };
    expect(validate(out) ? [] : validate.errors).toEqual([]);
    expect(out.vulnerabilities.map((v) => [v.location.file, v.details])).toEqual([
      ['.github/workflows/ci.yml', { repository: { name: 'Repository', type: 'text', value: 'acme/web' } }],
      ['src/db conn.ts', { repository: { name: 'Repository', type: 'text', value: 'acme/api' } }],
    ]);
  });

  it('codequality: `owner/name:` before the description; the path stays relative', async () => {
    const out = JSON.parse(await render('codequality')) as Array<{ description: string; location: { path: string } }>;
    expect(out.map((i) => [i.description, i.location.path])).toEqual([
      ['acme/web: checks out the fork', '.github/workflows/ci.yml'],
      ['acme/api: Password assignment: …', 'src/db conn.ts'],
    ]);
  });
});

describe('githubLinker with a finding\'s repository', () => {
  it('links into that repository, at its commit or else HEAD; without one, into the run\'s at $GITHUB_SHA', () => {
    expect(linkTo('a/b.ts', 3, SHA, 'acme/web')).toBe(`https://github.com/acme/web/blob/${SHA}/a/b.ts#L3`);
    expect(linkTo('a/b.ts', 3, undefined, 'acme/web')).toBe('https://github.com/acme/web/blob/HEAD/a/b.ts#L3');
    // The run's own repository, named by an organisation's report: the audit scanned HEAD, not $GITHUB_SHA.
    expect(linkTo('a/b.ts', 3, undefined, 'octo/shop')).toBe('https://github.com/octo/shop/blob/HEAD/a/b.ts#L3');
    expect(linkTo('a/b.ts', 3)).toBe('https://github.com/octo/shop/blob/abc1234def/a/b.ts#L3');
    expect(linkTo('a/b.ts', 3, 'HEAD')).toBeUndefined();
    expect(linkTo('a/b.ts', 3, undefined, 'not a repo')).toBeUndefined();
    expect(linkTo('github:acme/web/environments/prod', 1, undefined, 'acme/web')).toBeUndefined();
    const ghes = githubLinker({ GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_REPOSITORY: 'o/r' })!;
    expect(ghes('x.ts', 1, undefined, 'acme/web')).toBe('https://ghe.example.com/acme/web/blob/HEAD/x.ts#L1');
    expect(ghes('x.ts', 1)).toBeUndefined();
  });
});

describe('gitlabLinker', () => {
  it('links into the named project on the instance (groups in its path), at its commit or else HEAD; nowhere without a project', () => {
    const gitlab = gitlabLinker('https://gitlab.example.com/')!;
    expect(gitlab('a/b c.ts', 3, SHA, 'acme/backend/billing')).toBe(`https://gitlab.example.com/acme/backend/billing/-/blob/${SHA}/a/b%20c.ts#L3`);
    expect(gitlab('a/b.ts', 3, undefined, 'acme/api')).toBe('https://gitlab.example.com/acme/api/-/blob/HEAD/a/b.ts#L3');
    expect(gitlabLinker('https://example.com/gitlab')!('x.ts', 1, undefined, 'acme/api')).toBe('https://example.com/gitlab/acme/api/-/blob/HEAD/x.ts#L1');
    expect(gitlab('a/b.ts', 3)).toBeUndefined();
    expect(gitlab('a/b.ts', 3, 'not-a-sha', 'acme/api')).toBeUndefined();
    expect(gitlab('a/b.ts', 3, undefined, 'not a project')).toBeUndefined();
    expect(gitlab('gitlab:acme/api/protected_branches/main', 1, undefined, 'acme/api')).toBeUndefined();
    expect(gitlabLinker('file:///srv/gitlab')).toBeUndefined();
  });
});
