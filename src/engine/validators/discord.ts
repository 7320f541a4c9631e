import { isPlaceholder } from '../placeholder.js';

/**
 * A Discord bot token: base64(user id) . timestamp . HMAC, each part base64url without padding.
 *
 * The first part is the bot's user id, a snowflake, written in decimal and base64-encoded: it must
 * decode, in canonical base64, to 17–20 digits without a leading zero, and the time the snowflake
 * carries (its top 42 bits, milliseconds since Discord's epoch, 2015-01-01) must not lie in the
 * future. The second part is 6 characters (4 bytes of time; the format changed in 2022 and newer
 * tokens do not decode to a plain timestamp, so only its length is checked) and the third 27
 * characters (HMAC-SHA1, older tokens) to 38 (tokens issued since 2022).
 *
 * Random `word.word.word` strings, base64 of text and invented ids (`123456789012345678`, runs of one
 * digit) fail, so the rule can run without a keyword on the line.
 *
 * The id is public and the base64 of digits is anything but random, so the shared placeholder filter,
 * which judges the whole match, can miss a token whose HMAC is a placeholder (`A1B2C3…`, `xxxx…`):
 * the HMAC is judged here on its own.
 */
const DISCORD_EPOCH_MS = 1420070400000n;
const DAY_MS = 86400000n;
const FIRST = /^[A-Za-z0-9]{23,27}$/;
const SECOND = /^[A-Za-z0-9_-]{6}$/;
const THIRD = /^[A-Za-z0-9_-]{27,38}$/;
const SNOWFLAKE = /^[1-9][0-9]{16,19}$/;
/** An id typed by a person: a sequential run or one digit repeated. */
const INVENTED_ID = /12345678|23456789|34567890|98765432|87654321|([0-9])\1{6}/;

export function discordBotTokenValid(secret: string): boolean {
  const parts = secret.split('.');
  if (parts.length !== 3) return false;
  const [id, time, hmac] = parts as [string, string, string];
  if (!FIRST.test(id) || !SECOND.test(time) || !THIRD.test(hmac)) return false;
  const digits = Buffer.from(id, 'base64url').toString('latin1');
  // Canonical encoding only: stray low bits in the last character decode to the same bytes.
  if (!SNOWFLAKE.test(digits) || Buffer.from(digits, 'latin1').toString('base64url') !== id) return false;
  if (INVENTED_ID.test(digits) || isPlaceholder(hmac)) return false;
  const created = (BigInt(digits) >> 22n) + DISCORD_EPOCH_MS;
  return created <= BigInt(Date.now()) + DAY_MS;
}
