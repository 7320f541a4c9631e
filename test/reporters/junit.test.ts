import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { toReport } from '../../src/findings/redact.js';
import { renderJunit, xmlAttribute } from '../../src/reporters/junit.js';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../support/customRules.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';
import { context, sampleFindings, sampleReport, scanStats } from './sample.js';

/**
 * The JUnit report checked by libxml2 (xmllint, as WebAssembly) against the schema Jenkins
 * validates JUnit reports with (test/reporters/schemas/junit-10.xsd): well-formed, and of the shape
 * CI test views read.
 */
const XSD = readFileSync(fileURLToPath(new URL('./schemas/junit-10.xsd', import.meta.url)), 'utf8');

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
  return result.errors.map((e) => e.rawMessage);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(#(\d+)|[a-z]+);/g, (_, name: string, code?: string) => (code ? String.fromCodePoint(Number(code)) : ENTITIES[name]!));

/** Every element named `tag`, as its attributes (decoded). The schema check above vouches for the markup. */
function elements(xml: string, tag: string): Array<Record<string, string>> {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[\\w-]+="[^"]*")*)\\s*/?>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, decode(a[2]!)])),
  );
}

describe('junit report', () => {
  it('the schema rejects what Jenkins would: the check can fail', async () => {
    expect(await schemaErrors('<testsuites><testsuite name="x" tests="1"/></testsuites>')).toHaveLength(2);
  });

  it('is valid JUnit XML: a testsuite per category, a testcase and one failure per finding, what the change silenced skipped', async () => {
    const xml = renderJunit(sampleReport(), context());
    expect(await schemaErrors(xml)).toEqual([]);
    expect(elements(xml, 'testsuites')).toEqual([{ name: 'keyfence', tests: '7', failures: '5', errors: '0', time: '0.042' }]);
    expect(elements(xml, 'testsuite').map((s) => [s.name, s.tests, s.failures, s.skipped])).toEqual([
      ['keyfence live-key', '3', '2', '1'],
      ['keyfence generic-secret', '3', '2', '1'],
      ['keyfence workflow', '1', '1', '0'],
    ]);
    expect(elements(xml, 'testcase').map((c) => `${c.classname} | ${c.name}`)).toEqual([
      'keyfence.live-key | config/.env.development:3:19 stripe-live-secret-key',
      'keyfence.live-key | deploy/prod é, "x".env:7:5 aws-access-key-id @ c0ffeec0ffee',
      'keyfence.live-key | test/fixtures/slack reply.json:2:14 slack-bot-token @ c0ffeec0ffee',
      'keyfence.generic-secret | keys/id_rsa:1:1 private-key',
      'keyfence.generic-secret | src/db|conn.ts:12:20 generic-password',
      'keyfence.generic-secret | docs/setup.md:30:9 generic-api-key',
      'keyfence.workflow | .github/workflows/ci.yml:20:9 untrusted-checkout',
    ]);
    const failures = elements(xml, 'failure');
    expect(failures.map((f) => f.type)).toEqual(['critical', 'high', 'high', 'medium', 'low']);
    // A message with a line break stays one attribute, its break kept as a reference.
    expect(failures[3]!.message).toBe('Password | in "config": 100% <b>real</b>\nsecond line: …');
    expect(elements(xml, 'skipped').map((s) => s.message)).toEqual([
      expect.stringMatching(/^Slack bot token: xoxb-…\w{4} \(silenced by keyfence:allow\[slack-bot-token\] that this change adds: recorded `reply` \| token revoked\)$/),
      expect.stringMatching(/^Generic API key: …\w{4} \(silenced by gitleaks:allow that this change adds, giving no reason\)$/),
    ]);
    expect(xml).toContain('docs: https://example.com/docs/rules/stripe.md#stripe-live-secret-key');
    expect(xml).toContain('<system-out>note: 1 file skipped, binary: logo.png\nnote: note with | pipe, 50% and: colon</system-out>');
  });

  it('a clean run is one passing testcase, so CI does not read it as "no tests"', async () => {
    const xml = renderJunit(toReport([], scanStats({ files: 3, durationMs: 1500 }), [], false), context());
    expect(await schemaErrors(xml)).toEqual([]);
    expect(elements(xml, 'testcase')).toEqual([{ name: 'no findings in 3 files', classname: 'keyfence', time: '1.500' }]);
    expect(elements(xml, 'failure')).toEqual([]);
  });

  it('escapes what the repository controls, and drops characters XML cannot hold', async () => {
    const [f] = sampleFindings();
    const hostile = { ...f!, file: 'a]]></failure><x y="1"/>&amp;\x01\x1b[31m\uD800.env', message: '<!-- "quoted" --> & \x00 \t tab' };
    const xml = renderJunit(toReport([hostile], scanStats({ files: 1 }), ['<note> & "x"'], false), context());
    expect(await schemaErrors(xml)).toEqual([]);
    expect(elements(xml, 'testcase')[0]!.name).toBe('a]]></failure><x y="1"/>&amp;\uFFFD\uFFFD[31m\uFFFD.env:3:19 stripe-live-secret-key');
    expect(elements(xml, 'failure')[0]!.message).toMatch(/^<!-- "quoted" --> & \uFFFD \t tab: sk_live_…\w{4}$/);
    expect(elements(xml, 'x')).toEqual([]);
    expect(xmlAttribute('a"b\nc')).toBe('a&quot;b&#10;c');
  });

  describe('from the CLI', () => {
    let dir: TempDir | undefined;
    afterEach(() => {
      dir?.remove();
      dir = undefined;
    });

    it('--format junit: a valid report with a failure per finding and no secret', async () => {
      dir = tempDir();
      const [a, b] = [testToken(), otherToken()];
      dir.write('keyfence.yml', CUSTOM_RULES);
      dir.write('config/app.env', `A=${a}\nB=${b}\n`);
      const r = runCli(['scan', '--format', 'junit'], dir.path);
      expect(r.code).toBe(1);
      expect(await schemaErrors(r.stdout)).toEqual([]);
      expect(elements(r.stdout, 'testcase').map((c) => c.name)).toEqual(['config/app.env:1:3 kf-test-token', 'config/app.env:2:3 kf-other-token']);
      expect(elements(r.stdout, 'failure').map((f) => f.type)).toEqual(['high', 'low']);
      for (const s of [a, b]) expect(r.stdout).not.toContain(s);
    });
  });
});
