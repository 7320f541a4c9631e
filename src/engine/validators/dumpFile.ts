import { readDump } from '../prodData/dumps.js';

/**
 * The file validator of the dump path rule (rules/prod-data.yml, `prod-data-dump-file`): true when
 * the file's bytes are a database, a database dump or a compressed SQL file holding something,
 * false when they prove it is not one (a text file: an editor's `.bak` copy, a `.db` that is some
 * other format) or holds nothing (an empty file, a database of empty tables).
 *
 * A validator sees the bytes, not the name, so it takes every format the rule's paths may hold:
 * - SQLite (`SQLite format 3\0`): a page past the first (which holds the schema) that is a b-tree
 *   page with cells, i.e. rows (freed pages of deleted rows count too: the rows are still there);
 * - Redis RDB (`REDIS` and 4 digits): a database selected after the header's auxiliary fields
 *   (Redis writes none for an empty dataset);
 * - pg_dump's custom format (`PGDMP` and its version), SQL Server backups (MTF's `TAPE`, or
 *   `MSSQLBAK` for a compressed backup), in binary;
 * - gzip (unless it holds nothing), bzip2 (unless an empty stream), xz and zstd: compressed SQL;
 * - MongoDB BSON (mongodump's `.bson`): a first document that parses as BSON, and documents that
 *   follow one another to the file's end;
 * - text: a SQL dump with data rows, as src/engine/prodData/dumps.ts reads one (`pg_dump -f
 *   db.dump` writes plain SQL; so does a `backup.sql.bak` copy). An editor's `.bak` of a config
 *   file is not one.
 *
 * A Git LFS pointer is reported: the file itself is in the repository's LFS storage.
 */
export function dumpFileMayHoldData(content: Uint8Array): boolean {
  if (content.length === 0) return false;
  if (startsWith(content, LFS_POINTER)) return true;
  if (startsWith(content, SQLITE)) return sqliteHasRows(content);
  if (startsWith(content, REDIS) && isDigits(content, 5, 9)) return redisHasKeys(content);
  if (startsWith(content, PGDMP)) return content[5] === 1 && hasNul(content, 64);
  if (startsWith(content, TAPE) || startsWith(content, MSSQLBAK)) return hasNul(content, 64);
  if (startsWith(content, GZIP)) return !emptyGzip(content);
  if (startsWith(content, BZIP2) && content[3]! >= 0x31 && content[3]! <= 0x39) return !startsWith(content.subarray(4), BZIP2_END);
  if (startsWith(content, XZ) || startsWith(content, ZSTD)) return true;
  // Text (no NUL where git looks for one): a plain SQL dump under another name (`pg_dump -f db.dump`).
  if (!hasNul(content, TEXT_SNIFF)) return readDump(Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8')) !== undefined;
  return bsonDocuments(content);
}

/** Bytes sniffed for a NUL to call a file binary, as git does (src/sources/binary.ts). */
const TEXT_SNIFF = 8000;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const LFS_POINTER = ascii('version https://git-lfs.github.com/spec/');
const SQLITE = ascii('SQLite format 3\0');
const REDIS = ascii('REDIS');
const PGDMP = ascii('PGDMP');
const TAPE = ascii('TAPE');
const MSSQLBAK = ascii('MSSQLBAK');
const GZIP = Uint8Array.of(0x1f, 0x8b, 0x08);
const BZIP2 = ascii('BZh');
/** bzip2's end-of-stream marker (the digits of √π) straight after the header: nothing was compressed. */
const BZIP2_END = Uint8Array.of(0x17, 0x72, 0x45, 0x38, 0x50, 0x90);
const XZ = Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00);
const ZSTD = Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd);

function startsWith(content: Uint8Array, prefix: Uint8Array): boolean {
  if (content.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (content[i] !== prefix[i]) return false;
  return true;
}

function isDigits(content: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!(content[i]! >= 0x30 && content[i]! <= 0x39)) return false;
  return true;
}

/** A NUL in the first `n` bytes: a binary header, not text that happens to start with the magic. */
function hasNul(content: Uint8Array, n: number): boolean {
  return content.subarray(0, n).includes(0);
}

// ---------------------------------------------------------------------------------------------
// SQLite

/** Table and index b-tree pages (leaf and interior): a leaf with cells, or any interior page, holds rows. */
const TABLE_LEAF = 0x0d;
const INDEX_LEAF = 0x0a;
const TABLE_INTERIOR = 0x05;
const INDEX_INTERIOR = 0x02;

function sqliteHasRows(content: Uint8Array): boolean {
  if (content.length < 100) return false;
  const raw = (content[16]! << 8) | content[17]!;
  const pageSize = raw === 1 ? 65536 : raw;
  // Not a power of two from 512 to 65536: a header this reader does not know; the magic says SQLite.
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return true;
  for (let page = pageSize; page + 8 <= content.length; page += pageSize) {
    const type = content[page]!;
    const cells = (content[page + 3]! << 8) | content[page + 4]!;
    if (type === TABLE_INTERIOR || type === INDEX_INTERIOR) return true;
    if ((type === TABLE_LEAF || type === INDEX_LEAF) && cells > 0) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Redis RDB

const RDB_AUX = 0xfa;
const RDB_EOF = 0xff;

/**
 * Walks the auxiliary fields after `REDISdddd` (`redis-ver`, `ctime`, …): what follows them is a
 * database (keys), a function library or module data, or the end of the file (nothing saved).
 */
function redisHasKeys(content: Uint8Array): boolean {
  let at = 9;
  while (at < content.length) {
    const opcode = content[at++];
    if (opcode === RDB_EOF) return false;
    if (opcode !== RDB_AUX) return true;
    at = skipRdbString(content, skipRdbString(content, at));
  }
  return true;
}

/** Past an RDB string: a length-prefixed one, an integer, or LZF-compressed bytes. */
function skipRdbString(content: Uint8Array, at: number): number {
  const first = content[at];
  if (first === undefined) return content.length;
  if (first >> 6 !== 3) {
    const [length, next] = rdbLength(content, at);
    return next + length;
  }
  switch (first & 0x3f) {
    case 0:
      return at + 2;
    case 1:
      return at + 3;
    case 2:
      return at + 5;
    case 3: {
      const [compressed, afterCompressed] = rdbLength(content, at + 1);
      const [, data] = rdbLength(content, afterCompressed);
      return data + compressed;
    }
    default:
      return content.length;
  }
}

/** An RDB length: 6 bits, 14 bits, or 32 / 64 bits big-endian after a marker byte. */
function rdbLength(content: Uint8Array, at: number): [number, number] {
  const first = content[at] ?? 0;
  switch (first >> 6) {
    case 0:
      return [first & 0x3f, at + 1];
    case 1:
      return [((first & 0x3f) << 8) | (content[at + 1] ?? 0), at + 2];
    default: {
      const bytes = first === 0x81 ? 8 : 4;
      let length = 0;
      for (let i = 1; i <= bytes; i++) length = length * 256 + (content[at + i] ?? 0);
      return [Math.min(length, content.length), at + 1 + bytes];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// BSON

/** Deeper nesting than this is not believed (and would cost stack). */
const BSON_MAX_DEPTH = 64;

/** mongodump's `.bson`: documents back to back; the first one must parse, and have a field. */
function bsonDocuments(content: Uint8Array): boolean {
  if (content.length < 7 || content[4] === 0) return false;
  let at = bsonDocumentEnd(content, 0, content.length, 0);
  if (at === -1) return false;
  while (at < content.length) {
    const length = int32(content, at);
    if (length < 5 || at + length > content.length || content[at + length - 1] !== 0) return false;
    at += length;
  }
  return true;
}

function int32(content: Uint8Array, at: number): number {
  if (at + 4 > content.length) return -1;
  return content[at]! | (content[at + 1]! << 8) | (content[at + 2]! << 16) | (content[at + 3]! << 24);
}

/** Past the BSON document at `at` when it parses within `limit`, else -1. */
function bsonDocumentEnd(content: Uint8Array, at: number, limit: number, depth: number): number {
  const length = int32(content, at);
  if (depth > BSON_MAX_DEPTH || length < 5 || at + length > limit || content[at + length - 1] !== 0) return -1;
  const end = at + length - 1;
  let i = at + 4;
  while (i < end) {
    const type = content[i++]!;
    const nameEnd = content.indexOf(0, i);
    if (nameEnd === -1 || nameEnd >= end) return -1;
    i = bsonValueEnd(content, type, nameEnd + 1, end, depth);
    if (i === -1) return -1;
  }
  return i === end ? end + 1 : -1;
}

/** Fixed sizes of BSON values by type; -1: variable. */
const BSON_FIXED: Record<number, number> = {
  0x01: 8, // double
  0x06: 0, // undefined
  0x07: 12, // ObjectId
  0x08: 1, // boolean
  0x09: 8, // UTC datetime
  0x0a: 0, // null
  0x10: 4, // int32
  0x11: 8, // timestamp
  0x12: 8, // int64
  0x13: 16, // decimal128
  0x7f: 0, // max key
  0xff: 0, // min key
};

function bsonValueEnd(content: Uint8Array, type: number, at: number, end: number, depth: number): number {
  const fixed = BSON_FIXED[type];
  if (fixed !== undefined) {
    if (type === 0x08 && content[at]! > 1) return -1;
    return at + fixed <= end ? at + fixed : -1;
  }
  switch (type) {
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return bsonStringEnd(content, at, end);
    case 0x03: // document
    case 0x04: // array
      return bsonDocumentEnd(content, at, end, depth + 1);
    case 0x05: {
      // binary: length, subtype, bytes
      const length = int32(content, at);
      return length >= 0 && at + 5 + length <= end ? at + 5 + length : -1;
    }
    case 0x0b: {
      // regular expression: pattern and options, two C strings
      const pattern = content.indexOf(0, at);
      const options = pattern === -1 ? -1 : content.indexOf(0, pattern + 1);
      return options !== -1 && options < end ? options + 1 : -1;
    }
    case 0x0c: {
      // DBPointer: a string and an ObjectId
      const string = bsonStringEnd(content, at, end);
      return string !== -1 && string + 12 <= end ? string + 12 : -1;
    }
    case 0x0f: {
      // code with scope: total length, string, document
      const length = int32(content, at);
      return length >= 14 && at + length <= end ? at + length : -1;
    }
    default:
      return -1;
  }
}

/** A BSON string: int32 length (with its NUL), the bytes, NUL. */
function bsonStringEnd(content: Uint8Array, at: number, end: number): number {
  const length = int32(content, at);
  if (length < 1 || at + 4 + length > end || content[at + 3 + length] !== 0) return -1;
  return at + 4 + length;
}

/** A gzip file of nothing: small, and its trailer's uncompressed size is 0. */
function emptyGzip(content: Uint8Array): boolean {
  if (content.length > 64) return false;
  if (content.length < 18) return true;
  const n = content.length;
  return (content[n - 4]! | content[n - 3]! | content[n - 2]! | content[n - 1]!) === 0;
}
