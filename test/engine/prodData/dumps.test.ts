/**
 * Database dumps by content (src/engine/prodData/dumps.ts) and dump files by bytes
 * (src/engine/validators/dumpFile.ts), issue #23. Every dump is generated here, as each tool
 * writes it, from made-up people at example.com: no personal value is committed.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readDump } from '../../../src/engine/prodData/dumps.js';
import { dumpFileMayHoldData } from '../../../src/engine/validators/dumpFile.js';
import { VALIDATORS } from '../../../src/engine/validators/index.js';
import { Lines, people, PG_FUNCTION, PG_HEADER, PG_SCHEMA, pgDumpCopy, type Person } from '../../support/dumps.js';
import { expandTemplates, randomString, seededRandom, type Random } from '../../support/fakeSecrets.js';

const sqlString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** pg_dump --inserts (one row a statement) or --column-inserts --rows-per-insert=N (tuples on their own lines). */
function pgDumpInserts(users: Person[], { columns = false, perInsert = 1 } = {}): Lines {
  const out = new Lines();
  out.push(...PG_HEADER, ...PG_FUNCTION, ...PG_SCHEMA);
  out.push("INSERT INTO public.schema_migrations VALUES ('20240101000000');", '');
  const into = (table: string, cols: string) => `INSERT INTO public.${table} ${columns ? `(${cols}) ` : ''}OVERRIDING SYSTEM VALUE VALUES`;
  const tuple = (p: Person) => `(${p.id}, ${sqlString(p.email)}, ${sqlString(p.name)}, ${p.note === '' ? 'NULL' : sqlString(p.note)})`;
  const emit = (table: string, cols: string, rows: string[]) => {
    for (let i = 0; i < rows.length; i += perInsert) {
      const chunk = rows.slice(i, i + perInsert);
      if (perInsert === 1) {
        // One statement a row; a string with a line break spans two lines.
        const [firstLine, ...rest] = `${into(table, cols)} ${chunk[0]};`.split('\n');
        out.data(firstLine!);
        out.push(...rest);
      } else {
        out.push(into(table, cols));
        chunk.forEach((row, n) => {
          const [firstLine, ...rest] = `\t${row}${n === chunk.length - 1 ? ';' : ','}`.split('\n');
          out.data(firstLine!);
          out.push(...rest);
        });
      }
    }
    out.push('', '');
  };
  emit('users', 'id, email, name, note', users.map(tuple));
  emit('audit', 'user_id, what', users.slice(0, 3).map((p) => `(${p.id}, 'signup')`));
  return out;
}

/** MySQL string escapes, as mysqldump writes them. */
const mysqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/"/g, '\\"').replace(/\n/g, '\\n')}'`;

/** mysqldump with extended inserts (several statements for a big table), a trigger and a procedure. */
function mysqlDump(users: Person[], { mariadb = false, perInsert = 25 } = {}): Lines {
  const out = new Lines();
  if (mariadb) out.push('/*M!999999\\- enable the sandbox mode */ ', '-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)');
  else out.push('-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)');
  out.push(
    '--',
    '-- Host: localhost    Database: shop',
    '-- ------------------------------------------------------',
    '',
    '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    '',
    'DROP TABLE IF EXISTS `users`;',
    'CREATE TABLE `users` (',
    '  `id` int NOT NULL AUTO_INCREMENT,',
    '  `email` varchar(255) DEFAULT NULL,',
    "  `name` varchar(255) DEFAULT NULL COMMENT 'it''s a (name); ok',",
    '  `note` text,',
    '  PRIMARY KEY (`id`)',
    ') ENGINE=InnoDB AUTO_INCREMENT=1 DEFAULT CHARSET=utf8mb4;',
    '',
    'LOCK TABLES `schema_migrations` WRITE;',
    "INSERT INTO `schema_migrations` VALUES ('20240101000000'),('20240102000000');",
    'UNLOCK TABLES;',
    '',
    'LOCK TABLES `users` WRITE;',
    '/*!40000 ALTER TABLE `users` DISABLE KEYS */;',
  );
  const tuple = (p: Person) => `(${p.id},${mysqlString(p.email)},${mysqlString(p.name)},${p.note === '' ? 'NULL' : mysqlString(p.note)})`;
  for (let i = 0; i < users.length; i += perInsert) out.data(`INSERT INTO \`users\` VALUES ${users.slice(i, i + perInsert).map(tuple).join(',')};`);
  out.push('/*!40000 ALTER TABLE `users` ENABLE KEYS */;', 'UNLOCK TABLES;', '');
  out.push(
    'DELIMITER ;;',
    '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `users_ai` AFTER INSERT ON `users` FOR EACH ROW BEGIN',
    "INSERT INTO audit VALUES (NEW.id, 'signup');",
    'END */;;',
    'DELIMITER ;',
    'DELIMITER ;;',
    'CREATE DEFINER=`root`@`localhost` PROCEDURE `backfill`()',
    'BEGIN',
    'SET @n = 0;',
    "INSERT INTO audit VALUES (0, 'backfill; (all)');",
    'INSERT INTO audit SELECT id, email FROM users;',
    'END ;;',
    'DELIMITER ;',
    '',
    'LOCK TABLES `orders` WRITE;',
  );
  out.data("INSERT INTO `orders` VALUES (1,1,'19.99'),(2,1,'5.00'),(3,2,'0.50');");
  out.push('UNLOCK TABLES;', '', '-- Dump completed on 2024-05-01 10:00:00');
  return out;
}

/** sqlite3's .dump, with its bookkeeping tables (sqlite_sequence, sqlite_stat1). */
function sqliteDump(users: Person[]): Lines {
  const out = new Lines();
  out.push('PRAGMA foreign_keys=OFF;', 'BEGIN TRANSACTION;', 'CREATE TABLE users(id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT, name TEXT, note TEXT);');
  const text = (value: string) => (value.includes('\n') ? `replace(${sqlString(value.replace(/\n/g, '\\n'))},'\\n',char(10))` : sqlString(value));
  for (const p of users) out.data(`INSERT INTO users VALUES(${p.id},${text(p.email)},${text(p.name)},${p.note === '' ? 'NULL' : text(p.note)});`);
  out.push('CREATE TABLE IF NOT EXISTS "user settings"(user_id INTEGER, k TEXT, v BLOB);');
  out.data(`INSERT INTO "user settings" VALUES(1,'theme',X'00ff'),(2,'lang','en');`);
  out.push('ANALYZE sqlite_schema;', "INSERT INTO sqlite_stat1 VALUES('users',NULL,'12');", 'DELETE FROM sqlite_sequence;');
  out.push(`INSERT INTO sqlite_sequence VALUES('users',${users.length});`, 'CREATE INDEX users_email ON users(email);', 'COMMIT;');
  return out;
}

const oid = (random: Random) => randomString(random, 'hex', 24);

/** mongoexport: one Extended JSON document a line, or (`array`) --jsonArray. */
function mongoExport(users: Person[], { array = false } = {}): Lines {
  const random = seededRandom('mongo');
  const doc = (p: Person) =>
    JSON.stringify({
      _id: { $oid: oid(random) },
      email: p.email,
      name: p.name,
      note: `${p.note} {"not":"a document"} [`,
      address: { _id: { $oid: oid(random) }, city: 'Springfield' },
      tags: [{ k: 'a' }, { k: 'b' }],
      createdAt: { $date: '2024-01-01T00:00:00Z' },
    });
  const out = new Lines();
  if (!array) {
    for (const p of users) out.data(doc(p));
    return out;
  }
  users.forEach((p, i) => {
    if (i === 0) out.data(`[${doc(p)},`);
    else out.push(`${doc(p)}${i === users.length - 1 ? ']' : ','}`);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('readDump: dumps with data', () => {
  const users = people(40);

  it('reads pg_dump COPY blocks: rows of the users table, not of schema_migrations, the empty block or the function body', () => {
    const dump = pgDumpCopy(users);
    expect(readDump(dump.text)).toEqual({ tool: 'pg_dump', tables: 1, rows: 40, firstDataLine: dump.firstData });
  });

  it('reads pg_dump --inserts: one statement a row, strings with quotes, line breaks and a trailing backslash', () => {
    const dump = pgDumpInserts(users);
    expect(readDump(dump.text)).toEqual({ tool: 'pg_dump', tables: 2, rows: 43, firstDataLine: dump.firstData });
  });

  it('reads pg_dump --column-inserts --rows-per-insert: tuples on their own lines', () => {
    const dump = pgDumpInserts(users, { columns: true, perInsert: 7 });
    expect(readDump(dump.text)).toEqual({ tool: 'pg_dump', tables: 2, rows: 43, firstDataLine: dump.firstData });
  });

  it('reads PostgreSQL E-strings and dumps written with standard_conforming_strings off', () => {
    const escaped = `${PG_HEADER.join('\n')}\nINSERT INTO public.users VALUES (1, E'it\\'s (x), ok', 'a');\nINSERT INTO public.users VALUES (2, 'b', 'c');\n`;
    expect(readDump(escaped)).toMatchObject({ tool: 'pg_dump', tables: 1, rows: 2 });
    const legacy = `${PG_HEADER.join('\n').replace('standard_conforming_strings = on', 'standard_conforming_strings = off')}\nINSERT INTO public.users VALUES (1, 'it\\'s; (x)', 'a');\nINSERT INTO public.users VALUES (2, 'b', 'c');\n`;
    expect(readDump(legacy)).toMatchObject({ tool: 'pg_dump', tables: 1, rows: 2 });
  });

  it('reads pg_dumpall, counting tables per database', () => {
    const dump = pgDumpCopy(users.slice(0, 5));
    const database = (name: string) => [`\\connect ${name}`, '', ...dump.lines];
    const text = ['--', '-- PostgreSQL database cluster dump', '--', '', 'CREATE ROLE app;', '', ...database('shop'), ...database('shop_copy')].join('\n');
    const firstDataLine = 6 + 2 + dump.firstData;
    expect(readDump(text)).toEqual({ tool: 'pg_dumpall', tables: 2, rows: 10, firstDataLine });
  });

  it('reads mysqldump extended inserts: escapes, quotes and parentheses inside strings; not the trigger or the procedure', () => {
    const dump = mysqlDump(users);
    expect(readDump(dump.text)).toEqual({ tool: 'mysqldump', tables: 2, rows: 43, firstDataLine: dump.firstData });
  });

  it('reads a MariaDB dump behind its sandbox line', () => {
    const dump = mysqlDump(users, { mariadb: true, perInsert: 1000 });
    expect(readDump(dump.text)).toEqual({ tool: 'MariaDB dump', tables: 2, rows: 43, firstDataLine: dump.firstData });
  });

  it('reads a sqlite3 .dump, leaving out sqlite_sequence and sqlite_stat1', () => {
    const dump = sqliteDump(users);
    expect(readDump(dump.text)).toEqual({ tool: 'sqlite3 .dump', tables: 2, rows: 42, firstDataLine: dump.firstData });
  });

  it('reads COPY blocks without a header (pg_dump data format)', () => {
    const dump = pgDumpCopy(users, { header: false });
    expect(readDump(dump.text)).toEqual({ tool: 'COPY blocks', tables: 1, rows: 40, firstDataLine: dump.firstData });
  });

  it('reads COPY blocks with Windows line ends', () => {
    const dump = pgDumpCopy(users.slice(0, 3));
    expect(readDump(dump.text.replace(/\n/g, '\r\n'))).toEqual({ tool: 'pg_dump', tables: 1, rows: 3, firstDataLine: dump.firstData });
  });

  it('reads mongoexport NDJSON and --jsonArray', () => {
    const lines = mongoExport(users);
    expect(readDump(lines.text)).toEqual({ tool: 'mongoexport', tables: 1, rows: 40, firstDataLine: 0 });
    const array = mongoExport(users, { array: true });
    expect(readDump(array.text)).toEqual({ tool: 'mongoexport', tables: 1, rows: 40, firstDataLine: 0 });
  });

  it('reads phpMyAdmin, Adminer and Navicat dumps', () => {
    const insert = "INSERT INTO `users` (`id`, `email`) VALUES\n(1, 'a\\'b'),\n(2, 'c');";
    expect(readDump(`-- phpMyAdmin SQL Dump\n-- version 5.2.1\n\n${insert}\n`)).toEqual({ tool: 'phpMyAdmin', tables: 1, rows: 2, firstDataLine: 4 });
    expect(readDump(`-- Adminer 4.8.1 MySQL 8.0.36 dump\n\n${insert}\n`)).toEqual({ tool: 'Adminer', tables: 1, rows: 2, firstDataLine: 3 });
    const navicat = `/*\n Navicat Premium Data Transfer\n\n Source Server Type    : MySQL\n*/\n\n${insert}\n`;
    expect(readDump(navicat)).toEqual({ tool: 'Navicat', tables: 1, rows: 2, firstDataLine: 7 });
  });

  it('counts a big dump exactly', () => {
    const many = people(20_000, 'many');
    const dump = mysqlDump(many, { perInsert: 500 });
    expect(readDump(dump.text)).toMatchObject({ rows: 20_003, tables: 2 });
    const copy = pgDumpCopy(many);
    expect(readDump(copy.text)).toMatchObject({ rows: 20_000, tables: 1 });
  });
});

describe('readDump: not dumps', () => {
  it('a schema-only pg_dump, even with an INSERT at the start of a line in a function body', () => {
    const text = [...PG_HEADER, ...PG_FUNCTION, ...PG_SCHEMA, '--', '-- PostgreSQL database dump complete', '--'].join('\n');
    expect(readDump(text)).toBeUndefined();
  });

  it("Rails' db/structure.sql, whose only rows are schema_migrations'", () => {
    const text = [
      ...PG_HEADER,
      ...PG_SCHEMA,
      'SET search_path TO "$user", public;',
      '',
      'INSERT INTO "schema_migrations" (version) VALUES',
      "('20240101000000'),",
      "('20240102000000'),",
      "('20240103000000');",
      '',
      'INSERT INTO "ar_internal_metadata" VALUES (\'environment\', \'production\', now(), now());',
      '',
    ].join('\n');
    expect(readDump(text)).toBeUndefined();
  });

  it('bookkeeping tables of other frameworks', () => {
    const tables = ['django_migrations', 'flyway_schema_history', 'knex_migrations', '"SequelizeMeta"', 'doctrine_migration_versions', 'goose_db_version', '"__EFMigrationsHistory"'];
    const text = [...PG_HEADER, ...tables.map((t) => `INSERT INTO public.${t} VALUES (1, '0001_initial');`)].join('\n');
    expect(readDump(text)).toBeUndefined();
  });

  it('a seed file: three INSERTs and no dump header', () => {
    const text = [
      '-- Reference data',
      "INSERT INTO countries (code, name) VALUES ('FR', 'France');",
      "INSERT INTO countries (code, name) VALUES ('DE', 'Germany');",
      "INSERT INTO countries (code, name) VALUES ('IT', 'Italy');",
    ].join('\n');
    expect(readDump(text)).toBeUndefined();
  });

  it('empty COPY blocks, with and without a header', () => {
    const block = 'COPY public.users (id, email) FROM stdin;\n\\.\n';
    expect(readDump(`${PG_HEADER.join('\n')}\n${block}`)).toBeUndefined();
    expect(readDump(block)).toBeUndefined();
  });

  it('mysqldump --no-data, a migration, a sqlite3 .schema, plain JSON', () => {
    expect(readDump(mysqlDump([]).lines.filter((l) => !l.startsWith('INSERT INTO `orders`')).join('\n'))).toBeUndefined();
    expect(readDump('CREATE TABLE users (id serial PRIMARY KEY, email text);\nALTER TABLE users ADD COLUMN name text;\n')).toBeUndefined();
    expect(readDump('CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT);\n')).toBeUndefined();
    expect(readDump('{"_id": 1, "email": "a@example.com"}\n')).toBeUndefined();
    expect(readDump('')).toBeUndefined();
  });

  it('stays linear on hostile input (unclosed strings, deep parentheses, many statements)', () => {
    const inputs = [
      `${PG_HEADER.join('\n')}\nINSERT INTO t VALUES (${"'".repeat(200_000)}`,
      `${PG_HEADER.join('\n')}\nINSERT INTO t VALUES ${'('.repeat(200_000)}`,
      `-- MySQL dump\n${"INSERT INTO t VALUES ('\\\\\\'', 1);\n".repeat(50_000)}`,
      `${'COPY t FROM stdin;\n'.repeat(50_000)}`,
      `${PG_HEADER.join('\n')}\n${'$a$ '.repeat(100_000)}`,
      `"${'x'.repeat(1_000_000)}`,
    ];
    const started = performance.now();
    for (const input of inputs) readDump(input);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

// ---------------------------------------------------------------------------------------------

const dumpBytes = (kind: string, seed = kind) => Buffer.from(expandTemplates(`{{dump:${kind}}}`, seededRandom(seed)).text, 'latin1');

describe('dump-file validator', () => {
  it('is registered as a file validator', () => {
    expect(VALIDATORS['dump-file']?.kind).toBe('file');
  });

  it.each(['sqlite', 'redis', 'bson', 'pgdump', 'mssql', 'mssql-compressed', 'gzip', 'bzip2', 'xz', 'zstd'])('reports {{dump:%s}}', (kind) => {
    expect(dumpFileMayHoldData(dumpBytes(kind))).toBe(true);
  });

  it('leaves out empty databases and streams', () => {
    expect(dumpFileMayHoldData(new Uint8Array())).toBe(false);
    expect(dumpFileMayHoldData(dumpBytes('sqlite-empty'))).toBe(false);
    expect(dumpFileMayHoldData(dumpBytes('sqlite').subarray(0, 1024))).toBe(false);
    expect(dumpFileMayHoldData(dumpBytes('redis-empty'))).toBe(false);
    expect(dumpFileMayHoldData(gzipSync(''))).toBe(false);
    expect(dumpFileMayHoldData(Buffer.from('425a683917724538509000000000', 'hex'))).toBe(false);
    expect(dumpFileMayHoldData(Buffer.from('0500000000', 'hex'))).toBe(false);
  });

  it('reads an RDB header with compressed and integer-encoded fields', () => {
    const redis = dumpBytes('redis');
    const lzf = Buffer.from([0xfa, 0x04, ...Buffer.from('note'), 0xc3, 0x03, 0x05, 0x01, 0x02, 0x03]);
    const withLzf = Buffer.concat([redis.subarray(0, 9), lzf, redis.subarray(9)]);
    expect(dumpFileMayHoldData(withLzf)).toBe(true);
    const empty = dumpBytes('redis-empty');
    expect(dumpFileMayHoldData(Buffer.concat([empty.subarray(0, 9), lzf, empty.subarray(9)]))).toBe(false);
  });

  it('leaves out what only looks like one: text behind a magic, other binary formats, broken BSON', () => {
    const random = seededRandom('noise');
    const noise = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
    expect(dumpFileMayHoldData(dumpBytes('ole'))).toBe(false);
    expect(dumpFileMayHoldData(noise)).toBe(false);
    expect(dumpFileMayHoldData(Buffer.from('TAPE measure: 3 m\nPGDMP is a format\n'))).toBe(false);
    expect(dumpFileMayHoldData(Buffer.from('PGDMP notes'))).toBe(false);
    expect(dumpFileMayHoldData(Buffer.from('server {\n  listen 80;\n}\n'))).toBe(false);
    const bson = dumpBytes('bson');
    expect(dumpFileMayHoldData(bson.subarray(0, bson.length - 3))).toBe(false);
    const corrupt = Buffer.from(bson);
    corrupt[4] = 0x42; // an unknown element type
    expect(dumpFileMayHoldData(corrupt)).toBe(false);
    // An ELF binary: its first 4 bytes as a length point far past the end.
    expect(dumpFileMayHoldData(Buffer.concat([Buffer.from('7f454c46020101', 'hex'), noise]))).toBe(false);
  });

  it('reports a Git LFS pointer and a plain SQL dump with data under a dump name; not a schema-only one', () => {
    expect(dumpFileMayHoldData(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${'ab'.repeat(32)}\nsize 73400320\n`))).toBe(true);
    expect(dumpFileMayHoldData(Buffer.from(pgDumpCopy(people(3)).text))).toBe(true);
    expect(dumpFileMayHoldData(Buffer.from([...PG_HEADER, ...PG_SCHEMA].join('\n')))).toBe(false);
  });

  it('makes a SQLite file with its rows on page 2, and none there when empty', () => {
    const full = dumpBytes('sqlite');
    expect(full.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect([full[1024], full.readUInt16BE(1027)]).toEqual([0x0d, 12]);
    const empty = dumpBytes('sqlite-empty');
    expect([empty[1024], empty.readUInt16BE(1027)]).toEqual([0x0d, 0]);
  });
});
