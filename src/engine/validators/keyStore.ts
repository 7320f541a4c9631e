import { children, oid, readTlv, readWhole, TAG, type Tlv } from './der.js';

/**
 * A file validator of the key store path rules (rules/key-stores.yml): false only when the file's
 * bytes prove it holds no secret, so that a store of public certificates is not reported as a key.
 *
 * - An empty file (`touch release.p12` in a test setup) holds nothing.
 * - A Java KeyStore (JKS, magic `FEEDFEED`, or JCEKS, `CECECECE`) lists its entries in the clear
 *   (only keys are encrypted): one whose every entry is a trusted certificate is a trust store
 *   (`truststore.jks`, `cacerts`) and holds no secret.
 * - A PKCS#12 file (`.p12`, `.pfx`, and what Java 9+ writes to `.jks` and `.keystore` by default)
 *   whose contents are all in the clear and hold certificate bags only is a trust store too. Most
 *   tools encrypt the certificate part, so such a file cannot be judged and is reported.
 *
 * Anything else (an unknown layout, a Git LFS pointer: the store itself is then in the
 * repository's LFS storage, bytes that do not parse) is reported: the path says it is a key store.
 */
export function keyStoreMayHoldSecret(content: Uint8Array): boolean {
  if (content.length === 0) return false;
  const magic = content.length >= 4 ? ((content[0]! << 24) >>> 0) + (content[1]! << 16) + (content[2]! << 8) + content[3]! : 0;
  if (magic === 0xfeedfeed || magic === 0xcececece) return javaKeyStoreHasKey(content) !== false;
  if (content[0] === TAG.SEQUENCE) return pkcs12HasKey(content) !== false;
  return true;
}

/** Entry tags of a JKS / JCEKS file (sun.security.provider.JavaKeyStore). */
const PRIVATE_KEY_ENTRY = 1;
const TRUSTED_CERT_ENTRY = 2;

/** True: a private or secret key entry; false: trusted certificates only; undefined: cannot tell. */
function javaKeyStoreHasKey(bytes: Uint8Array): boolean | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 4;
  const int = (): number | undefined => {
    if (at + 4 > bytes.length) return undefined;
    const value = view.getInt32(at);
    at += 4;
    return value;
  };
  const skip = (n: number | undefined): boolean => {
    if (n === undefined || n < 0 || at + n > bytes.length) return false;
    at += n;
    return true;
  };
  /** A Java modified-UTF-8 string: two bytes of length, then the bytes. */
  const skipUtf = (): boolean => at + 2 <= bytes.length && skip(view.getUint16((at += 2) - 2));
  const version = int();
  const count = int();
  if ((version !== 1 && version !== 2) || count === undefined || count < 0) return undefined;
  for (let i = 0; i < count; i++) {
    const tag = int();
    if (tag === PRIVATE_KEY_ENTRY || (tag !== undefined && tag > TRUSTED_CERT_ENTRY)) return true;
    if (tag !== TRUSTED_CERT_ENTRY) return undefined;
    // alias, date, (version 2) certificate type, certificate.
    if (!skipUtf() || !skip(8) || (version === 2 && !skipUtf()) || !skip(int())) return undefined;
  }
  // What follows the entries is the store's 20-byte SHA-1 integrity check, and nothing else.
  return at + 20 === bytes.length ? false : undefined;
}

const PKCS7_DATA = '1.2.840.113549.1.7.1';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const CRL_BAG = '1.2.840.113549.1.12.10.1.4';

/** True or undefined unless every content is in the clear and holds certificates (or CRLs) only. */
function pkcs12HasKey(bytes: Uint8Array): boolean | undefined {
  const pfx = readWhole(bytes, TAG.SEQUENCE);
  const parts = pfx && children(bytes, pfx);
  if (!parts || parts.length < 2 || parts[0]!.tag !== TAG.INTEGER) return undefined;
  const authSafe = dataContent(bytes, parts[1]!);
  if (!authSafe) return undefined;
  const contentInfos = readWhole(authSafe, TAG.SEQUENCE);
  const infos = contentInfos && children(authSafe, contentInfos);
  if (!infos || infos.length === 0) return undefined;
  for (const info of infos) {
    // An encrypted or enveloped part cannot be looked into.
    const safeContents = dataContent(authSafe, info);
    if (!safeContents) return undefined;
    const list = readWhole(safeContents, TAG.SEQUENCE);
    const bags = list && children(safeContents, list);
    if (!bags) return undefined;
    for (const bag of bags) {
      const fields = bag.tag === TAG.SEQUENCE ? children(safeContents, bag) : undefined;
      const id = fields?.[0] && oid(safeContents, fields[0]);
      if (id !== CERT_BAG && id !== CRL_BAG) return id === undefined ? undefined : true;
    }
  }
  return false;
}

/** The bytes of a ContentInfo of type `data`: `SEQUENCE { OID data, [0] { OCTET STRING } }`. */
function dataContent(bytes: Uint8Array, info: Tlv): Uint8Array | undefined {
  if (info.tag !== TAG.SEQUENCE) return undefined;
  const fields = children(bytes, info);
  if (!fields || fields.length !== 2 || oid(bytes, fields[0]!) !== PKCS7_DATA || fields[1]!.tag !== TAG.CONTEXT_0) return undefined;
  const octets = readTlv(bytes, fields[1]!.body, fields[1]!.end);
  return octets?.tag === TAG.OCTET_STRING && octets.end === fields[1]!.end ? bytes.subarray(octets.body, octets.end) : undefined;
}
