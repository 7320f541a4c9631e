/**
 * The structure validators of #15: a value is reported only when it has the structure of what the
 * rule is about. Keys, credentials and tokens are made at test time (node:crypto, or the seeded
 * templates of test/support/structuredSecrets.ts): no key or token is committed.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicAuthValid } from '../../src/engine/validators/basicAuth.js';
import { jwtValid } from '../../src/engine/validators/jwt.js';
import { keyStoreMayHoldSecret } from '../../src/engine/validators/keyStore.js';
import { pemPrivateKey } from '../../src/engine/validators/privateKey.js';
import { puttyKey } from '../../src/engine/validators/puttyKey.js';
import { VALIDATORS } from '../../src/engine/validators/index.js';
import { expandTemplates, randomString, seededRandom } from '../support/fakeSecrets.js';
import { PASSPHRASE } from '../support/structuredSecrets.js';

const expand = (template: string, seed = template) => expandTemplates(template, seededRandom(seed)).text;
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('registry', () => {
  it('registers every new validator with its kind', () => {
    expect(Object.fromEntries(['basic-auth', 'private-key', 'encrypted-private-key', 'putty-key', 'encrypted-putty-key', 'key-store'].map((id) => [id, VALIDATORS[id]?.kind]))).toEqual({
      'basic-auth': 'structure',
      'private-key': 'structure',
      'encrypted-private-key': 'structure',
      'putty-key': 'structure',
      'encrypted-putty-key': 'structure',
      'key-store': 'file',
    });
  });
});

describe('basic-auth: base64 of a printable user:password', () => {
  const random = seededRandom('basic-auth');
  const password = randomString(random, 'alnum', 16);
  it.each([
    ['a user and a random password', b64(`deploy:${password}`), true],
    ['a password with spaces and symbols', b64(`ci-bot:${password} !#%&`), true],
    ['a UTF-8 user name', b64(`jürgen:${password}`), true],
    ['a token as the user, no password (Stripe style)', b64(`${['sk', 'live', randomString(random, 'alnum', 24)].join('_')}:`), true],
    ['not base64 of text', 'notabase64token', false],
    ['random bytes', randomString(random, 'base64', 40), false],
    ['no colon', b64('deploy-bot'), false],
    ['an empty password', b64('jenkins:'), false],
    ['a short user and no password', b64('api:'), false],
    ['user:pass', b64('user:pass'), false],
    ['username:password', b64('username:password'), false],
    ['admin:admin', b64('admin:admin'), false],
    ['the user name again', b64('grafana:grafana'), false],
    ['a placeholder password', b64('api:changeme'), false],
    ['a reference', b64('deploy:${DEPLOY_PASSWORD}'), false],
    ['a run of one character', b64('deploy:xxxxxxxxxxxx'), false],
    ['control characters', b64(`deploy:${password}\n`), false],
    ['base64 that cannot be (length 1 mod 4)', `${b64(`deploy:${password}`)}A`.replace(/=/g, '').padEnd(45, 'A'), false],
  ])('%s', (_what, value, valid) => {
    expect(basicAuthValid(value)).toBe(valid);
  });
});

describe('jwt: a JSON header naming an algorithm, JSON claims, a signature', () => {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signature = randomString(seededRandom('jwt'), 'base64url', 43);
  const token = (header: unknown, claims: unknown = { sub: 'svc-orders' }) => `${part(header)}.${part(claims)}.${signature}`;
  it.each([
    ['HS256', token({ alg: 'HS256', typ: 'JWT' }), true],
    ['a template token', expand('{{jwt:HS256}}'), true],
    ['RS256 from a template', expand('{{jwt:RS256}}'), true],
    ['alg none (unsigned)', token({ alg: 'none', typ: 'JWT' }), false],
    ['alg NONE', token({ alg: 'NONE' }), false],
    ['{{jwt:none}}', expand('{{jwt:none}}'), false],
    ['no alg', token({ typ: 'JWT' }), false],
    ['alg not a string', token({ alg: 256 }), false],
    ['a header that is an array', token(['HS256']), false],
    ['claims that are not JSON', `${part({ alg: 'HS256' })}.${Buffer.from('not json').toString('base64url')}.${signature}`, false],
    ['a header that is not JSON', `${Buffer.from('{"alg":"HS256"').toString('base64url')}.${part({ sub: 'x' })}.${signature}`, false],
    ['a short signature', `${part({ alg: 'HS256' })}.${part({ sub: 'x' })}.abc`, false],
  ])('%s', (_what, value, valid) => {
    expect(jwtValid(value)).toBe(valid);
  });
});

describe('private keys: the body must be the whole key its label promises', () => {
  const pem = (type: 'pkcs1' | 'pkcs8' | 'sec1', key: ReturnType<typeof generateKeyPairSync>['privateKey']) => key.export({ type, format: 'pem' }) as string;

  it('takes every key node:crypto (OpenSSL) writes, plain and encrypted', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 }).privateKey;
    const verdicts = {
      'rsa pkcs1': pemPrivateKey(pem('pkcs1', rsa)),
      'rsa pkcs8': pemPrivateKey(pem('pkcs8', rsa)),
      'ec sec1': pemPrivateKey(pem('sec1', ec)),
      'ec pkcs8': pemPrivateKey(pem('pkcs8', ec)),
      'dsa pkcs8': pemPrivateKey(pem('pkcs8', dsa)),
      ed25519: pemPrivateKey(pem('pkcs8', generateKeyPairSync('ed25519').privateKey)),
      ed448: pemPrivateKey(pem('pkcs8', generateKeyPairSync('ed448').privateKey)),
      x25519: pemPrivateKey(pem('pkcs8', generateKeyPairSync('x25519').privateKey)),
      'rsa pkcs8 encrypted': pemPrivateKey(rsa.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }) as string),
      'rsa pkcs1 Proc-Type': pemPrivateKey(rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: PASSPHRASE }) as string),
      'ec sec1 Proc-Type': pemPrivateKey(ec.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }) as string),
    };
    expect(verdicts).toEqual({
      'rsa pkcs1': 'plain',
      'rsa pkcs8': 'plain',
      'ec sec1': 'plain',
      'ec pkcs8': 'plain',
      'dsa pkcs8': 'plain',
      ed25519: 'plain',
      ed448: 'plain',
      x25519: 'plain',
      'rsa pkcs8 encrypted': 'encrypted',
      'rsa pkcs1 Proc-Type': 'encrypted',
      'ec sec1 Proc-Type': 'encrypted',
    });
  });

  it('judges the keys the templates make, in every form a key is written', () => {
    const verdict = (template: string) => pemPrivateKey(expand(template));
    expect({
      rsa: verdict('{{pem:rsa:1024}}'),
      'rsa json': verdict('{{pem:rsa:1024:json}}'),
      'rsa one line': verdict('{{pem:rsa:1024:oneline}}'),
      'rsa java literals': verdict('{{pem:rsa:1024:java}}'),
      'rsa indented': verdict('{{pem:rsa:1024:indent=4}}'),
      ec: verdict('{{pem:ec}}'),
      ed25519: verdict('{{pem:ed25519}}'),
      openssh: verdict('{{pem:openssh}}'),
      'openssh encrypted': verdict('{{pem:openssh-encrypted}}'),
      'Proc-Type': verdict('{{pem:rsa-encrypted:1024}}'),
      'pkcs8 encrypted': verdict('{{pem:pkcs8-encrypted:1024}}'),
      'rsa cut short': verdict('{{pem:rsa:1024:truncate}}'),
      'openssh cut short': verdict('{{pem:openssh:truncate}}'),
      'pkcs8 encrypted cut short': verdict('{{pem:pkcs8-encrypted:1024:truncate}}'),
    }).toEqual({
      rsa: 'plain',
      'rsa json': 'plain',
      'rsa one line': 'plain',
      'rsa java literals': 'plain',
      'rsa indented': 'plain',
      ec: 'plain',
      ed25519: 'plain',
      openssh: 'plain',
      'openssh encrypted': 'encrypted',
      'Proc-Type': 'encrypted',
      'pkcs8 encrypted': 'encrypted',
      'rsa cut short': undefined,
      'openssh cut short': undefined,
      'pkcs8 encrypted cut short': undefined,
    });
  });

  it('makes real keys: node:crypto opens them, the encrypted ones with the test passphrase', () => {
    expect(createPrivateKey(expand('{{pem:rsa:1024}}')).asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(createPrivateKey(expand('{{pem:ec}}')).asymmetricKeyType).toBe('ec');
    expect(createPrivateKey({ key: expand('{{pem:pkcs8-encrypted:1024}}'), passphrase: PASSPHRASE }).asymmetricKeyType).toBe('rsa');
    expect(createPrivateKey({ key: expand('{{pem:rsa-encrypted:1024}}'), passphrase: PASSPHRASE }).asymmetricKeyType).toBe('rsa');
  });

  it('refuses what only looks like a key', () => {
    const random = seededRandom('fake keys');
    const lines = (n: number) => Array.from({ length: n }, () => randomString(random, 'base64', 64)).join('\n');
    const rsa = expand('{{pem:rsa:1024}}');
    const body = rsa.split('\n').slice(1, -1);
    // One changed character in the middle: the modulus is no longer p·q.
    const edited = [rsa.split('\n')[0], ...body.map((l, i) => (i === 6 ? `${l.slice(0, 20)}${l[20] === 'A' ? 'B' : 'A'}${l.slice(21)}` : l)), rsa.split('\n').at(-1)].join('\n');
    expect({
      'random base64 under an RSA header': pemPrivateKey(`-----BEGIN RSA PRIVATE KEY-----\nMIIEow${lines(1).slice(6)}\n${lines(4)}\n-----END RSA PRIVATE KEY-----`),
      'random base64 under a PKCS#8 header': pemPrivateKey(`-----BEGIN PRIVATE KEY-----\n${lines(5)}\n-----END PRIVATE KEY-----`),
      'random base64 under an OpenSSH header': pemPrivateKey(`-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n${lines(3)}\n-----END OPENSSH PRIVATE KEY-----`),
      'an edited RSA key': pemPrivateKey(edited),
      'an ellipsis': pemPrivateKey(`-----BEGIN RSA PRIVATE KEY-----\n${body[0]}\n...\n-----END RSA PRIVATE KEY-----`),
      'a short Proc-Type ciphertext': pemPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----'),
    }).toEqual({
      'random base64 under an RSA header': undefined,
      'random base64 under a PKCS#8 header': undefined,
      'random base64 under an OpenSSH header': undefined,
      'an edited RSA key': undefined,
      'an ellipsis': undefined,
      'a short Proc-Type ciphertext': undefined,
    });
  });
});

describe('PuTTY key files: counted lines, the named key type, the encryption line', () => {
  const ppk = (encryption: string, privateBase64: string, type = 'ssh-ed25519', publicBlob = 'AAAAC3NzaC1lZDI1NTE5AAAAI') =>
    `PuTTY-User-Key-File-3: ${type}\nEncryption: ${encryption}\nComment: k\nPublic-Lines: 1\n${publicBlob}${randomString(seededRandom('pub'), 'base64', 43)}\nPrivate-Lines: 1\n${privateBase64}\nPrivate-MAC: ${randomString(seededRandom('mac'), 'hex', 64)}\n`;
  const random = seededRandom('ppk');
  it.each([
    ['unencrypted', ppk('none', randomString(random, 'base64', 48)), 'plain'],
    ['encrypted, whole AES blocks', ppk('aes256-cbc', randomString(random, 'base64', 64)), 'encrypted'],
    ['encrypted, not whole blocks', ppk('aes256-cbc', randomString(random, 'base64', 20)), undefined],
    ['a public blob of another type', ppk('none', randomString(random, 'base64', 48), 'ssh-rsa'), undefined],
    ['a private blob too short', ppk('none', 'AAAA'), undefined],
  ])('%s', (_what, text, verdict) => {
    expect(puttyKey(text)).toBe(verdict);
  });
});

describe('key stores: only bytes that prove there is no secret drop a file', () => {
  const store = (kind: string) => Buffer.from(expand(`{{keystore:${kind}}}`), 'latin1');
  it.each([
    ['a JKS with a private key', store('jks'), true],
    ['a JKS trust store', store('jks-trusted'), false],
    ['a PKCS#12 file with a key', store('pkcs12'), true],
    ['a PKCS#12 file with certificates only, in the clear', store('pkcs12-certs'), false],
    ['a KeePass database', store('kdbx'), true],
    ['an empty file', Buffer.alloc(0), false],
    ['a Git LFS pointer', Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 2563\n'), true],
    ['a JKS cut short', store('jks-trusted').subarray(0, 100), true],
    ['random bytes', Buffer.from(randomString(seededRandom('bytes'), 'alnum', 64)), true],
  ])('%s', (_what, content, holds) => {
    expect(keyStoreMayHoldSecret(content)).toBe(holds);
  });
});
