import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/loadConfig.js';
import { createEngine } from '../../src/engine/createEngine.js';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { UserError } from '../../src/errors.js';
import { loadBuiltinRules } from '../../src/rules/builtinRules.js';
import { runCli } from '../support/cli.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

/**
 * `allowUnlessAfter` (rules/README.md): a secret of one shape is not a finding unless the text just
 * before it matches `after`, as a negative look-behind inside the rule's regex would say, compiled
 * only when a secret of that shape turns up.
 */
let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

const rule = (unless: string[]) =>
  [
    'rules:',
    '  - id: acme-key',
    '    description: ACME key',
    '    category: live-key',
    '    severity: high',
    '    keywords: [acme_]',
    "    regex: 'acme_[\\w.-]{0,20}{{assign}}([a-f0-9]{32,40})(?![A-Za-z0-9])'",
    '    flags: i',
    ...unless,
    '',
  ].join('\n');
const HEX40 = ["    allowUnlessAfter:", "      secret: '^[a-f0-9]{40}$'", "      after: 'acme_(?:api_)?token{{assign}}'"];

describe('allowUnlessAfter', () => {
  it('drops a secret of its shape unless the name before it matches, with the macros expanded', async () => {
    dir = tempDir('keyfence-unless-');
    dir.write('keyfence.yml', rule(HEX40));
    const random = seededRandom('allow-unless-after');
    const [commit, token, apiToken, key32, quoted] = [40, 40, 40, 32, 40].map((n) => randomString(random, 'hex', n));
    const text = [
      `ACME_COMMIT=${commit}`,
      `ACME_TOKEN=${token}`,
      `const acme = { acme_api_token: "${apiToken}" };`,
      `ACME_KEY=${key32}`,
      `acme_sha = "${quoted}"`,
      '',
    ].join('\n');
    const engine = await createEngine(readConfig(dir.path));
    const found = engine.scan({ file: 'deploy/app.env', text, firstLine: 1 });
    // 40 hex under a token's name, and a value of another shape under any name.
    expect(found.map((f) => `${f.line} ${f.secret}`)).toEqual([`2 ${token}`, `3 ${apiToken}`, `4 ${key32}`]);
  });

  it('is what the same look-behind inside the regex finds', async () => {
    dir = tempDir('keyfence-unless-');
    const random = seededRandom('allow-unless-after-same');
    const lines = ['ACME_COMMIT', 'ACME_TOKEN', 'acme_api_token', 'ACME_REF_TOKEN', 'acme_token_sha'].flatMap((name) =>
      [40, 36].flatMap((n) => {
        const value = randomString(random, 'hex', n);
        return [`${name}=${value}`, `${name}: "${value}"`, `${name} = '${value}' # ${name}`];
      }),
    );
    const text = `${lines.join('\n')}\n`;
    const scan = async (config: string) => {
      dir!.write('keyfence.yml', config);
      return (await createEngine(readConfig(dir!.path))).scan({ file: 'deploy/app.env', text, firstLine: 1 }).map((f) => `${f.line} ${f.secret}`);
    };
    const inField = await scan(rule(HEX40));
    const inRegex = await scan(
      rule([]).replace('{{assign}}(', '{{assign}}((?!(?<!acme_(?:api_)?token{{assign}})[a-f0-9]{40}(?![A-Za-z0-9]))'),
    );
    expect(inField).toEqual(inRegex);
    // Every 36-character value, and the 40-character ones under a token's name (ACME_REF_TOKEN is not one).
    expect(inField).toHaveLength(5 * 3 + 2 * 3);
  });

  it('names the file, line and column of an unknown macro in `after`', () => {
    dir = tempDir('keyfence-unless-');
    dir.write('keyfence.yml', rule(["    allowUnlessAfter:", "      secret: '^[a-f0-9]{40}$'", "      after: 'acme_token{{asign}}'"]));
    expect(() => readConfig(dir!.path)).toThrow(UserError);
    expect(() => readConfig(dir!.path)).toThrow(/^keyfence\.yml:11:14: rule acme-key: allowUnlessAfter\.after: unknown macro \{\{asign\}\} \(known: /);
  });

  it.each([
    [["    allowUnlessAfter: '^[a-f0-9]{40}$'"], /rule acme-key\): `allowUnlessAfter` must be a mapping with `secret` and `after`, two regular expressions$/],
    [["    allowUnlessAfter:", "      secret: '^[a-f0-9]{40}$'"], /rule acme-key\): `allowUnlessAfter` must be a mapping with `secret` and `after`, two regular expressions$/],
    // Wrapped in the look-behind, `a)(b` would be a valid regex: it is checked alone.
    [["    allowUnlessAfter:", "      secret: '^[a-f0-9]{40}$'", "      after: 'token)(='"], /rule acme-key\): `allowUnlessAfter\.after` is not a valid regular expression: /],
    [["    allowUnlessAfter:", "      secret: '^[a-f0-9'", "      after: 'token='"], /rule acme-key\): `allowUnlessAfter\.secret` is not a valid regular expression: /],
  ])('refuses a malformed field with exit 2 and one line naming the rule (%#)', (unless, message) => {
    dir = tempDir('keyfence-unless-');
    dir.write('keyfence.yml', rule(unless));
    const result = runCli(['scan', '--no-git', '.'], dir.path);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^keyfence: keyfence\.yml:2:5 \(rule acme-key\): /);
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });

  it('comes expanded in the built rule pack, whose regexes keep their macros as written', () => {
    const written = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname, { expand: false });
    const withField = written.filter(({ spec }) => spec.allowUnlessAfter);
    expect(withField.map(({ spec }) => spec.id)).toEqual(['generic-api-secret']);
    expect(withField.filter(({ spec }) => spec.allowUnlessAfter!.after.includes('{{'))).toEqual([]);
    expect(withField[0]!.spec.regex).toContain('{{assign-strict}}');
    const built = loadBuiltinRules().find(({ spec }) => spec.id === 'generic-api-secret')!;
    expect(built.spec.allowUnlessAfter).toEqual(withField[0]!.spec.allowUnlessAfter);
  });
});
