/**
 * Database dumps by content (issue #23): the text a dump tool writes, with the rows it holds
 * counted exactly, so that a dump is reported once, with what is in it, never the values.
 *
 * Recognised: pg_dump and pg_dumpall (`COPY … FROM stdin;` blocks ending at `\.`, or `INSERT`s with
 * `--inserts` / `--column-inserts`), mysqldump, MariaDB's dump, phpMyAdmin, Adminer and Navicat
 * (extended `INSERT … VALUES (…),(…);`), sqlite3's `.dump`, `COPY … FROM stdin` blocks without a
 * header (pg_dump's data format: no one writes it by hand), and mongoexport's NDJSON or
 * `--jsonArray` (`{"_id":{"$oid":"…"},…}`).
 *
 * Not dumps: a schema-only dump (Rails' db/structure.sql, `pg_dump --schema-only`), rows of
 * framework bookkeeping tables only (`schema_migrations`, `django_migrations`, …), and INSERTs
 * without a dump header (a seed file: a bulk one is the personal-data detector's to judge).
 *
 * One linear pass: statements are read with their quoting (strings with the dialect's escapes,
 * dollar-quoted function bodies, comments, mysqldump's `DELIMITER ;;`), so an `INSERT` inside a
 * function body or a trigger is not a row, and tuples are counted by their parentheses, never by
 * splitting on `),(`.
 */

export interface DumpSummary {
  /** What wrote it: 'pg_dump', 'mysqldump', 'MariaDB dump', 'sqlite3 .dump', 'COPY blocks', 'mongoexport'... */
  tool: string;
  /** Tables holding data rows. */
  tables: number;
  rows: number;
  /** 0-based index of the first line holding a data row. */
  firstDataLine: number;
}

type Dialect = 'postgres' | 'mysql' | 'sqlite';

/** How far into the file a dump tool's header is looked for (MariaDB puts a sandbox comment first). */
const HEAD = 4096;

/** Header lines of dump tools, in the first HEAD characters. */
const HEADERS: ReadonlyArray<{ marker: RegExp; tool: string; dialect: (m: RegExpExecArray) => Dialect }> = [
  { marker: /^\uFEFF?-- PostgreSQL database cluster dump\b/m, tool: 'pg_dumpall', dialect: () => 'postgres' },
  { marker: /^\uFEFF?-- PostgreSQL database dump\b/m, tool: 'pg_dump', dialect: () => 'postgres' },
  { marker: /^\uFEFF?-- MySQL dump\b/m, tool: 'mysqldump', dialect: () => 'mysql' },
  { marker: /^\uFEFF?-- MariaDB dump\b/m, tool: 'MariaDB dump', dialect: () => 'mysql' },
  { marker: /^\uFEFF?-- phpMyAdmin SQL Dump\b/m, tool: 'phpMyAdmin', dialect: () => 'mysql' },
  {
    marker: /^\uFEFF?-- Adminer \S+ (\w+)[^\n]* dump\r?$/m,
    tool: 'Adminer',
    dialect: (m) => (m[1] === 'PostgreSQL' ? 'postgres' : m[1] === 'SQLite' ? 'sqlite' : 'mysql'),
  },
  {
    marker: /^\s*Navicat (?:Premium |MySQL |PostgreSQL |SQLite |MariaDB )?Data Transfer\b(?:[^]*?Source Server Type\s*:\s*(\w+))?/m,
    tool: 'Navicat',
    dialect: (m) => (m[1] === 'PostgreSQL' ? 'postgres' : m[1] === 'SQLite' ? 'sqlite' : 'mysql'),
  },
  { marker: /^\uFEFF?PRAGMA foreign_keys=OFF;\r?\nBEGIN TRANSACTION;/, tool: 'sqlite3 .dump', dialect: () => 'sqlite' },
];

/**
 * Tables that frameworks and migration tools fill themselves: which migrations ran, the content
 * types and permissions Django derives from the models, SQLite's own statistics and sequences.
 * Rows of these alone are bookkeeping, not data (Rails' db/structure.sql ends with
 * `INSERT INTO "schema_migrations"`). Compared lower-case, without schema or quotes.
 */
const BOOKKEEPING = new Set([
  'schema_migrations', // Rails, Ecto, golang-migrate, dbmate, Sequel
  'ar_internal_metadata', // Rails
  'schema_info', // Sequel (integer migrator)
  'django_migrations',
  'django_content_type',
  'auth_permission',
  'django_site',
  'flyway_schema_history',
  'schema_version', // Flyway before 5
  'databasechangelog', // Liquibase
  'databasechangeloglock',
  'knex_migrations',
  'knex_migrations_lock',
  'sequelizemeta',
  'sequelizedata',
  'migrations', // Laravel, TypeORM
  'migration', // Yii
  'typeorm_metadata',
  'mikro_orm_migrations',
  'kysely_migration',
  'kysely_migration_lock',
  'pgmigrations', // node-pg-migrate
  '__drizzle_migrations',
  '_prisma_migrations',
  'doctrine_migration_versions',
  'migration_versions', // Doctrine before 3
  'phinxlog',
  'goose_db_version',
  'gorp_migrations',
  'atlas_schema_revisions',
  '__diesel_schema_migrations',
  '_sqlx_migrations',
  'seaql_migrations',
  'alembic_version',
  '__efmigrationshistory',
]);

function isBookkeeping(table: string): boolean {
  const name = table.slice(table.lastIndexOf('.') + 1);
  return BOOKKEEPING.has(name) || name.startsWith('sqlite_');
}

/** A database dump WITH DATA in `text`, or undefined (schema-only dumps and framework bookkeeping are not data). */
export function readDump(text: string): DumpSummary | undefined {
  const head = text.slice(0, HEAD);
  const mongo = readMongoExport(text, head);
  if (mongo !== 'no') return mongo;
  let tool: string | undefined;
  let dialect: Dialect = 'postgres';
  if (head.includes('ump') || head.includes('PRAGMA') || head.includes('Navicat')) {
    for (const header of HEADERS) {
      const m = header.marker.exec(head);
      if (!m) continue;
      tool = header.tool;
      dialect = header.dialect(m);
      break;
    }
  }
  if (tool === undefined) {
    // No header: only pg_dump's data format, which nobody writes by hand.
    if (!/\bFROM\s+stdin\b/i.test(text)) return undefined;
    tool = 'COPY blocks';
  } else if (!/\b(?:INSERT|REPLACE)\b|\bFROM\s+stdin\b/i.test(text)) {
    return undefined;
  }
  const reader = new SqlReader(text, dialect);
  reader.read();
  if (reader.rows === 0) return undefined;
  return { tool, tables: reader.tables.size, rows: reader.rows, firstDataLine: lineOf(text, reader.firstRow) };
}

/** 0-based line of `offset`. */
function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// ---------------------------------------------------------------------------------------------
// mongoexport

/** mongoexport's first document: an ObjectId `_id` first, as it writes every document. */
const MONGO_DOCUMENT = /^\uFEFF?\s*(\[\s*)?\{\s*"_id"\s*:\s*\{\s*"\$oid"\s*:\s*"[0-9a-fA-F]{24}"\s*\}/;

/** mongoexport output: NDJSON (one document a line), or `--jsonArray`; 'no' when it is not. */
function readMongoExport(text: string, head: string): DumpSummary | undefined | 'no' {
  const m = MONGO_DOCUMENT.exec(head);
  if (!m) return 'no';
  const first = m[0].indexOf('{');
  return m[1] ? mongoArray(text, first) : mongoLines(text);
}

function mongoLines(text: string): DumpSummary | undefined {
  let rows = 0;
  let firstDataLine = -1;
  let line = 0;
  for (let start = 0; start < text.length; line++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    let i = start;
    while (i < stop && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === OPEN_BRACE || (line === 0 && text.charCodeAt(i) === BOM && text.charCodeAt(i + 1) === OPEN_BRACE)) {
      rows++;
      if (firstDataLine === -1) firstDataLine = line;
    }
    start = stop + 1;
  }
  return rows === 0 ? undefined : { tool: 'mongoexport', tables: 1, rows, firstDataLine };
}

/** `--jsonArray`: the objects directly inside the top-level array, counted by a walk that skips strings. */
function mongoArray(text: string, from: number): DumpSummary | undefined {
  let rows = 0;
  let depth = 1;
  for (let i = from; i < text.length && depth > 0; i++) {
    const c = text.charCodeAt(i);
    if (c === DOUBLE_QUOTE) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === DOUBLE_QUOTE) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (c === OPEN_BRACE && depth === 1) rows++;
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return rows === 0 ? undefined : { tool: 'mongoexport', tables: 1, rows, firstDataLine: lineOf(text, from) };
}

// ---------------------------------------------------------------------------------------------
// SQL

const BOM = 0xfeff;
const TAB = 9;
const CR = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SINGLE_QUOTE = 39;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const STAR = 42;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const BACKTICK = 96;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const isSpace = (c: number): boolean => c === SPACE || (c >= TAB && c <= CR);
/** A character of an unquoted identifier (`$` too: PostgreSQL and MySQL allow it after the first). */
const isWordChar = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === DOLLAR || c >= 128;

/** `INSERT [modifiers] [INTO]` / `REPLACE [INTO]` at a statement's start (MySQL and SQLite modifiers). */
const INSERT_HEAD = /(?:INSERT|REPLACE)(?:\s+(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE|OR\s+(?:REPLACE|IGNORE|ABORT|ROLLBACK|FAIL)))*\s+(?:INTO\s+)?/iy;
/** One part of a table name: quoted (", `, []) or bare. */
const NAME_PART = String.raw`(?:"(?:[^"]|"")*"|\x60(?:[^\x60]|\x60\x60)*\x60|\[[^\]]*\]|[\w$\u0080-\uffff]+)`;
const TABLE_NAME = new RegExp(String.raw`${NAME_PART}(?:\s*\.\s*${NAME_PART})*`, 'y');
const OVERRIDING = /OVERRIDING\s+(?:SYSTEM|USER)\s+VALUE\b/iy;
const VALUES = /VALUES?(?![\w$])/iy;
const COPY_HEAD = /COPY\s+/iy;
const FROM_STDIN = /\bFROM\s+stdin\b/i;
const DELIMITER = /DELIMITER[ \t]+(\S+)/iy;
const CONNECT = /\\c(?:onnect)?[ \t]+("(?:[^"]|"")*"|\S+)/y;

/** A table name as a key: quotes removed, lower-case. */
function tableKey(name: string): string {
  return name
    .split(/\s*\.\s*/)
    .map((part) => (/^["`[]/.test(part) ? part.slice(1, -1) : part).toLowerCase())
    .join('.');
}

class SqlReader {
  rows = 0;
  /** Tables holding data rows (bookkeeping tables left out). */
  readonly tables = new Set<string>();
  /** Offset of the first data row. */
  firstRow = -1;
  private delimiter = ';';
  private database = '';
  private readonly length: number;
  private readonly mysql: boolean;
  private readonly postgres: boolean;
  /** Backslash escapes in plain '…' strings: MySQL always, PostgreSQL with standard_conforming_strings off. */
  private readonly backslashInStrings: boolean;

  constructor(
    private readonly text: string,
    dialect: Dialect,
  ) {
    this.length = text.length;
    this.mysql = dialect === 'mysql';
    this.postgres = dialect === 'postgres';
    this.backslashInStrings = this.mysql || (this.postgres && /^SET standard_conforming_strings = off;/m.test(text.slice(0, 65536)));
  }

  read(): void {
    let i = 0;
    while ((i = this.skipSpaceAndComments(i)) < this.length) {
      const c = this.text.charCodeAt(i);
      if (c === BACKSLASH) i = this.metaCommand(i);
      else if (this.word(i, 'INSERT') || this.word(i, 'REPLACE')) i = this.insert(i);
      else if (this.word(i, 'COPY')) i = this.copy(i);
      else if (this.word(i, 'DELIMITER')) i = this.setDelimiter(i);
      else i = this.statementEnd(i);
    }
  }

  private addRows(table: string, count: number, at: number): void {
    if (count === 0) return;
    const key = tableKey(table);
    if (isBookkeeping(key)) return;
    this.rows += count;
    this.tables.add(this.database ? `${this.database}/${key}` : key);
    if (this.firstRow === -1) this.firstRow = at;
  }

  /** Whether `word` (upper-case) starts at `i`, as a whole word, in any case. */
  private word(i: number, word: string): boolean {
    return this.text.slice(i, i + word.length).toUpperCase() === word && !isWordChar(this.text.charCodeAt(i + word.length));
  }

  private sticky(regex: RegExp, i: number): RegExpExecArray | null {
    regex.lastIndex = i;
    return regex.exec(this.text);
  }

  private lineEnd(i: number): number {
    const end = this.text.indexOf('\n', i);
    return end === -1 ? this.length : end;
  }

  /** A psql meta-command (`\connect db`, `\restrict key`): the rest of its line. */
  private metaCommand(i: number): number {
    const m = this.sticky(CONNECT, i);
    if (m) this.database = tableKey(m[1]!);
    return this.lineEnd(i) + 1;
  }

  /** mysqldump's `DELIMITER ;;` around triggers and routines, whose bodies hold `;`. */
  private setDelimiter(i: number): number {
    const m = this.sticky(DELIMITER, i);
    if (m) this.delimiter = m[1]!;
    return this.lineEnd(i) + 1;
  }

  private insert(i: number): number {
    const head = this.sticky(INSERT_HEAD, i);
    if (!head) return this.statementEnd(i);
    const name = this.sticky(TABLE_NAME, i + head[0].length);
    if (!name) return this.statementEnd(i);
    let j = this.skipSpaceAndComments(name.index + name[0].length);
    if (this.text.charCodeAt(j) === OPEN_PAREN) j = this.skipSpaceAndComments(this.closeParen(j));
    const overriding = this.sticky(OVERRIDING, j);
    if (overriding) j = this.skipSpaceAndComments(j + overriding[0].length);
    const values = this.sticky(VALUES, j);
    // INSERT … SELECT, DEFAULT VALUES, MySQL's INSERT … SET: no tuples to count.
    if (!values) return this.statementEnd(j);
    j += values[0].length;
    let count = 0;
    let first = -1;
    for (;;) {
      j = this.skipSpaceAndComments(j);
      if (this.text.charCodeAt(j) !== OPEN_PAREN) break;
      if (first === -1) first = j;
      count++;
      j = this.skipSpaceAndComments(this.closeParen(j));
      if (this.text.charCodeAt(j) !== COMMA) break;
      j++;
    }
    this.addRows(name[0], count, first);
    return this.statementEnd(j);
  }

  /** `COPY table (cols) FROM stdin;` then one row a line, up to the line `\.`. */
  private copy(i: number): number {
    const head = this.sticky(COPY_HEAD, i);
    const name = head && this.sticky(TABLE_NAME, i + head[0].length);
    const end = this.statementEnd(i);
    if (!name || !FROM_STDIN.test(this.text.slice(i, end))) return end;
    const newline = this.text.indexOf('\n', end);
    if (newline === -1) return this.length;
    let count = 0;
    let at = newline + 1;
    const first = at;
    while (at < this.length) {
      const lineEnd = this.lineEnd(at);
      const stop = this.text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
      const terminator = stop - at === 2 && this.text.charCodeAt(at) === BACKSLASH && this.text.charCodeAt(at + 1) === DOT;
      at = lineEnd + 1;
      if (terminator) break;
      count++;
    }
    this.addRows(name[0], count, first);
    return at;
  }

  private skipSpaceAndComments(i: number): number {
    const text = this.text;
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (isSpace(c) || c === BOM) i++;
      else if (c === MINUS && text.charCodeAt(i + 1) === MINUS) i = this.lineEnd(i);
      else if (c === HASH && this.mysql) i = this.lineEnd(i);
      else if (c === SLASH && text.charCodeAt(i + 1) === STAR) i = this.blockCommentEnd(i);
      else break;
    }
    return i;
  }

  private blockCommentEnd(i: number): number {
    const end = this.text.indexOf('*/', i + 2);
    return end === -1 ? this.length : end + 2;
  }

  /** Past the end of the statement at `i`: its delimiter outside strings, comments and function bodies. */
  private statementEnd(i: number): number {
    const text = this.text;
    const delimiter = this.delimiter;
    const d = delimiter.charCodeAt(0);
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (c === d && (delimiter.length === 1 || text.startsWith(delimiter, i))) return i + delimiter.length;
      i = this.skipToken(i, c);
    }
    return this.length;
  }

  /** Past the parenthesis that closes the one at `i` (strings skipped); stops at a statement delimiter. */
  private closeParen(i: number): number {
    const text = this.text;
    const d = this.delimiter.charCodeAt(0);
    let depth = 0;
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (c === OPEN_PAREN) {
        depth++;
        i++;
      } else if (c === CLOSE_PAREN) {
        i++;
        if (--depth === 0) return i;
      } else if (c === d && text.startsWith(this.delimiter, i)) {
        return i;
      } else {
        i = this.skipToken(i, c);
      }
    }
    return this.length;
  }

  /** Past the character at `i`, or past the string, quoted name, dollar-quoted body or comment it opens. */
  private skipToken(i: number, c: number): number {
    const text = this.text;
    switch (c) {
      case SINGLE_QUOTE:
        return this.quoted(i, this.backslashInStrings || (this.postgres && this.escapeString(i)));
      case DOUBLE_QUOTE:
        return this.quoted(i, this.mysql);
      case BACKTICK:
        return this.postgres ? i + 1 : this.quoted(i, false);
      case DOLLAR:
        return this.postgres ? this.dollarQuoted(i) : i + 1;
      case MINUS:
        return text.charCodeAt(i + 1) === MINUS ? this.lineEnd(i) : i + 1;
      case SLASH:
        return text.charCodeAt(i + 1) === STAR ? this.blockCommentEnd(i) : i + 1;
      default:
        return i + 1;
    }
  }

  /** PostgreSQL's E'…' (backslash escapes whatever standard_conforming_strings says). */
  private escapeString(i: number): boolean {
    const e = this.text.charCodeAt(i - 1);
    return (e === 69 || e === 101) && !isWordChar(this.text.charCodeAt(i - 2));
  }

  /**
   * Past the closing quote of the string or quoted name opening at `i`: a doubled quote, or (with
   * `backslash`) one after an odd run of backslashes, stays inside.
   */
  private quoted(i: number, backslash: boolean): number {
    const text = this.text;
    const quote = text[i]!;
    let from = i + 1;
    for (;;) {
      const close = text.indexOf(quote, from);
      if (close === -1) return this.length;
      if (backslash) {
        let run = 0;
        while (text.charCodeAt(close - 1 - run) === BACKSLASH && close - 1 - run > i) run++;
        if (run % 2 === 1) {
          from = close + 1;
          continue;
        }
      }
      if (text[close + 1] === quote) {
        from = close + 2;
        continue;
      }
      return close + 1;
    }
  }

  /** Past a PostgreSQL dollar-quoted string (`$$…$$`, `$_$…$_$`, `$body$…$body$`), or the `$` alone. */
  private dollarQuoted(i: number): number {
    const text = this.text;
    if (isWordChar(text.charCodeAt(i - 1))) return i + 1;
    let j = i + 1;
    while (j < this.length && isWordChar(text.charCodeAt(j)) && text.charCodeAt(j) !== DOLLAR) j++;
    if (text.charCodeAt(j) !== DOLLAR) return i + 1;
    const tag = text.slice(i, j + 1);
    if (tag.length > 2 && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57) return i + 1; // $1: a parameter
    const close = text.indexOf(tag, j + 1);
    return close === -1 ? this.length : close + tag.length;
  }
}
