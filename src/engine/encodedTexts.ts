/** A base64 value in a text that decodes to text: where it is, and what it says. */
export interface EncodedText {
  start: number;
  end: number;
  decoded: string;
}

/** Long enough to hold a credential (an AWS key id is 20 bytes), short enough to stay cheap to decode. */
const RUN = /[A-Za-z0-9+/]{26,65536}={0,2}/g;
/** A text with more values than this is data (a certificate bundle, a dump), not configuration. */
const MAX_VALUES = 64;

/**
 * The base64 values of a configuration text that decode to printable text: a CI variable holding a
 * whole service-account JSON, a Helm value or a Secret's `data:` holding a key. Random bytes
 * (hashes, keys, certificates, images) do not decode to text and are passed over, and so are runs
 * inside a longer token (base64url, a JWT segment, a path).
 */
export function encodedTexts(text: string): EncodedText[] {
  const found: EncodedText[] = [];
  let runs = 0;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null && runs < MAX_VALUES; m = RUN.exec(text)) {
    runs++;
    const start = m.index;
    const end = start + m[0].length;
    if (TOKEN_BEFORE.test(text[start - 1] ?? ' ') || TOKEN_AFTER.test(text[end] ?? ' ')) continue;
    const bytes = Buffer.from(m[0], 'base64');
    if (isPrintable(bytes)) found.push({ start, end, decoded: bytes.toString('latin1') });
  }
  return found;
}

// `=` may precede a value (`KEY=…`) but not follow one: base64 pads with two at most.
const TOKEN_BEFORE = /[\w.%+/-]/;
const TOKEN_AFTER = /[\w.%=+/-]/;

/** Printable ASCII and line breaks only: what a credential, a JSON document or an .env file decode to. */
function isPrintable(bytes: Buffer): boolean {
  for (const b of bytes) if (b > 126 || (b < 32 && b !== 9 && b !== 10 && b !== 13)) return false;
  return true;
}
