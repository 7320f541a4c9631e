/**
 * A JSON Web Token in compact JWS form: base64url(header) . base64url(payload) . base64url(signature).
 *
 * A string only counts as a JWT when its header decodes to a JSON object naming a signing algorithm,
 * the algorithm is not `none` (an unsigned token grants nothing a forger could not make), the payload
 * decodes to a JSON object, and the signature decodes to at least 16 bytes. Token-shaped strings that
 * are not tokens (a base64 blob with two dots, a truncated copy) fail one of these checks.
 *
 * A token base64-encoded once more (`ZXlK…`, the encoding of `eyJ`) is decoded first.
 *
 * One kind of real token is public by design and is not reported: a token whose only role is `anon`
 * (Supabase's anonymous key, shipped to every browser; row-level security guards the data).
 */
const SEGMENT = /^[A-Za-z0-9_-]+={0,2}$/;

function decodeSegment(segment: string): Buffer | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  const body = segment.replace(/=+$/, '');
  // A base64 string's length is never 1 modulo 4.
  if (body.length % 4 === 1) return undefined;
  return Buffer.from(body, 'base64url');
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  const bytes = decodeSegment(segment);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT that was base64-encoded once more (as in Kubernetes Secret `data:` values): `ZXlK…`. */
const DOUBLE_ENCODED = /^ZXlK[A-Za-z0-9+/]+={0,2}$/;

export function jwtValid(secret: string): boolean {
  if (DOUBLE_ENCODED.test(secret)) {
    const inner = Buffer.from(secret, 'base64').toString('utf8').trim();
    return inner.startsWith('eyJ') && jwtValid(inner);
  }
  const parts = secret.split('.');
  if (parts.length !== 3) return false;
  const [header, payload, signature] = parts as [string, string, string];
  const head = decodeJsonObject(header);
  if (!head || typeof head.alg !== 'string' || head.alg.length === 0) return false;
  if (head.alg.toLowerCase() === 'none') return false;
  const claims = decodeJsonObject(payload);
  if (!claims) return false;
  if (claims.role === 'anon') return false;
  const sig = decodeSegment(signature);
  return sig !== undefined && sig.length >= 16;
}
