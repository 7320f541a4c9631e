import { children, integerBits, integerValue, oid, readWhole, TAG, type Tlv } from './der.js';

/**
 * A PEM private key block, as the `private-key` rule matches it (line breaks real, `\n`-escaped,
 * squeezed to spaces, or split over concatenated string literals), judged by what its body decodes
 * to. The regex only sees base64 lines between BEGIN and END; a shortened copy (`MIIEpAIBAAK…` and
 * a few lines, a body edited by hand, lines from two keys) still has that shape. Here the body must
 * be the whole structure its label promises:
 *
 * - `RSA PRIVATE KEY` (PKCS#1): a DER SEQUENCE filling the body exactly, version 0 or 1, a modulus of
 *   at least 512 bits, and (two-prime keys) modulus = p·q, which no edited or invented body keeps;
 * - `EC PRIVATE KEY` (SEC1): version 1 and a private value of 20 to 72 bytes;
 * - `DSA PRIVATE KEY`: six integers, a prime p of at least 512 bits;
 * - `PRIVATE KEY` (PKCS#8): version, algorithm, and a private key of that algorithm, checked as above
 *   (RSA, EC, DSA) or by its fixed size (Ed25519, X25519, Ed448, X448);
 * - `OPENSSH PRIVATE KEY`: `openssh-key-v1\0`, cipher, KDF, one or more public keys, and a private
 *   section whose length fills the body (for an unencrypted key: a multiple of 8, two equal check
 *   numbers, and the public key's type again);
 * - encrypted keys: `ENCRYPTED PRIVATE KEY` (PKCS#8 EncryptedPrivateKeyInfo: algorithm and
 *   ciphertext filling the body) and the traditional `Proc-Type: 4,ENCRYPTED` header (a ciphertext
 *   of whole cipher blocks, at least 64 bytes).
 *
 * The verdict is `plain`, `encrypted` or undefined (not a key): the `private-key` rule reports plain
 * keys at critical, `private-key-encrypted` encrypted ones lower (see docs/rules/private-keys.md).
 */
export type KeyProtection = 'plain' | 'encrypted';

const BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,2})PRIVATE KEY-----/;
const END = /-----END (?:[A-Z0-9]{1,12} ){0,2}PRIVATE KEY-----/;
/** RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: AES-128-CBC,…`): their values hold no space. */
const HEADER = /[A-Za-z][A-Za-z-]{1,19}: ?[^\s"'\\]+/g;
const ENCRYPTED_HEADER = /Proc-Type: ?4,ENCRYPTED/;

const OID = {
  rsa: '1.2.840.113549.1.1.1',
  ec: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  x25519: '1.3.101.110',
  x448: '1.3.101.111',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
};
/** Private key sizes (bytes) of the curves whose PKCS#8 form holds a bare octet string. */
const FIXED_SIZE: Record<string, number> = { [OID.x25519]: 32, [OID.ed25519]: 32, [OID.x448]: 56, [OID.ed448]: 57 };

/** The base64 body of a PEM block however it was written, decoded; undefined when it holds anything else. */
function pemBody(block: string): { label: string; headers: string; bytes: Buffer } | undefined {
  const begin = BEGIN.exec(block);
  if (!begin) return undefined;
  const rest = block.slice(begin.index + begin[0].length);
  const end = END.exec(rest);
  if (!end) return undefined;
  let body = rest.slice(0, end.index).replace(/\\r|\\n/g, '\n');
  const headers = (body.match(HEADER) ?? []).join('\n');
  body = body.replace(HEADER, '');
  // A key split over string literals: `…\n" +` then `"…`. Base64 holds no quote, so a quote is
  // always a literal's edge; the `+` between two literals is an operator, not base64.
  body = body.replace(/["'][\s+]*["']/g, '').replace(/["']/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.replace(/=+$/, '').length % 4 === 1) return undefined;
  return { label: begin[1]!.trim(), headers, bytes: Buffer.from(body, 'base64') };
}

export function pemPrivateKey(block: string): KeyProtection | undefined {
  const pem = pemBody(block);
  if (!pem) return undefined;
  const { label, bytes } = pem;
  if (ENCRYPTED_HEADER.test(pem.headers)) return bytes.length >= 64 && bytes.length % 8 === 0 ? 'encrypted' : undefined;
  switch (label) {
    case 'OPENSSH':
      return openSshKey(bytes);
    case 'ENCRYPTED':
      return encryptedPkcs8(bytes) ? 'encrypted' : undefined;
    case 'RSA':
      return pkcs1Rsa(bytes) ? 'plain' : undefined;
    case 'EC':
      return sec1Ec(bytes) ? 'plain' : undefined;
    case 'DSA':
      return dsaKey(bytes) ? 'plain' : undefined;
    default:
      // `PRIVATE KEY` and labels some tools invent (`ANY PRIVATE KEY`): PKCS#8, else any one of the above.
      return pkcs8(bytes) || pkcs1Rsa(bytes) || sec1Ec(bytes) ? 'plain' : encryptedPkcs8(bytes) ? 'encrypted' : undefined;
  }
}

/** The `private-key` rule: a key that is all there and not encrypted. */
export const privateKeyValid = (block: string): boolean => pemPrivateKey(block) === 'plain';
/** The `private-key-encrypted` rule: a key that is all there, encrypted with a passphrase. */
export const encryptedPrivateKeyValid = (block: string): boolean => pemPrivateKey(block) === 'encrypted';

function sequence(bytes: Uint8Array, tlv?: Tlv): Tlv[] | undefined {
  const whole = tlv ?? readWhole(bytes, TAG.SEQUENCE);
  return whole && whole.tag === TAG.SEQUENCE ? children(bytes, whole) : undefined;
}

/** An inner DER value held in an OCTET STRING (PKCS#8's privateKey). */
function inner(bytes: Uint8Array, octets: Tlv): Uint8Array {
  return bytes.subarray(octets.body, octets.end);
}

function pkcs1Rsa(bytes: Uint8Array): boolean {
  const items = sequence(bytes);
  if (!items || items.length < 9 || items.slice(0, 9).some((t) => t.tag !== TAG.INTEGER)) return false;
  const [version, n, e, , p, q] = items.map((t) => integerValue(bytes, t));
  if (version === undefined || version > 1n || n === undefined || e === undefined || e < 3n) return false;
  if ((integerBits(bytes, items[1]!) ?? 0) < 512) return false;
  // Two-prime keys (version 0): the modulus is the product of the primes that follow it.
  return version === 1n || (p !== undefined && q !== undefined && p > 1n && q > 1n && p * q === n);
}

function sec1Ec(bytes: Uint8Array, tlv?: Tlv): boolean {
  const items = sequence(bytes, tlv);
  if (!items || items.length < 2 || items[1]!.tag !== TAG.OCTET_STRING) return false;
  const size = items[1]!.end - items[1]!.body;
  return integerValue(bytes, items[0]!) === 1n && size >= 20 && size <= 72 && !isZero(bytes.subarray(items[1]!.body, items[1]!.end));
}

function dsaKey(bytes: Uint8Array): boolean {
  const items = sequence(bytes);
  return (
    !!items &&
    items.length === 6 &&
    items.every((t) => t.tag === TAG.INTEGER) &&
    integerValue(bytes, items[0]!) === 0n &&
    (integerBits(bytes, items[1]!) ?? 0) >= 512
  );
}

function pkcs8(bytes: Uint8Array): boolean {
  const items = sequence(bytes);
  if (!items || items.length < 3 || items[1]!.tag !== TAG.SEQUENCE || items[2]!.tag !== TAG.OCTET_STRING) return false;
  const version = integerValue(bytes, items[0]!);
  if (version !== 0n && version !== 1n) return false;
  const algorithm = children(bytes, items[1]!);
  const id = algorithm?.[0] && oid(bytes, algorithm[0]);
  if (!id) return false;
  const key = inner(bytes, items[2]!);
  if (id === OID.rsa) return pkcs1Rsa(key);
  if (id === OID.ec) return sec1Ec(key);
  if (id === OID.dsa) {
    const x = readWhole(key, TAG.INTEGER);
    return !!x && (integerBits(key, x) ?? 0) >= 128;
  }
  const fixed = FIXED_SIZE[id];
  if (fixed !== undefined) {
    const octets = readWhole(key, TAG.OCTET_STRING);
    return !!octets && octets.end - octets.body === fixed && !isZero(key.subarray(octets.body, octets.end));
  }
  // An algorithm not listed here: a private key of some substance.
  return key.length >= 16 && !isZero(key);
}

/** EncryptedPrivateKeyInfo: an algorithm and a ciphertext of whole blocks, filling the body. */
function encryptedPkcs8(bytes: Uint8Array): boolean {
  const items = sequence(bytes);
  if (!items || items.length !== 2 || items[0]!.tag !== TAG.SEQUENCE || items[1]!.tag !== TAG.OCTET_STRING) return false;
  const algorithm = children(bytes, items[0]!);
  const size = items[1]!.end - items[1]!.body;
  return !!algorithm?.[0] && oid(bytes, algorithm[0]) !== undefined && size >= 32 && size % 8 === 0;
}

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** The `openssh-key-v1` container (PROTOCOL.key in OpenSSH's sources). */
function openSshKey(bytes: Buffer): KeyProtection | undefined {
  if (!bytes.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return undefined;
  const reader = new SshReader(bytes, OPENSSH_MAGIC.length);
  const cipher = reader.text();
  const kdf = reader.text();
  const kdfOptions = reader.bytes();
  const count = reader.uint32();
  if (cipher === undefined || kdf === undefined || kdfOptions === undefined) return undefined;
  if (count === undefined || count < 1 || count > 16) return undefined;
  const types: string[] = [];
  for (let i = 0; i < count; i++) {
    const blob = reader.bytes();
    const type = blob && new SshReader(blob, 0).text();
    if (!type || !/^(?:ssh-|ecdsa-|sk-)[\w@.-]+$/.test(type)) return undefined;
    types.push(type);
  }
  const secret = reader.bytes();
  if (!secret || secret.length === 0) return undefined;
  const trailing = bytes.length - reader.at;
  if (cipher === 'none') {
    if (kdf !== 'none' || trailing !== 0 || secret.length % 8 !== 0) return undefined;
    const section = new SshReader(secret, 0);
    const check1 = section.uint32();
    const check2 = section.uint32();
    return check1 !== undefined && check1 === check2 && section.text() === types[0] ? 'plain' : undefined;
  }
  // Encrypted: a bcrypt KDF, whole cipher blocks, and for AEAD ciphers a 16-byte tag after the section.
  return kdf === 'bcrypt' && kdfOptions.length >= 8 && secret.length % 8 === 0 && (trailing === 0 || trailing === 16) ? 'encrypted' : undefined;
}

/** SSH wire format: big-endian uint32 and length-prefixed strings. */
class SshReader {
  constructor(
    private readonly buffer: Uint8Array,
    public at: number,
  ) {}

  uint32(): number | undefined {
    if (this.at + 4 > this.buffer.length) return undefined;
    const b = this.buffer;
    const value = ((b[this.at]! << 24) >>> 0) + (b[this.at + 1]! << 16) + (b[this.at + 2]! << 8) + b[this.at + 3]!;
    this.at += 4;
    return value;
  }

  bytes(): Uint8Array | undefined {
    const length = this.uint32();
    if (length === undefined || this.at + length > this.buffer.length) return undefined;
    const out = this.buffer.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  text(): string | undefined {
    const raw = this.bytes();
    if (raw === undefined) return undefined;
    const text = Buffer.from(raw).toString('latin1');
    return /^[\x21-\x7e]*$/.test(text) ? text : undefined;
  }
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
