import { isPlaceholder } from '../placeholder.js';

/**
 * The credential of an HTTP `Authorization: Basic …` header (RFC 7617): base64 of `user:password`.
 * A match is a credential only when it decodes to printable UTF-8 text holding a colon and a
 * password that is not a placeholder. Random base64 (a test's `Basic notabase64token`, a hash
 * pasted as a stand-in) decodes to bytes that are almost never all printable, so it fails.
 *
 * An empty password is fine when the user name is itself a token (`sk_live_…:`, the way Stripe,
 * Mailgun and others take an API key in the user field): then the token is the secret.
 *
 * Not credentials: a password the shared placeholder filter recognises (`changeme`, `<password>`,
 * `${PASSWORD}`, `xxxx`), a pair whose password repeats the user name (`admin:admin`,
 * `guest:guest`: a product's default, documented for every install), and the placeholder pairs
 * documentation uses (`user:pass`, `username:password`, `foo:bar`).
 */
const PLACEHOLDER_PASSWORDS = new Set([
  'pass',
  'password',
  'passwd',
  'pwd',
  'secret',
  'bar',
  'test',
  'testing',
  'example',
  'default',
  'admin',
  'root',
  'guest',
  'letmein',
  'qwerty',
  'pa$$word',
  'p@ssword',
  'p@ssw0rd',
  'passw0rd',
  'password1',
  'password123',
  'secret123',
  'pass123',
  'mypassword',
  'yourpassword',
  'open sesame',
]);

/** A user name that is itself a credential: long, with letters and digits. */
const TOKEN_USER = /^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_.+/=-]{20,}$/;

export function basicAuthValid(secret: string): boolean {
  const body = secret.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]+$/.test(body) || body.length % 4 === 1) return false;
  const decoded = Buffer.from(body, 'base64');
  const text = decoded.toString('utf8');
  // Not UTF-8 (a replacement character), or control characters: bytes, not a user and a password.
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  if (text.includes('\uFFFD') || /[\x00-\x1f\x7f]/.test(text)) return false;
  const colon = text.indexOf(':');
  if (colon === -1) return false;
  const user = text.slice(0, colon);
  const password = text.slice(colon + 1);
  if (password === '') return TOKEN_USER.test(user) && !isPlaceholder(user);
  if (password === user || PLACEHOLDER_PASSWORDS.has(password.toLowerCase())) return false;
  return !isPlaceholder(password);
}
