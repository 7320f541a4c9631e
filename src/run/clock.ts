/**
 * Milliseconds on a monotonic clock, for durations. Not `performance.now()`: the first touch of the
 * `performance` global loads perf_hooks and nine modules behind it, 8 M instructions of every
 * commit's hook (callgrind), for a number process.hrtime gives as well.
 */
export function now(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
