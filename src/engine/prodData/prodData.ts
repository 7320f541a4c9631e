import type { KeyfenceConfig } from '../../config/config.js';
import type { Fragment } from '../../sources/fragment.js';
import { wantsProdData } from './dataFiles.js';
import { readDump } from './dumps.js';
import { readExport } from './exports.js';
import { findPersonalValues, PERSONAL_KINDS, type PersonalKind } from './personalValues.js';

/**
 * Production data in a file (docs/rules/prod-data.md): a database dump with data rows, or real
 * personal data (validated card numbers, IBANs, SSNs, phone numbers, e-mail addresses) in numbers
 * no test needs. One finding per file, at its first data line, saying what and how much, never a
 * value: the values are what must not spread further, not even into a report.
 */
type ProdDataThresholds = KeyfenceConfig['prodData'];

export interface ProdDataHit {
  ruleId: 'prod-data-dump' | 'prod-data-personal';
  /** 0-based line of the fragment. */
  line: number;
  message: string;
  /** Fingerprint material: what kind of data, never a value or a count (counts change with every export). */
  what: string;
}

export function findProdData(fragment: Fragment, thresholds: ProdDataThresholds): ProdDataHit | undefined {
  const { file, text } = fragment;
  if (!wantsProdData(file)) return undefined;
  const personal = countPersonal(text);
  const found = describe(personal.counts);
  const dump = readDump(text);
  if (dump) {
    return {
      ruleId: 'prod-data-dump',
      line: dump.firstDataLine,
      message: `Database dump (${dump.tool}): ${plural(dump.rows, 'row')} in ${plural(dump.tables, 'table')}${found ? `, holding ${found}` : ''}`,
      what: `dump:${dump.tool}`,
    };
  }
  const kinds = [...personal.counts.keys()];
  const enough = kinds.length >= thresholds.minKinds || kinds.some((k) => personal.counts.get(k)! >= thresholds.minValues);
  if (!enough) return undefined;
  const sheet = readExport(file, text);
  const export_ = sheet ? `an export of ${plural(sheet.rows, 'row')} with ${sheet.columns.join(', ')}: ` : '';
  return {
    ruleId: 'prod-data-personal',
    line: Math.min(personal.firstLine, sheet?.firstDataLine ?? Infinity),
    message: `Personal data: ${export_}${found}`,
    what: `personal:${kinds.sort().join(',')}`,
  };
}

function countPersonal(text: string): { counts: Map<PersonalKind, number>; firstLine: number } {
  const distinct = new Map<PersonalKind, Set<string>>();
  let firstLine = Infinity;
  for (const value of findPersonalValues(text)) {
    let keys = distinct.get(value.kind);
    if (!keys) distinct.set(value.kind, (keys = new Set()));
    keys.add(value.key);
    firstLine = Math.min(firstLine, value.line);
  }
  return { counts: new Map([...distinct].map(([kind, keys]) => [kind, keys.size])), firstLine: firstLine === Infinity ? 0 : firstLine };
}

/** `12 e-mail addresses and 3 phone numbers`, most numerous first. */
function describe(counts: Map<PersonalKind, number>): string {
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${PERSONAL_KINDS[kind][n === 1 ? 0 : 1]}`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function plural(n: number, one: string): string {
  return `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;
}
