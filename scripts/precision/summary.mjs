// The measurement: blocking findings per MB of scanned text, by rule and by verdict, the corpus by
// language, and the drift against the judged list; as text for people and as JSON for scripts.

import { VERDICTS } from './judged.mjs';

/** The target of issue #15: at most this many blocking findings per MB (10^6 bytes) of text scanned. */
const TARGET_PER_MB = 0.1;

const MB = 1e6;
const mb = (bytes) => bytes / MB;
const fixed = (n, digits) => n.toFixed(digits);
const count = (n) => n.toLocaleString('en-US');

/** The corpus by language (the language of each package in corpus.json), largest first. */
function byLanguage(markers) {
  const langs = new Map();
  for (const m of markers) {
    const l = langs.get(m.language) ?? { language: m.language, packages: 0, files: 0, textFiles: 0, textBytes: 0 };
    l.packages++;
    l.files += m.files;
    l.textFiles += m.textFiles;
    l.textBytes += m.textBytes;
    langs.set(m.language, l);
  }
  return [...langs.values()].sort((a, b) => b.textBytes - a.textBytes);
}

function byRule(findings) {
  const rules = new Map();
  for (const f of findings) {
    const r = rules.get(f.rule) ?? { rule: f.rule, count: 0, falseAlarms: 0 };
    r.count++;
    if (f.verdict === 'false alarm') r.falseAlarms++;
    rules.set(f.rule, r);
  }
  return [...rules.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}

/** Everything a run measured, in one object: what --json prints and what the docs are written from. */
export function summarise({ version, revision, failOn, markers, report, findings, belowFailOn, gone, timings }) {
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, findings.filter((f) => f.verdict === v).length]));
  const perMB = report.stats.bytes ? findings.length / mb(report.stats.bytes) : 0;
  return {
    keyfence: version,
    revision,
    failOn,
    target: TARGET_PER_MB,
    corpus: {
      packages: markers.length,
      files: markers.reduce((s, m) => s + m.files, 0),
      textBytes: markers.reduce((s, m) => s + m.textBytes, 0),
      byLanguage: byLanguage(markers),
    },
    scan: { files: report.stats.files, bytes: report.stats.bytes, skipped: report.stats.skipped ?? 0, durationMs: report.stats.durationMs },
    blocking: findings.length,
    perMB: Number(perMB.toFixed(4)),
    belowFailOn,
    verdicts,
    byRule: byRule(findings),
    findings,
    unjudged: findings.filter((f) => f.verdict === 'unjudged'),
    gone,
    timings,
    ok: perMB <= TARGET_PER_MB && verdicts.unjudged === 0,
  };
}

const where = (f) => `${f.path}:${f.line}`;
const seconds = (ms) => `${fixed(ms / 1000, 1)} s`;

/** The report for people: the list first (it can be long), the numbers last, where a terminal leaves them. */
export function renderText(s) {
  const out = [];
  out.push(`Blocking findings (--fail-on ${s.failOn}), one per line: path:line rule severity — verdict`);
  for (const f of s.findings) out.push(`  ${where(f)} ${f.rule} ${f.severity} — ${f.verdict}`);
  if (s.findings.length === 0) out.push('  (none)');
  out.push('', 'By rule (blocking findings, of which judged false alarms):');
  for (const r of s.byRule) out.push(`  ${String(r.count).padStart(6)}  ${r.rule}${r.falseAlarms ? ` (${r.falseAlarms} false alarms)` : ''}`);
  out.push('', 'Corpus by language (text MB, files):');
  for (const l of s.corpus.byLanguage) out.push(`  ${l.language.padEnd(12)} ${fixed(mb(l.textBytes), 1).padStart(7)} MB  ${count(l.textFiles).padStart(7)} text files  ${l.packages} packages`);
  out.push('', ...renderDrift(s));
  out.push(
    '',
    `keyfence ${s.keyfence}: scanned ${fixed(mb(s.scan.bytes), 1)} MB in ${count(s.scan.files)} files (${count(s.scan.skipped)} skipped) ` +
      `of ${s.corpus.packages} packages, ${seconds(s.scan.durationMs)}`,
    `timings: download ${seconds(s.timings.downloadMs)}, extract ${seconds(s.timings.extractMs)}, scan ${seconds(s.timings.scanMs)}`,
    `verdicts: ${VERDICTS.map((v) => `${s.verdicts[v]} ${v}`).join(', ')}; ${count(s.belowFailOn)} more findings below --fail-on ${s.failOn}`,
    `blocking findings: ${count(s.blocking)}, ${fixed(s.perMB, 3)} per MB (target ≤ ${s.target}): ` +
      `${s.perMB <= s.target ? 'met' : 'NOT met'}${s.verdicts.unjudged ? `, ${s.verdicts.unjudged} unjudged` : ''}`,
  );
  return `${out.join('\n')}\n`;
}

/** What changed since the judged list was written: findings it does not have, lines it has that are gone. */
function renderDrift(s) {
  const out = [];
  const fresh = s.unjudged.length;
  out.push(fresh ? `New findings, not in the judged list of docs/precision.md (${fresh}):` : 'New findings: none, every blocking finding is judged.');
  for (const f of s.unjudged) out.push(`  + ${where(f)} ${f.rule} ${f.severity}`);
  out.push(s.gone.length ? `Judged lines gone, no such finding now (${s.gone.length}):` : 'Judged lines gone: none.');
  for (const g of s.gone) out.push(`  - ${g.path}:${g.line} ${g.rule} — was ${g.verdict}`);
  if (fresh || s.gone.length) out.push('`npm run precision -- --write-docs` updates the list (verdicts kept, new lines unjudged).');
  return out;
}

export { mb, count, fixed };
