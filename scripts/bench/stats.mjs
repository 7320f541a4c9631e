// Medians, ranges and round-by-round ratios.

function median(xs) {
  if (!xs.length) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const range = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : undefined);

/** Pairs the runs of two tools round by round and summarises a per-round statistic of them. */
function paired(a, b, f) {
  const out = [];
  for (let r = 0; r < Math.max(a.runs.length, b.runs.length); r++) {
    if (a.runs[r] && b.runs[r]) out.push(f(a.runs[r].ms, b.runs[r].ms));
  }
  return range(out);
}

function keyfenceCheck(sc, output) {
  if (!output) return undefined;
  if (output.parseError) return { text: `could not read keyfence's JSON report: ${output.parseError}`, warn: true };
  const s = output.stats ?? {};
  const parts = [];
  let warn = false;
  if (sc.expect.files !== undefined) {
    parts.push(`scanned ${Number(s.files).toLocaleString('en-US')} of ${sc.expect.files.toLocaleString('en-US')} files`);
    if (s.files !== sc.expect.files) warn = true;
  }
  if (sc.expect.bytes !== undefined && s.bytes !== sc.expect.bytes) {
    parts.push(`${(s.bytes / 1e6).toFixed(1)} of ${(sc.expect.bytes / 1e6).toFixed(1)} MB`);
    warn = true;
  }
  if (sc.expect.commits !== undefined) {
    parts.push(`${Number(s.commits).toLocaleString('en-US')} of ${sc.expect.commits.toLocaleString('en-US')} commits`);
    if (s.commits !== sc.expect.commits) warn = true;
  }
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  parts.push(`${output.findings} findings${sc.expect.planted !== undefined ? ` (${sc.expect.planted} planted)` : ''}`);
  return { text: parts.join(', '), warn };
}

export function summarise(sc, tools, rounds) {
  const floor = tools.find((t) => t.role === 'floor');
  const keyfence = tools.find((t) => t.role === 'keyfence');
  const out = tools.map((t) => {
    const runs = t.runs.filter(Boolean);
    const ms = runs.map((r) => r.ms);
    const summary = {
      id: t.id,
      label: t.label,
      role: t.role,
      status: t.status,
      reason: t.reason,
      runs: t.runs,
      warmup: t.warmup,
      time: range(ms),
      rssMaxKb: runs.length ? Math.max(...runs.map((r) => r.rssKb), t.warmup?.rssKb ?? 0) : t.warmup?.rssKb,
      // Runs before page faults were measured have none.
      faults: runs.every((r) => r.faults !== undefined) ? range(runs.map((r) => r.faults))?.median : undefined,
      findings: t.output?.findings,
    };
    if (summary.time) {
      const sec = summary.time.median / 1000;
      if (sc.amount.bytes) summary.mbps = sc.amount.bytes / 1e6 / sec;
      if (sc.amount.commits) summary.commitsPerS = sc.amount.commits / sec;
    }
    if (t !== floor && floor?.runs.length && runs.length) {
      summary.vsFloor = paired(t, floor, (x, f) => x / f);
      summary.overFloorMs = paired(t, floor, (x, f) => x - f);
    }
    if (t !== keyfence && keyfence?.runs.length && runs.length) summary.vsKeyfence = paired(t, keyfence, (x, k) => x / k);
    if (t.role === 'keyfence') summary.check = keyfenceCheck(sc, t.output);
    else if (t.output && t.output.findings !== undefined) summary.check = { text: `${t.output.findings} findings` };
    if (t.status === 'ok' && runs.length < rounds) {
      summary.status = 'incomplete';
    }
    return summary;
  });
  const { tools: _tools, ...rest } = sc;
  return { ...rest, rounds, tools: out };
}
