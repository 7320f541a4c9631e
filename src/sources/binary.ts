/** Bytes sniffed for a NUL to call a file binary, as git does. */
const SNIFF = 8000;

/**
 * How much of a file over maxFileSize a path rule still sees: its name and first bytes say what it
 * is (a SQLite database, a key store), and such files are often large.
 */
export const PATH_RULE_HEAD_BYTES = 1024 * 1024;

export function isBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, SNIFF).includes(0);
}
