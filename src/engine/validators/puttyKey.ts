/**
 * A PuTTY private key file (`PuTTY-User-Key-File-2:` / `-3:`), as the `putty-private-key` rule
 * matches it, from the header to `Private-MAC`. The file says how it is protected on its second
 * line: `Encryption: none`, or a cipher (`aes256-cbc`) with a passphrase. It is a key when
 * `Public-Lines` and `Private-Lines` count the base64 lines that follow them, the public blob
 * starts with the key type the header names (SSH wire format: a length, then the name), and the
 * private blob has substance (an encrypted one: whole 16-byte AES blocks).
 *
 * The verdict is `plain`, `encrypted` or undefined (not a key file): `putty-private-key` reports
 * plain ones, `putty-private-key-encrypted` encrypted ones (see docs/rules/private-keys.md).
 */
export type PuttyProtection = 'plain' | 'encrypted';

const HEADER = /^PuTTY-User-Key-File-[23]: ([a-z0-9@.-]{3,40})$/;
const BASE64_LINE = /^[A-Za-z0-9+/]{1,100}={0,2}$/;

export function puttyKey(text: string): PuttyProtection | undefined {
  const lines = text
    .replace(/\\r|\\n/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const type = HEADER.exec(lines[0] ?? '')?.[1];
  const encryption = /^Encryption: (\S+)$/.exec(lines[1] ?? '')?.[1];
  if (!type || !encryption) return undefined;
  const blob = (name: string) => {
    const at = lines.findIndex((l) => l.startsWith(`${name}-Lines: `));
    const count = at === -1 ? NaN : Number(lines[at]!.slice(name.length + 8));
    if (!Number.isInteger(count) || count < 1) return undefined;
    const body = lines.slice(at + 1, at + 1 + count);
    if (body.length !== count || !body.every((l) => BASE64_LINE.test(l))) return undefined;
    return Buffer.from(body.join(''), 'base64');
  };
  const publicBlob = blob('Public');
  const privateBlob = blob('Private');
  if (!publicBlob || !privateBlob) return undefined;
  const nameLength = publicBlob.length >= 4 ? publicBlob.readUInt32BE(0) : -1;
  if (publicBlob.subarray(4, 4 + nameLength).toString('latin1') !== type) return undefined;
  if (!lines.some((l) => /^Private-(?:MAC|Hash): (?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(l))) return undefined;
  if (encryption === 'none') return privateBlob.length >= 16 ? 'plain' : undefined;
  return privateBlob.length >= 16 && privateBlob.length % 16 === 0 ? 'encrypted' : undefined;
}

/** The `putty-private-key` rule: a key file without a passphrase. */
export const puttyKeyValid = (text: string): boolean => puttyKey(text) === 'plain';
/** The `putty-private-key-encrypted` rule: a key file protected by a passphrase. */
export const encryptedPuttyKeyValid = (text: string): boolean => puttyKey(text) === 'encrypted';
