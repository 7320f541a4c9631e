/** Bytes sniffed for a NUL to call a file binary, as git does. */
const SNIFF = 8000;

export function isBinary(buffer: Buffer): boolean {
  return buffer.subarray(0, SNIFF).includes(0);
}
