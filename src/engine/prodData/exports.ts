/**
 * Customer exports by their columns (issue #23): a CSV, TSV, JSON or NDJSON file whose header or
 * keys name personal data (e-mail, phone, address, date of birth, national ids, card numbers) and
 * whose rows fill those columns. The columns are the evidence, named as the file names them; the
 * values are never returned.
 *
 * Work is capped: the rows that decide are the first MAX_EXAMINED (or `minRows`, if more); the
 * rest are only counted, CSV records by a quote-aware walk, JSON arrays by their length, NDJSON by
 * its lines. A JSON file is parsed once, and only when its first KEY_PROBE characters hold a key
 * that could be personal.
 */

export interface ExportSummary {
  format: 'csv' | 'tsv' | 'json' | 'ndjson';
  /** Personal columns found, as named in the file (e.g. ['email', 'phone', 'date_of_birth']). */
  columns: string[];
  rows: number;
  firstDataLine: number; // 0-based
}

type Kind = 'email' | 'phone' | 'name' | 'address' | 'birth' | 'nationalId' | 'taxId' | 'card' | 'iban';

/** Kinds that make an export personal on their own: they identify a person, or are a way to pay. */
const STRONG: ReadonlySet<Kind> = new Set(['birth', 'nationalId', 'card', 'iban']);

/** Personal column names, normalised (lower-case, no `_`, `-`, spaces or dots). */
const COLUMN_KINDS: ReadonlyMap<string, Kind> = new Map(
  Object.entries({
    email: ['email', 'emailaddress', 'emailaddr', 'emailid'],
    phone: [
      'phone',
      'phonenumber',
      'phoneno',
      'telephone',
      'telephonenumber',
      'tel',
      'mobile',
      'mobilenumber',
      'mobileno',
      'mobilephone',
      'cellphone',
      'msisdn',
    ],
    name: ['firstname', 'lastname', 'givenname', 'familyname', 'surname', 'forename', 'middlename', 'fullname', 'name'],
    address: ['address', 'address1', 'address2', 'addressline1', 'addressline2', 'streetaddress', 'street', 'postcode', 'postalcode', 'zip', 'zipcode'],
    birth: ['dateofbirth', 'dob', 'birthdate', 'birthday', 'birthdt'],
    nationalId: [
      'ssn',
      'socialsecuritynumber',
      'socialsecurityno',
      'nationalid',
      'nationalidnumber',
      'nationalidentifier',
      'nationalinsurancenumber',
      'nino',
      'passport',
      'passportnumber',
      'passportno',
    ],
    taxId: ['taxid', 'taxidnumber', 'taxnumber'],
    card: ['cardnumber', 'cardno', 'creditcard', 'creditcardnumber', 'ccnumber', 'pan'],
    iban: ['iban'],
  } satisfies Record<Kind, string[]>).flatMap(([kind, names]) => names.map((name) => [name, kind as Kind])),
);

/**
 * Whose or which it is, written before a column's name: `billing_email` (WooCommerce),
 * `customer_phone`, `Home Address`, `Mailing Address`. Not `user` before a name: `username` is a login.
 */
const OWNERS = [
  'billing',
  'shipping',
  'customer',
  'client',
  'contact',
  'member',
  'patient',
  'employee',
  'personal',
  'primary',
  'home',
  'work',
  'mailing',
  'residential',
  'user',
  'cardholder',
  'accountholder',
];

/** The kind of personal data a column holds, by its name; undefined for any other column. */
function kindOf(column: string): Kind | undefined {
  const name = column.toLowerCase().replace(/[\s_.\-:/()]+/g, '');
  const exact = COLUMN_KINDS.get(name);
  if (exact) return exact;
  for (const owner of OWNERS) {
    if (!name.startsWith(owner)) continue;
    const kind = COLUMN_KINDS.get(name.slice(owner.length));
    if (kind && !(kind === 'name' && owner === 'user')) return kind;
  }
  return undefined;
}

/** A cell that says nothing: empty, or a null marker. */
const NOTHING = new Set(['', 'null', 'nil', 'none', 'n/a', 'na', '-', '\\n', 'undefined']);

/** Whether `value` is a value of `kind`: a real e-mail address has an `@`, a card number its digits. */
function filled(kind: Kind, value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  const text = String(value).trim();
  if (NOTHING.has(text.toLowerCase())) return false;
  switch (kind) {
    case 'email':
      return /[^\s@]@[^\s@]/.test(text);
    case 'card':
      return /^\d[\d -]{10,22}\d$/.test(text) && text.replace(/\D/g, '').length >= 12 && text.replace(/\D/g, '').length <= 19;
    case 'iban':
      return /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(text.replace(/\s/g, '').toUpperCase());
    default:
      return true;
  }
}

/** Rows read for their values; the others are counted. */
const MAX_EXAMINED = 1000;
/** How much of a JSON file is looked at for a personal key before it is parsed. */
const KEY_PROBE = 262_144;
/** A key that could be personal, as JSON writes keys (a pre-test, before parsing). */
const PERSONAL_KEY =
  /(?:e-?mail|phone|mobile|tele|msisdn|addr|street|post(?:al)?[_\- ]?code|zip|birth|dob|ssn|social|national|nino|passport|tax|iban|card|cc_?n|pan)[^"\\\n]{0,40}"\s*:/i;

/** A CSV/TSV/JSON/NDJSON export whose columns are personal data, with at least `minRows` data rows; else undefined. */
export function readExport(file: string, text: string, minRows = 5): ExportSummary | undefined {
  const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  switch (extension) {
    case 'csv':
      return readSheet(text, 'csv', minRows);
    case 'tsv':
    case 'tab':
      return readSheet(text, 'tsv', minRows);
    case 'json':
      return readJson(text, minRows);
    case 'ndjson':
    case 'jsonl':
      return readLines(text, minRows);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Judging rows

/** Counts rows whose personal cells, on their own, make the row personal, and which columns held them. */
class Tally {
  qualifying = 0;
  private readonly used = new Set<string>();

  constructor(private readonly columns: ReadonlyMap<string, Kind>) {}

  /** `cell(name)`: the value of column `name` in this row. */
  row(cell: (name: string) => unknown): void {
    const kinds = new Set<Kind>();
    const present: string[] = [];
    for (const [name, kind] of this.columns) {
      if (!filled(kind, cell(name))) continue;
      kinds.add(kind);
      present.push(name);
    }
    if (!personal(kinds)) return;
    this.qualifying++;
    for (const name of present) this.used.add(name);
  }

  /** The columns that held personal values in qualifying rows, in the file's order. */
  names(): string[] {
    return [...this.columns.keys()].filter((name) => this.used.has(name));
  }
}

/** Two kinds of personal data together (a name counts only beside another), or one strong kind. */
function personal(kinds: ReadonlySet<Kind>): boolean {
  if (kinds.size >= 2) return true;
  for (const kind of kinds) if (STRONG.has(kind)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// CSV / TSV

const QUOTE = 34;
const LF = 10;
const CR = 13;

function readSheet(text: string, format: 'csv' | 'tsv', minRows: number): ExportSummary | undefined {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  // Blank lines before the header.
  for (let end = text.indexOf('\n', at); end !== -1 && text.slice(at, end).trim() === ''; end = text.indexOf('\n', at)) {
    at = end + 1;
    line++;
  }
  let delimiter = format === 'tsv' ? '\t' : ',';
  // Excel's `sep=;` line names the delimiter.
  const sep = /^sep=(.)\r?$/i.exec(text.slice(at, lineEnd(text, at)));
  if (sep) {
    delimiter = sep[1]!;
    at = lineEnd(text, at) + 1;
    line++;
  } else if (format === 'csv') {
    delimiter = sniffDelimiter(text.slice(at, lineEnd(text, at)));
  }
  const quotes = new QuoteCursor(text);
  const header = readRecord(text, at, delimiter, true, quotes);
  const columns = new Map<string, Kind>();
  const indexes = new Map<string, number>();
  header.fields!.forEach((field, index) => {
    const name = field.trim();
    const kind = kindOf(name);
    if (kind && !columns.has(name)) {
      columns.set(name, kind);
      indexes.set(name, index);
    }
  });
  if (!personal(new Set(columns.values()))) return undefined;
  line += header.lines;
  at = header.end;

  const tally = new Tally(columns);
  const examine = Math.max(MAX_EXAMINED, minRows);
  let rows = 0;
  let firstDataLine = -1;
  while (at < text.length) {
    const examined = rows < examine;
    const record = readRecord(text, at, delimiter, examined, quotes);
    if (!record.blank) {
      if (firstDataLine === -1) firstDataLine = line;
      rows++;
      if (examined) tally.row((name) => record.fields![indexes.get(name)!]);
      else if (tally.qualifying < minRows) return undefined;
    }
    line += record.lines;
    at = record.end;
  }
  if (tally.qualifying < minRows) return undefined;
  return { format, columns: tally.names(), rows, firstDataLine };
}

function lineEnd(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

/** The delimiter a header line uses most: `,`, `;` (Excel in much of Europe), a tab or `|`. */
function sniffDelimiter(line: string): string {
  let best = ',';
  let most = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const count = line.split(candidate).length - 1;
    if (count > most) {
      best = candidate;
      most = count;
    }
  }
  return best;
}

/** The next `"` at or after an offset, remembered: a file without quotes is searched once, not once a line. */
class QuoteCursor {
  private at = -1;

  constructor(private readonly text: string) {}

  next(from: number): number {
    if (this.at < from) {
      const found = this.text.indexOf('"', from);
      this.at = found === -1 ? Infinity : found;
    }
    return this.at;
  }
}

interface CsvRecord {
  /** The fields, when asked for. */
  fields?: string[];
  /** Past the record's line end. */
  end: number;
  /** Lines the record spans (a quoted field may hold line breaks). */
  lines: number;
  /** An empty line. */
  blank: boolean;
}

/**
 * The record starting at `at`. A field quoted with `"` (at the field's start) may hold delimiters,
 * line breaks and doubled quotes; a line without a quote is split as it is.
 */
function readRecord(text: string, at: number, delimiter: string, collect: boolean, quotes: QuoteCursor): CsvRecord {
  const end = lineEnd(text, at);
  const stop = text.charCodeAt(end - 1) === CR ? end - 1 : end;
  if (quotes.next(at) >= stop) {
    const line = text.slice(at, stop);
    return { ...(collect ? { fields: line.split(delimiter) } : {}), end: end + 1, lines: 1, blank: line.trim() === '' };
  }
  const fields: string[] = [];
  let lines = 1;
  let i = at;
  const d = delimiter.charCodeAt(0);
  for (;;) {
    let value = '';
    if (text.charCodeAt(i) === QUOTE) {
      let from = i + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) {
          value += text.slice(from);
          i = text.length;
          break;
        }
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          from = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      lines += countLineBreaks(value);
    }
    // Unquoted (or what follows a closing quote): up to the delimiter or the line's end.
    let j = i;
    while (j < text.length && text.charCodeAt(j) !== d && text.charCodeAt(j) !== LF) j++;
    const rest = text.slice(i, text.charCodeAt(j - 1) === CR && text.charCodeAt(j) === LF ? j - 1 : j);
    if (collect) fields.push(value + rest);
    if (text.charCodeAt(j) !== d) return { ...(collect ? { fields } : {}), end: j + 1, lines, blank: false };
    i = j + 1;
  }
}

function countLineBreaks(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// JSON / NDJSON

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

function readJson(text: string, minRows: number): ExportSummary | undefined {
  if (!PERSONAL_KEY.test(text.slice(0, KEY_PROBE))) return undefined;
  const start = /\S/.exec(text.slice(0, KEY_PROBE))?.index ?? -1;
  if (start === -1 || (text[start] !== '[' && text[start] !== '{')) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // mongoexport and log shippers write one object a line, whatever the file is called.
    return text[start] === '{' ? readLines(text, minRows, true) : undefined;
  }
  let rows: unknown[] | undefined;
  let key: string | undefined;
  if (Array.isArray(data)) {
    rows = data;
  } else if (isRow(data)) {
    // `{"customers": [...], "exportedAt": ...}`: the longest array of objects under a key.
    for (const [name, value] of Object.entries(data)) {
      if (Array.isArray(value) && isRow(value[0]) && value.length > (rows?.length ?? 0)) {
        rows = value;
        key = name;
      }
    }
  }
  if (!rows || !isRow(rows[0])) return undefined;
  const summary = judgeRows(rows.slice(0, Math.max(MAX_EXAMINED, minRows)), minRows);
  if (!summary) return undefined;
  return { format: 'json', columns: summary, rows: rows.length, firstDataLine: firstObjectLine(text, start, key) };
}

/** The line of the first object of the rows' array: the top-level one, or the one under `key`. */
function firstObjectLine(text: string, start: number, key: string | undefined): number {
  let at = start;
  if (key !== undefined) {
    const quoted = JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`${quoted}\\s*:\\s*\\[`, 'g').exec(text);
    at = m ? m.index + m[0].length : start;
  }
  const object = text.indexOf('{', key === undefined ? at + 1 : at);
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < object; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** NDJSON: the first lines parsed, the others counted. */
function readLines(text: string, minRows: number, probed = false): ExportSummary | undefined {
  if (!probed && !PERSONAL_KEY.test(text.slice(0, KEY_PROBE))) return undefined;
  const examine = Math.max(MAX_EXAMINED, minRows);
  const parsed: Row[] = [];
  let rows = 0;
  let firstDataLine = -1;
  let line = 0;
  for (let at = 0; at < text.length; line++) {
    const end = lineEnd(text, at);
    const content = text.slice(at, end).trim().replace(/^\uFEFF/, '');
    at = end + 1;
    if (content === '') continue;
    if (content[0] !== '{') return undefined;
    if (firstDataLine === -1) firstDataLine = line;
    rows++;
    if (parsed.length < examine) {
      try {
        const value: unknown = JSON.parse(content);
        if (!isRow(value)) return undefined;
        parsed.push(value);
      } catch {
        if (parsed.length === 0) return undefined;
      }
    }
  }
  const columns = judgeRows(parsed, minRows);
  return columns ? { format: 'ndjson', columns, rows, firstDataLine } : undefined;
}

/**
 * The personal columns of JSON rows, or undefined when fewer than `minRows` rows are personal.
 * A column is a key, or `parent.key` for a key of an object nested one level down
 * (`{"customer": {"email": …}}`); a personal key holding an object (`"address": {…}`) is one column.
 */
function judgeRows(rows: readonly unknown[], minRows: number): string[] | undefined {
  const columns = new Map<string, Kind>();
  for (const row of rows) {
    if (!isRow(row)) continue;
    for (const [key, value] of Object.entries(row)) {
      const kind = kindOf(key);
      if (kind) {
        if (!columns.has(key)) columns.set(key, kind);
      } else if (isRow(value)) {
        for (const inner of Object.keys(value)) {
          const innerKind = kindOf(inner);
          const path = `${key}.${inner}`;
          if (innerKind && !columns.has(path)) columns.set(path, innerKind);
        }
      }
    }
  }
  if (!personal(new Set(columns.values()))) return undefined;
  const tally = new Tally(columns);
  for (const row of rows) {
    if (!isRow(row)) continue;
    tally.row((name) => {
      if (name in row) return row[name];
      const dot = name.indexOf('.');
      const parent = dot === -1 ? undefined : row[name.slice(0, dot)];
      return isRow(parent) ? parent[name.slice(dot + 1)] : undefined;
    });
  }
  return tally.qualifying >= minRows ? tally.names() : undefined;
}
