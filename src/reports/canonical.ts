/**
 * JSON with every object's keys sorted: two values that mean the same give the same text whatever
 * order their keys were written in. Merging picks between equal findings and drops repeated
 * reports by it, so the result does not depend on the order of the files.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
