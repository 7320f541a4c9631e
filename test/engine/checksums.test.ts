import { expect, it } from 'vitest';
import { checksumToken, seededRandom } from '../support/fakeSecrets.js';
import { engineWith, scanFiles } from '../environment/engineSupport.js';

/**
 * A token whose checksum fails has the provider's exact shape but was not issued as it stands. It is
 * still reported, the way scanners without checksums report it, but below one that verifies, and
 * the message says why; a structure check (a JWT) still drops what fails it.
 */
const random = seededRandom('checksums');

function findingsIn(text: string) {
  return scanFiles(engineWith(), { 'src/deploy.js': text }).map((f) => ({ ruleId: f.ruleId, severity: f.severity, secret: f.secret, message: f.message }));
}

it.each([
  ['ghp_', 'github-personal-access-token', 30],
  ['npm_', 'npm-access-token', 30],
])('reports a %s token whose checksum fails at medium severity, saying why', (prefix, ruleId, length) => {
  const good = checksumToken(random, prefix, length, true);
  const bad = checksumToken(random, prefix, length, false);

  const verified = findingsIn(`const token = "${good}";\n`);
  expect(verified).toEqual([expect.objectContaining({ ruleId, severity: 'critical', secret: good })]);
  expect(verified[0]!.message).not.toMatch(/checksum/);

  // Alone on its line, and where a generic rule (`api_key = "…"`) would also match: one finding.
  for (const line of [`const token = "${bad}";\n`, `API_KEY = "${bad}"\n`]) {
    const unverified = findingsIn(line);
    expect(unverified).toEqual([expect.objectContaining({ ruleId, severity: 'medium', secret: bad })]);
    expect(unverified[0]!.message).toMatch(/checksum does not verify.*revoke/);
  }
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
