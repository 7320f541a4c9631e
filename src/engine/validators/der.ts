/**
 * Just enough DER (ASN.1's binary encoding) to judge whether bytes have the shape of a key: read a
 * tag-length-value, list the children of a constructed value, read an INTEGER's size or value and
 * an OBJECT IDENTIFIER. Anything malformed (a length past the end, an indefinite length, a
 * multi-byte tag) reads as undefined: the validators treat that as "not this structure".
 */
export interface Tlv {
  tag: number;
  /** Offset of the value's first byte. */
  body: number;
  /** Offset just past the value. */
  end: number;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** `[0]` constructed: explicit tags of ContentInfo and SafeBag values. */
  CONTEXT_0: 0xa0,
} as const;

/** The TLV starting at `at`, which must end by `limit`. */
export function readTlv(bytes: Uint8Array, at: number, limit = bytes.length): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = bytes[at]!;
  // High tag numbers (0x1f) appear in no structure these validators read.
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = bytes[at + 1]!;
  let body = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // 0x80 is BER's indefinite length, never DER; over four bytes no key file needs.
    if (count === 0 || count > 4 || body + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[body + i]!;
    body += count;
  }
  const end = body + length;
  return end <= limit ? { tag, body, end } : undefined;
}

/** The whole of `bytes` as one TLV of tag `tag`, with nothing after it (a truncated or padded copy fails). */
export function readWhole(bytes: Uint8Array, tag: number): Tlv | undefined {
  const tlv = readTlv(bytes, 0);
  return tlv && tlv.tag === tag && tlv.end === bytes.length ? tlv : undefined;
}

/** The values inside a constructed value, which must fill it exactly. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  for (let at = parent.body; at < parent.end; ) {
    const child = readTlv(bytes, at, parent.end);
    if (!child) return undefined;
    out.push(child);
    at = child.end;
  }
  return out;
}

/** A non-negative INTEGER's value (DER integers are two's complement: a negative one is undefined). */
export function integerValue(bytes: Uint8Array, tlv: Tlv): bigint | undefined {
  if (tlv.tag !== TAG.INTEGER || tlv.end === tlv.body || bytes[tlv.body]! & 0x80) return undefined;
  let value = 0n;
  for (let i = tlv.body; i < tlv.end; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/** Bits of a non-negative INTEGER (0 for zero), or undefined for anything else. */
export function integerBits(bytes: Uint8Array, tlv: Tlv): number | undefined {
  const value = integerValue(bytes, tlv);
  return value === undefined ? undefined : value.toString(2).length - (value === 0n ? 1 : 0);
}

/** An OBJECT IDENTIFIER in dotted form (`1.2.840.113549.1.1.1`). */
export function oid(bytes: Uint8Array, tlv: Tlv): string | undefined {
  if (tlv.tag !== TAG.OID || tlv.end === tlv.body) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.body; i < tlv.end; i++) {
    const b = bytes[i]!;
    value = value * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (arcs.length === 0) arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
    else arcs.push(value);
    value = 0;
  }
  return arcs.join('.');
}
