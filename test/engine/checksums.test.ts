import { expect, it } from 'vitest';
import { checksumToken, seededRandom } from '../support/fakeSecrets.js';
import { engineWith, scanFiles } from '../environment/engineSupport.js';

/**
 * A token whose checksum fails has the provider's exact shape but was not issued as it stands, so it
 * cannot authenticate. It is still reported, the way scanners without checksums report it, but at
 * `low` (below the default --fail-on medium) and the message says why; a structure check (a JWT)
 * still drops what fails it.
 */
const random = seededRandom('checksums');

function findingsIn(text: string) {
  return scanFiles(engineWith(), { 'src/deploy.js': text }).map((f) => ({ ruleId: f.ruleId, severity: f.severity, secret: f.secret, message: f.message }));
}

it.each([
  ['ghp_', 'github-personal-access-token', 30],
  ['npm_', 'npm-access-token', 30],
])('reports a %s token whose checksum fails at low severity, saying it cannot authenticate', (prefix, ruleId, length) => {
  const good = checksumToken(random, prefix, length, true);
  const bad = checksumToken(random, prefix, length, false);

  const verified = findingsIn(`const token = "${good}";\n`);
  expect(verified).toEqual([expect.objectContaining({ ruleId, severity: 'critical', secret: good })]);
  const message = verified[0]!.message;
  expect(message).not.toMatch(/checksum/);

  // Alone on its line, and where a generic rule (`api_key = "…"`) would also match: one finding.
  for (const line of [`const token = "${bad}";\n`, `API_KEY = "${bad}"\n`]) {
    expect(findingsIn(line)).toEqual([
      {
        ruleId,
        severity: 'low',
        secret: bad,
        message: `${message}: its checksum does not verify, so it cannot authenticate as it stands (probably a made-up or mistyped token); if it is a copy of a real one, revoke that`,
      },
    ]);
  }
});

/**
 * Where the token sits does not make it authenticate: with the default configuration it stays `low`
 * in production config and test data too. An environment floor the user set (`policy.production.
 * minSeverity`, often locked by an organisation) applies to every finding in those files, this one
 * included: there a mistyped copy of the production token is the likely story, and the floor is the
 * user's own choice to review everything.
 */
it('keeps a token whose checksum fails at low in every environment, unless a floor the user set raises it', () => {
  const tokens = Array.from({ length: 4 }, () => checksumToken(random, 'ghp_', 30, false));
  const files = {
    '.env.production': `GITHUB_TOKEN=${tokens[0]}\n`,
    '.env.development': `GITHUB_TOKEN=${tokens[1]}\n`,
    'test/fixtures/recording.json': `{ "token": "${tokens[2]}" }\n`,
    'src/deploy.js': `const token = "${tokens[3]}";\n`,
  };
  const graded = (changes: Parameters<typeof engineWith>[0]) =>
    scanFiles(engineWith(changes), files)
      .map((f) => `${f.file} ${f.ruleId} ${f.environment} ${f.category} ${f.severity}`)
      .sort();
  expect(graded({})).toEqual([
    '.env.development github-personal-access-token development live-key low',
    '.env.production github-personal-access-token production live-key low',
    'src/deploy.js github-personal-access-token unknown live-key low',
    'test/fixtures/recording.json github-personal-access-token test fixture low',
  ]);
  expect(graded({ policy: { production: { minSeverity: 'medium' } } })).toContain('.env.production github-personal-access-token production live-key medium');
});

it('does not report a token a person typed, whose checksum fails', () => {
  for (const typed of ['DeployBotReadOnlyToken' + '0'.repeat(14), 'abc' + '1'.repeat(33)]) {
    expect(typed).toHaveLength(36);
    expect(findingsIn(`const token = "ghp_${typed}";\n`)).toEqual([]);
  }
});

it("does not report GitHub's documentation examples", () => {
  expect(findingsIn('{"access_token":"gho_16C7e42F292c6912E7710c838347Ae178B4a","token_type":"bearer"}\n')).toEqual([]);
});

it('still drops a match that fails a structure check', () => {
  const segment = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
  const payload = segment({ sub: '42', name: 'deploy bot', iat: 1767225600 });
  const signature = checksumToken(random, '', 37, true); // 43 base64url characters: 32 bytes
  const signed = `${segment({ alg: 'HS256', typ: 'JWT' })}.${payload}.${signature}`;
  // An unsigned token (`alg: none`) grants nothing a forger could not make: not a JWT finding.
  const unsigned = `${segment({ alg: 'none', typ: 'JWT' })}.${payload}.${signature}`;
  const jwts = (token: string) => findingsIn(`const session = "${token}";\n`).filter((f) => f.ruleId === 'jwt');
  expect(jwts(signed)).toHaveLength(1);
  expect(jwts(unsigned)).toEqual([]);
});
