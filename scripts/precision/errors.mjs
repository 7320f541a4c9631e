// The one kind of failure that is not a measurement: the corpus or the scanner could not be set up.

/**
 * A setup problem (a pinned package no longer served, a tool missing, a scan that could not run):
 * `npm run precision` prints its message as one line and exits 2, so a CI log tells it apart from
 * a rate over the target (exit 1).
 */
export class SetupError extends Error {}
