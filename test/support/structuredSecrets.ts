/**
 * Example templates for secrets that have a structure the validators check (rules/README.md,
 * "Example templates"): PEM and OpenSSH private keys, HTTP basic credentials, JWTs, and binary key
 * stores. Everything is made from the seeded generator, so a run can be repeated exactly:
 *
 * - RSA keys are real: two primes found with Miller–Rabin from seeded candidates (a 1024-bit key
 *   takes a few tens of milliseconds, 2048 a few hundred), made into PKCS#1 by hand; EC and Ed25519
 *   keys are a seeded private value that node:crypto completes and exports. Encrypted forms are
 *   encrypted for real (PBES2 with PBKDF2 and AES-256-CBC; OpenSSL's traditional `Proc-Type` with
 *   AES-128-CBC), with a seeded salt and IV, under the passphrase `keyfence-test`: node:crypto can
 *   open them. Only the encrypted OpenSSH key holds random bytes in place of its ciphertext
 *   (node:crypto has no bcrypt KDF).
 * - Key stores are laid out as Java's keytool and OpenSSL write them, with random bytes where a
 *   store holds ciphertext, certificates and digests.
 *
 * Keys are cached per seed, so the placeholder tests, which expand every example twice, pay once.
 */
import { createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { seededRandom, type Random } from './fakeSecrets.js';

export const PASSPHRASE = 'keyfence-test';

const bytes = (random: Random, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));

// ---------------------------------------------------------------------------------------------
// DER

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v >>= 8) out.unshift(v & 0xff);
  return Buffer.from([0x80 | out.length, ...out]);
}
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const octets = (body: Buffer) => tlv(0x04, body);
const explicit0 = (...parts: Buffer[]) => tlv(0xa0, ...parts);
const NULL = Buffer.from([0x05, 0x00]);
function integer(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return tlv(0x02, Buffer.from(hex, 'hex'));
}
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const arc of rest) {
    const group = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) group.unshift((v & 0x7f) | 0x80);
    out.push(...group);
  }
  return tlv(0x06, Buffer.from(out));
}

// ---------------------------------------------------------------------------------------------
// RSA from seeded primes

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const SMALL_PRIMES: number[] = [];
for (let n = 3; SMALL_PRIMES.length < 200; n += 2) if (SMALL_PRIMES.every((p) => n % p !== 0)) SMALL_PRIMES.push(n);

function probablePrime(n: bigint): boolean {
  for (const p of SMALL_PRIMES) if (n % BigInt(p) === 0n) return n === BigInt(p);
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  witness: for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < r; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

/** A prime of exactly `bits` bits whose top two bits are set (so p·q has 2·bits bits), with p-1 prime to 65537. */
function prime(random: Random, bits: number): bigint {
  let candidate = BigInt(`0x${bytes(random, bits / 8).toString('hex')}`) | (3n << BigInt(bits - 2)) | 1n;
  while (!probablePrime(candidate) || (candidate - 1n) % 65537n === 0n) candidate += 2n;
  return candidate;
}

/** A PKCS#1 RSAPrivateKey of `bits` bits. */
function rsaKey(random: Random, bits: number): Buffer {
  const e = 65537n;
  const p = prime(random, bits / 2);
  let q = prime(random, bits / 2);
  while (q === p) q = prime(random, bits / 2);
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  return seq(...[0n, n, e, d, p, q, d % (p - 1n), d % (q - 1n), modInverse(q, p)].map(integer));
}

// ---------------------------------------------------------------------------------------------
// Keys

const OIDS = {
  rsa: '1.2.840.113549.1.1.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  prime256v1: '1.2.840.10045.3.1.7',
};

interface Pem {
  label: string;
  headers?: string[];
  der: Buffer;
  /** Characters per base64 line: 64, or 70 for OpenSSH. */
  width?: number;
}

function pemLines({ label, headers, der, width = 64 }: Pem): string[] {
  const body = der.toString('base64').match(new RegExp(`.{1,${width}}`, 'g'))!;
  return [`-----BEGIN ${label}-----`, ...(headers ? [...headers, ''] : []), ...body, `-----END ${label}-----`];
}

function pkcs8Rsa(pkcs1: Buffer): Buffer {
  return seq(integer(0n), seq(oid(OIDS.rsa), NULL), octets(pkcs1));
}

/** PKCS#8 EncryptedPrivateKeyInfo: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC. */
function encryptPkcs8(random: Random, pkcs8: Buffer): Buffer {
  const salt = bytes(random, 16);
  const iv = bytes(random, 16);
  const iterations = 2048;
  const key = pbkdf2Sync(PASSPHRASE, salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  const kdf = seq(oid(OIDS.pbkdf2), seq(octets(salt), integer(BigInt(iterations)), seq(oid(OIDS.hmacSha256), NULL)));
  return seq(seq(oid(OIDS.pbes2), seq(kdf, seq(oid(OIDS.aes256Cbc), octets(iv)))), octets(encrypted));
}

/** OpenSSL's traditional encryption (`Proc-Type: 4,ENCRYPTED`): AES-128-CBC, key = MD5(passphrase ‖ IV[0..8]). */
function encryptTraditional(random: Random, der: Buffer): { headers: string[]; der: Buffer } {
  const iv = bytes(random, 16);
  const key = createHash('md5').update(PASSPHRASE).update(iv.subarray(0, 8)).digest();
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  return {
    headers: ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${iv.toString('hex').toUpperCase()}`],
    der: Buffer.concat([cipher.update(der), cipher.final()]),
  };
}

function ecKey(random: Random): Buffer {
  const d = bytes(random, 32);
  d[0] = d[0]! & 0x7f; // below the group order
  const sec1 = seq(integer(1n), octets(d), explicit0(oid(OIDS.prime256v1)));
  return createPrivateKey({ key: sec1, format: 'der', type: 'sec1' }).export({ format: 'der', type: 'sec1' });
}

function ed25519Key(random: Random): { pkcs8: Buffer; seed: Buffer; publicKey: Buffer } {
  const seed = bytes(random, 32);
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  return { pkcs8, seed, publicKey: Buffer.from(jwk.x!, 'base64url') };
}

const sshString = (value: Buffer | string) => {
  const body = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const size = Buffer.alloc(4);
  size.writeUInt32BE(body.length);
  return Buffer.concat([size, body]);
};
const uint32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
};

/** An OpenSSH ed25519 key (`openssh-key-v1`), unencrypted or with random bytes for its aes256-ctr ciphertext. */
function openSshKey(random: Random, encrypted: boolean): Buffer {
  const { seed, publicKey } = ed25519Key(random);
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  const check = Math.floor(random() * 2 ** 32);
  let section = Buffer.concat([uint32(check), uint32(check), sshString('ssh-ed25519'), sshString(publicKey), sshString(Buffer.concat([seed, publicKey])), sshString('deploy@ci')]);
  const block = encrypted ? 16 : 8;
  const padding = (block - (section.length % block)) % block;
  section = Buffer.concat([section, Buffer.from(Array.from({ length: padding }, (_, i) => i + 1))]);
  if (encrypted) section = bytes(random, section.length);
  return Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString(encrypted ? 'aes256-ctr' : 'none'),
    sshString(encrypted ? 'bcrypt' : 'none'),
    sshString(encrypted ? Buffer.concat([sshString(bytes(random, 16)), uint32(16)]) : Buffer.alloc(0)),
    uint32(1),
    sshString(publicBlob),
    sshString(section),
  ]);
}

const keyCache = new Map<string, Pem>();

/** The key of a `{{pem:KIND…}}` template, before it is laid out. */
function makeKey(kind: string, bits: number, random: Random): Pem {
  switch (kind) {
    case 'rsa':
      return { label: 'RSA PRIVATE KEY', der: rsaKey(random, bits) };
    case 'pkcs8':
      return { label: 'PRIVATE KEY', der: pkcs8Rsa(rsaKey(random, bits)) };
    case 'ec':
      return { label: 'EC PRIVATE KEY', der: ecKey(random) };
    case 'ed25519':
      return { label: 'PRIVATE KEY', der: ed25519Key(random).pkcs8 };
    case 'openssh':
      return { label: 'OPENSSH PRIVATE KEY', der: openSshKey(random, false), width: 70 };
    case 'openssh-encrypted':
      return { label: 'OPENSSH PRIVATE KEY', der: openSshKey(random, true), width: 70 };
    case 'rsa-encrypted':
      return { label: 'RSA PRIVATE KEY', ...encryptTraditional(random, rsaKey(random, bits)) };
    case 'pkcs8-encrypted':
      return { label: 'ENCRYPTED PRIVATE KEY', der: encryptPkcs8(random, pkcs8Rsa(rsaKey(random, bits))) };
    default:
      throw new Error(`unknown key kind "${kind}" in a {{pem:…}} template`);
  }
}

/**
 * `{{pem:KIND[:BITS][:FORM]…}}`. KIND: rsa (PKCS#1), pkcs8 (RSA in PKCS#8), ec (SEC1, P-256),
 * ed25519 (PKCS#8), openssh (ed25519), openssh-encrypted, rsa-encrypted (`Proc-Type`),
 * pkcs8-encrypted (`ENCRYPTED PRIVATE KEY`). BITS: RSA modulus size (default 2048). FORM: how the
 * lines are written: on lines (default), `json` (`\n` escapes), `oneline` (spaces), `java` (a
 * string literal per line joined with `+`), `indent=N` (lines after the first indented by N),
 * `truncate` (the body cut after two lines: a shortened copy, not a key).
 */
function pem(args: string[], random: Random): string {
  const [kind = 'rsa', ...options] = args;
  const bits = Number(options.find((o) => /^\d+$/.test(o)) ?? 2048);
  const seed = Math.floor(random() * 2 ** 32);
  const id = `${kind}/${bits}/${seed}`;
  let key = keyCache.get(id);
  if (!key) keyCache.set(id, (key = makeKey(kind, bits, seededRandom(`pem/${id}`))));
  let lines = pemLines(key);
  if (options.includes('truncate')) lines = [...lines.slice(0, 3), lines[lines.length - 1]!];
  if (options.includes('json')) return `${lines.join('\\n')}\\n`;
  if (options.includes('oneline')) return lines.join(' ');
  if (options.includes('java')) return lines.map((l, i) => (i < lines.length - 1 ? `"${l}\\n" +` : `"${l}"`)).join('\n    ');
  const indent = Number(options.find((o) => o.startsWith('indent='))?.slice(7) ?? 0);
  return lines.join(`\n${' '.repeat(indent)}`);
}

// ---------------------------------------------------------------------------------------------
// Credentials and tokens

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const word = (random: Random, n: number) => Array.from({ length: n }, () => ALNUM[Math.floor(random() * ALNUM.length)]).join('');

/** `{{basic:USER}}`: the base64 of `USER:` and a random password of 16 characters. */
function basic(args: string[], random: Random): string {
  return Buffer.from(`${args.join(':') || 'user'}:${word(random, 16)}`).toString('base64');
}

const SIGNATURE_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64, RS256: 256, PS256: 256, ES256: 64, EdDSA: 64, none: 32 };

/**
 * `{{jwt:ALG}}`: a token with a JSON header naming ALG and JSON claims with a random subject. HS256
 * tokens are signed for real with a random key; others carry random bytes of their signature's
 * size. `{{jwt:none}}` is an unsigned token given a signature anyway, for the validator to refuse.
 */
function jwt(args: string[], random: Random): string {
  const alg = args[0] ?? 'HS256';
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg, typ: 'JWT' })}.${part({ sub: `svc-${word(random, 10)}`, iat: 1718000000, exp: 1918000000 })}`;
  const signature = alg === 'HS256' ? createHmac('sha256', bytes(random, 32)).update(signed).digest() : bytes(random, SIGNATURE_BYTES[alg] ?? 32);
  return `${signed}.${signature.toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------------
// Key stores (binary, returned as latin1 text: the example harness turns text holding NUL into bytes)

const int32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeInt32BE(n);
  return out;
};
const javaUtf = (s: string) => {
  const body = Buffer.from(s, 'utf8');
  const size = Buffer.alloc(2);
  size.writeUInt16BE(body.length);
  return Buffer.concat([size, body]);
};
const date = () => Buffer.from('0000018f3a2b1c00', 'hex');

/** A JKS file (version 2): a private key entry, or (`trusted`) two trusted certificates. */
function jks(random: Random, trusted: boolean): Buffer {
  const certificate = () => Buffer.concat([javaUtf('X.509'), int32(700), bytes(random, 700)]);
  const entries = trusted
    ? [0, 1].map((i) => Buffer.concat([int32(2), javaUtf(`ca-${i}`), date(), certificate()]))
    : [Buffer.concat([int32(1), javaUtf('release'), date(), int32(1218), bytes(random, 1218), int32(1), certificate()])];
  return Buffer.concat([Buffer.from('feedfeed', 'hex'), int32(2), int32(entries.length), ...entries, bytes(random, 20)]);
}

const P12 = {
  data: '1.2.840.113549.1.7.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
};

/**
 * A PKCS#12 file as OpenSSL lays it out without certificate encryption: a shrouded key (unless
 * `certsOnly`) and a certificate.
 */
function pkcs12(random: Random, certsOnly: boolean): Buffer {
  const data = (content: Buffer) => seq(oid(P12.data), explicit0(octets(content)));
  const certBag = seq(oid(P12.certBag), explicit0(seq(oid(P12.x509Certificate), explicit0(octets(bytes(random, 700))))));
  const shrouded = seq(seq(oid(P12.pbeSha1TripleDes), seq(octets(bytes(random, 8)), integer(2048n))), octets(bytes(random, 1232)));
  const keyBag = seq(oid(P12.shroudedKeyBag), explicit0(shrouded));
  const contents = certsOnly ? [data(seq(certBag))] : [data(seq(certBag)), data(seq(keyBag))];
  const mac = seq(seq(seq(oid(P12.sha1), NULL), octets(bytes(random, 20))), octets(bytes(random, 8)), integer(2048n));
  return seq(integer(3n), data(seq(...contents)), mac);
}

/** A KeePass 2 database: its signatures and version, then what stands for the encrypted header and body. */
function kdbx(random: Random): Buffer {
  return Buffer.concat([Buffer.from('03d9a29a67fb4bb501000400', 'hex'), bytes(random, 500)]);
}

/** `{{keystore:KIND}}`: jks, jks-trusted, pkcs12, pkcs12-certs, kdbx, as latin1 text. */
function keystore(args: string[], random: Random): string {
  const kind = args[0] ?? 'jks';
  const make: Record<string, () => Buffer> = {
    jks: () => jks(random, false),
    'jks-trusted': () => jks(random, true),
    pkcs12: () => pkcs12(random, false),
    'pkcs12-certs': () => pkcs12(random, true),
    kdbx: () => kdbx(random),
  };
  if (!make[kind]) throw new Error(`unknown key store kind "${kind}" in a {{keystore:…}} template`);
  return make[kind]().toString('latin1');
}

// ---------------------------------------------------------------------------------------------
// Database files and dumps (binary, as latin1 text), for the prod-data-dump-file rule

const lower = (random: Random, n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');

/** Made-up people at the reserved example.com domain: the values of a users table. */
function people(random: Random, n: number): Array<{ email: string; name: string }> {
  return Array.from({ length: n }, (_, i) => {
    const name = `${lower(random, 6)} ${lower(random, 8)}`;
    return { email: `${name.replace(' ', '.')}${i}@example.com`, name };
  });
}

/** A SQLite varint (values below 16384 here). */
const varint = (n: number) => (n < 0x80 ? Buffer.from([n]) : Buffer.from([0x80 | (n >> 7), n & 0x7f]));

/** A SQLite record: its header (size and serial types), then the values (texts and small integers). */
function sqliteRecord(values: Array<string | number | null>): Buffer {
  const types = values.map((v) => (v === null ? 0 : typeof v === 'number' ? 1 : 13 + 2 * Buffer.byteLength(v)));
  const body = values.flatMap((v) => (v === null ? [] : typeof v === 'number' ? [Buffer.from([v])] : [Buffer.from(v)]));
  const header = Buffer.concat(types.map(varint));
  return Buffer.concat([varint(header.length + 1), header, ...body]);
}

/** A table b-tree leaf page: header at `offset` (100 on page 1), cell pointers, cells packed at the end. */
function sqliteLeaf(pageSize: number, offset: number, cells: Buffer[]): Buffer {
  const page = Buffer.alloc(pageSize);
  let content = pageSize;
  cells.forEach((cell, i) => {
    content -= cell.length;
    cell.copy(page, content);
    page.writeUInt16BE(content, offset + 8 + 2 * i);
  });
  page[offset] = 0x0d;
  page.writeUInt16BE(cells.length, offset + 3);
  page.writeUInt16BE(content, offset + 5);
  return page;
}

/**
 * A SQLite 3 database as sqlite3 writes one (it opens it and passes `PRAGMA integrity_check`):
 * page 1 holds the header and the schema, page 2 the `users` table, with 12 rows or (`empty`) none.
 */
function sqlite(random: Random, empty: boolean): Buffer {
  const pageSize = 1024;
  const sql = 'CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT, name TEXT)';
  const cell = (rowid: number, record: Buffer) => Buffer.concat([varint(record.length), varint(rowid), record]);
  const schema = sqliteLeaf(pageSize, 100, [cell(1, sqliteRecord(['table', 'users', 'users', 2, sql]))]);
  const rows = empty ? [] : people(random, 12).map((p, i) => cell(i + 1, sqliteRecord([null, p.email, p.name])));
  const header = Buffer.alloc(100);
  header.write('SQLite format 3\0', 'latin1');
  header.writeUInt16BE(pageSize, 16);
  header.set([1, 1, 0, 64, 32, 32], 18);
  header.writeUInt32BE(1, 24); // change counter
  header.writeUInt32BE(2, 28); // pages
  header.writeUInt32BE(1, 40); // schema cookie
  header.writeUInt32BE(4, 44); // schema format
  header.writeUInt32BE(1, 56); // UTF-8
  header.writeUInt32BE(1, 92); // version-valid-for
  header.writeUInt32BE(3040001, 96);
  header.copy(schema);
  return Buffer.concat([schema, sqliteLeaf(pageSize, 0, rows)]);
}

/** An RDB string: a 6-bit or 14-bit length, then the bytes. */
function rdbString(value: string | Buffer): Buffer {
  const bytes = Buffer.from(value);
  const length = bytes.length < 64 ? Buffer.from([bytes.length]) : Buffer.from([0x40 | (bytes.length >> 8), bytes.length & 0xff]);
  return Buffer.concat([length, bytes]);
}

/** A Redis RDB file (version 11): the auxiliary fields Redis writes, then database 0 with sessions (unless `empty`). */
function rdb(random: Random, empty: boolean): Buffer {
  const aux = (key: string, value: Buffer) => Buffer.concat([Buffer.from([0xfa]), rdbString(key), value]);
  const parts = [
    Buffer.from('REDIS0011'),
    aux('redis-ver', rdbString('7.2.4')),
    aux('redis-bits', Buffer.from([0xc0, 64])),
    aux('ctime', Buffer.from([0xc2, 0x80, 0x5a, 0x6e, 0x66])),
    aux('used-mem', Buffer.from([0xc2, 0x10, 0x2c, 0x10, 0x00])),
    aux('aof-base', Buffer.from([0xc0, 0])),
  ];
  if (!empty) {
    const sessions = people(random, 6).map((p) =>
      Buffer.concat([Buffer.from([0x00]), rdbString(`session:${word(random, 24)}`), rdbString(JSON.stringify({ email: p.email, name: p.name }))]),
    );
    parts.push(Buffer.from([0xfe, 0x00, 0xfb, sessions.length, 0x00]), ...sessions);
  }
  parts.push(Buffer.from([0xff]), bytes(random, 8));
  return Buffer.concat(parts);
}

/** A BSON document of strings, ObjectIds (12-byte buffers) and dates. */
function bson(fields: Array<[string, string | Buffer | Date]>): Buffer {
  const elements = fields.map(([name, value]) => {
    const key = Buffer.from(`${name}\0`);
    if (Buffer.isBuffer(value)) return Buffer.concat([Buffer.from([0x07]), key, value]);
    if (value instanceof Date) {
      const time = Buffer.alloc(8);
      time.writeBigInt64LE(BigInt(value.getTime()));
      return Buffer.concat([Buffer.from([0x09]), key, time]);
    }
    const string = Buffer.from(`${value}\0`);
    const length = Buffer.alloc(4);
    length.writeInt32LE(string.length);
    return Buffer.concat([Buffer.from([0x02]), key, length, string]);
  });
  const body = Buffer.concat([...elements, Buffer.from([0])]);
  const length = Buffer.alloc(4);
  length.writeInt32LE(body.length + 4);
  return Buffer.concat([length, body]);
}

/** A plain pg_dump of a users table, for the compressed kinds. */
function pgDumpText(random: Random): string {
  const rows = people(random, 8).map((p, i) => `${i + 1}\t${p.email}\t${p.name}`);
  return [
    '--',
    '-- PostgreSQL database dump',
    '--',
    '',
    'CREATE TABLE public.users (id integer NOT NULL, email text, name text);',
    '',
    'COPY public.users (id, email, name) FROM stdin;',
    ...rows,
    '\\.',
    '',
  ].join('\n');
}

/** What follows a magic number where a format's body is compressed or opaque: random bytes, with a NUL (binary). */
const body = (random: Random, n: number) => Buffer.concat([Buffer.from([0]), bytes(random, n)]);

/**
 * `{{dump:KIND}}`: the bytes of a database file or dump, as latin1 text. `sqlite` (a users table
 * with rows), `sqlite-empty` (the same table, no rows), `redis` (sessions), `redis-empty`, `bson`
 * (mongodump: users back to back), `pgdump` (pg_dump's custom format), `mssql` (a SQL Server
 * backup: MTF's TAPE block), `mssql-compressed` (MSSQLBAK), `gzip` (a pg_dump, compressed for
 * real), `bzip2`, `xz`, `zstd` (their magic numbers and random bytes), `ole` (not a database: the
 * OLE compound file of Windows' Thumbs.db).
 */
function dump(args: string[], random: Random): string {
  const kind = args[0] ?? 'sqlite';
  const make: Record<string, () => Buffer> = {
    sqlite: () => sqlite(random, false),
    'sqlite-empty': () => sqlite(random, true),
    redis: () => rdb(random, false),
    'redis-empty': () => rdb(random, true),
    bson: () =>
      Buffer.concat(
        people(random, 5).map((p) =>
          bson([
            ['_id', bytes(random, 12)],
            ['email', p.email],
            ['name', p.name],
            ['createdAt', new Date(Date.UTC(2024, 0, 1 + Math.floor(random() * 300)))],
          ]),
        ),
      ),
    // Magic, version 1.14.0, int and offset sizes, format 1 (custom).
    pgdump: () => Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 1]), body(random, 600)]),
    // A TAPE descriptor block: type, attributes, offset to the first event, OS id and version, then the rest.
    mssql: () => Buffer.concat([Buffer.from('TAPE'), Buffer.from([3, 0, 0, 0, 0x5c, 0, 0x0e, 0x01]), body(random, 1000)]),
    'mssql-compressed': () => Buffer.concat([Buffer.from('MSSQLBAK'), body(random, 1000)]),
    gzip: () => gzipSync(pgDumpText(random)),
    bzip2: () => Buffer.concat([Buffer.from('BZh91AY&SY'), body(random, 400)]),
    xz: () => Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), bytes(random, 400)]),
    zstd: () => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), body(random, 400)]),
    ole: () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), body(random, 1000)]),
  };
  if (!make[kind]) throw new Error(`unknown dump kind "${kind}" in a {{dump:…}} template`);
  return make[kind]().toString('latin1');
}

/** The template kinds of this module and what each expands to. */
export const STRUCTURED_TEMPLATES: Record<string, (args: string[], random: Random) => string> = {
  pem,
  basic,
  base64: (args) => Buffer.from(args.join(':')).toString('base64'),
  jwt,
  keystore,
  dump,
};
