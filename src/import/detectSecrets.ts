import { UserError } from '../errors.js';
import { ANY_RULE } from '../suppressions/baseline.js';
import { asBareSource, convertGoRegex } from './goRegex.js';
import { pathRegexToGlobs } from './pathGlob.js';
import { emptyPlan, jsonErrorLine, lineAt, type ImportPlan } from './plan.js';

/**
 * detect-secrets' baseline (`.secrets.baseline`, detect-secrets 1.x) as keyfence baseline entries
 * and allow entries. Each result's `hashed_secret` is the SHA-1 hex of the value: it becomes an
 * imported entry (`sha1:…`, any rule, same file) that suppresses the same value without keyfence
 * ever seeing it. The regex filters (`--exclude-files`, `--exclude-lines`, `--exclude-secrets`,
 * kept under `filters_used`) become allow entries.
 */

interface Result {
  type?: unknown;
  filename?: unknown;
  hashed_secret?: unknown;
  line_number?: unknown;
  is_secret?: unknown;
}

const FILTERS: Record<string, 'paths' | 'lines' | 'secrets'> = {
  'detect_secrets.filters.regex.should_exclude_file': 'paths',
  'detect_secrets.filters.regex.should_exclude_line': 'lines',
  'detect_secrets.filters.regex.should_exclude_secret': 'secrets',
};

/** Where a JSON value sits: the line of `"key":` (the n-th one after `after`), for messages. */
function lineOfKey(text: string, key: string, after = 0, nth = 0): number {
  let at = after;
  for (let i = 0; i <= nth; i++) {
    const found = text.indexOf(`${JSON.stringify(key)}`, at);
    if (found === -1) return lineAt(text, after);
    at = found + 1;
  }
  return lineAt(text, at - 1);
}

export async function importDetectSecrets(text: string, shown: string): Promise<ImportPlan> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not the parser's message: it may quote the text around the fault.
    const line = jsonErrorLine(text);
    throw new UserError(`${shown}${line ? `:${line}` : ''}: not a detect-secrets baseline: not valid JSON`, 'regenerate it with `detect-secrets scan > .secrets.baseline`; nothing was written');
  }
  const doc = data as { results?: unknown; filters_used?: unknown; exclude?: unknown };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || typeof doc.results !== 'object' || doc.results === null || Array.isArray(doc.results))
    throw new UserError(`${shown}:1: not a detect-secrets baseline: no "results" object`, 'give the .secrets.baseline detect-secrets wrote; nothing was written');
  const plan = emptyPlan('detect-secrets');
  const resultsAt = text.indexOf('"results"');
  for (const [file, list] of Object.entries(doc.results as Record<string, unknown>)) {
    const fileAt = text.indexOf(JSON.stringify(file), resultsAt);
    if (!Array.isArray(list)) throw new UserError(`${shown}:${lineAt(text, fileAt)}: results for ${file} must be a list`, 'nothing was written');
    list.forEach((raw: Result, i) => {
      const line = lineOfKey(text, 'hashed_secret', fileAt, i);
      if (!raw || typeof raw !== 'object' || typeof raw.hashed_secret !== 'string' || !/^[0-9a-f]{40}$/i.test(raw.hashed_secret))
        throw new UserError(`${shown}:${line}: result ${i + 1} of ${file} has no hashed_secret (40 hex digits)`, 'nothing was written');
      const type = typeof raw.type === 'string' ? raw.type : 'secret';
      const real = raw.is_secret === true;
      plan.baseline.push({
        ruleId: ANY_RULE,
        file: typeof raw.filename === 'string' ? raw.filename : file,
        hash: `sha1:${raw.hashed_secret.toLowerCase()}`,
        imported: 'detect-secrets',
        reason: real ? `detect-secrets: ${type}, audited as a real secret: rotate it` : `detect-secrets: ${type}`,
      });
    });
  }
  importFilters(plan, doc, text, shown);
  return plan;
}

function importFilters(plan: ImportPlan, doc: { filters_used?: unknown; exclude?: unknown }, text: string, shown: string): void {
  const patterns: Array<{ field: 'paths' | 'lines' | 'secrets'; pattern: string; from: string }> = [];
  if (Array.isArray(doc.filters_used)) {
    for (const filter of doc.filters_used as Array<{ path?: unknown; pattern?: unknown }>) {
      const field = typeof filter?.path === 'string' ? FILTERS[filter.path] : undefined;
      if (!field) {
        if (typeof filter?.path === 'string' && filter.path.includes('wordlist'))
          plan.untranslated.push({ from: `${shown}:${lineOfKey(text, filter.path)}`, what: filter.path, reason: 'use `stopwords:` in an allow entry for the words of that list' });
        continue;
      }
      const from = `${shown}:${lineOfKey(text, filter.path as string)}`;
      const list = Array.isArray(filter.pattern) ? filter.pattern : [filter.pattern];
      for (const pattern of list) if (typeof pattern === 'string') patterns.push({ field, pattern, from });
    }
  }
  // detect-secrets 0.x: `exclude: { files, lines }`.
  const exclude = doc.exclude as { files?: unknown; lines?: unknown } | undefined;
  if (exclude && typeof exclude === 'object') {
    if (typeof exclude.files === 'string') patterns.push({ field: 'paths', pattern: exclude.files, from: `${shown}:${lineOfKey(text, 'files')}` });
    if (typeof exclude.lines === 'string') patterns.push({ field: 'lines', pattern: exclude.lines, from: `${shown}:${lineOfKey(text, 'lines')}` });
  }
  for (const { field, pattern, from } of patterns) {
    if (field === 'paths') {
      const globs = pathRegexToGlobs(pattern);
      if (globs.ok) plan.allow.push({ entry: { paths: globs.globs, reason: 'imported from detect-secrets --exclude-files' }, from });
      else plan.untranslated.push({ from, what: `--exclude-files "${pattern}"`, reason: globs.reason });
      continue;
    }
    const converted = convertGoRegex(pattern);
    const regex = converted.ok ? asBareSource(converted) : converted;
    if (regex.ok) plan.allow.push({ entry: { [field]: [regex.source], reason: `imported from detect-secrets --exclude-${field}` }, from });
    else plan.untranslated.push({ from, what: `--exclude-${field} "${pattern}"`, reason: regex.reason });
  }
}
