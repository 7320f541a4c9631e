import { describe, expect, it } from 'vitest';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { compileRule } from '../../src/engine/compiledRule.js';
import { Scanner } from '../../src/engine/scanner.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';

/**
 * The two shapes generic-api-secret used to wave through as code whatever the name said: 40 hex (a
 * git object id) and `word.word` (member access). A legacy unprefixed token under a name that can
 * only mean a credential, and a dotted token whose segment is long and random, are literals.
 */
const scanner = new Scanner(loadRuleDirectory(new URL('../../rules', import.meta.url).pathname).map(({ spec, origin }) => compileRule(spec, origin)));
const random = seededRandom('generic-secret-shapes');

function reported(line: string): string[] {
  return scanner.scan({ file: 'deploy/app.conf', text: `${line}\n` }, 'unknown').map((f) => `${f.ruleId} ${f.secret}`);
}

describe('40 hex', () => {
  const hex = () => randomString(random, 'hex', 40);

  it.each([
    'SOURCEGRAPH_ACCESS_TOKEN={{v}}',
    'SRC_ACCESS_TOKEN={{v}}',
    'GITHUB_TOKEN: {{v}}',
    'export GH_TOKEN={{v}}',
    'HOMEBREW_GITHUB_API_TOKEN={{v}}',
    'api_token = "{{v}}"',
    '  "apiKey": "{{v}}",',
    'AUTH_TOKEN={{v}}',
    'bearerToken := "{{v}}"',
    'GITEA_TOKEN={{v}}',
    '<add key="AccessToken" value="{{v}}" />',
    "define('API_SECRET', '{{v}}');",
    'client_secret: {{v}}',
  ])('is a credential under an unmistakable name: %s', (template) => {
    const value = hex();
    expect(reported(template.replace('{{v}}', value))).toEqual([`generic-api-secret ${value}`]);
  });

  it.each([
    'commit: {{v}}',
    'sha = "{{v}}"',
    'revision: {{v}}',
    'ref: {{v}}',
    'checksum = "{{v}}"',
    'hash: {{v}}',
    '"integrity": "{{v}}"',
    'commit_token = "{{v}}"',
    'GITHUB_TOKEN_SHA={{v}}',
    'auth_commit: {{v}}',
    'secret_revision = "{{v}}"',
    'api_key_checksum = "{{v}}"',
    'credential_hash_sha1: {{v}}',
    'HIGH_TOKEN={{v}}',
    'token: {{v}}',
    'secret := "{{v}}"',
  ])('is a git object id or a digest under any other name: %s', (template) => {
    expect(reported(template.replace('{{v}}', hex()))).toEqual([]);
  });

  it('leaves a GitHub OAuth app secret to its provider rule', () => {
    const value = hex();
    expect(reported(`GITHUB_CLIENT_SECRET=${value}`)).toEqual([`github-oauth-client-secret ${value}`]);
  });
});

describe('dotted values', () => {
  it.each([
    'api_key = config.apiKey',
    'token = process.env.TOKEN',
    'secret = settings.SECRET_KEY',
    'const token = util_js_1.seedTokens;',
    '  apiKey: config.oauth2ClientSecret,',
    'API_KEY = constants_1.AWS_S3_SECRET_ACCESS_KEY',
    'auth_token = self.settings.k8sServiceAccountToken',
    'client_secret = app_config_1.default.REACT_APP_AUTH0_CLIENT_SECRET',
    'secret_key = keys.google_maps_v3_api_key',
    'password: config.mysql8RootPassword,',
    'token = this.options?.i18nTranslationToken',
  ])('is member access when every segment reads as a name: %s', (line) => {
    expect(reported(line)).toEqual([]);
  });

  it('is judged as a literal when a segment is long and random, like the same token without its dot', () => {
    const differ: string[] = [];
    let found = 0;
    for (let i = 0; i < 200; i++) {
      const prefix = randomString(random, 'lower', 2 + (i % 4));
      const rest = `${randomString(random, 'upper', 1)}${randomString(random, 'alnum', 31 + (i % 17))}`;
      const dotted = reported(`SECRET_KEY = "${prefix}.${rest}"`).map((f) => f.replace('.', '-'));
      if (dotted.join() !== reported(`SECRET_KEY = "${prefix}-${rest}"`).join()) differ.push(`${prefix}.${rest}`);
      found += dotted.length;
    }
    expect(differ).toEqual([]);
    // All but the few the shared filters drop for other reasons (a run like `xxx` in the random part).
    expect(found).toBe(199);
  });
});
