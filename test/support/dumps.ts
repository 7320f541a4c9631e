/**
 * Database dumps as the tools write them, generated from made-up people at example.com (issue #23):
 * no personal value is committed. Shared by the dump tests, the engine's prod-data tests and the hook.
 */
import { randomString, seededRandom, type Random } from './fakeSecrets.js';

export interface Person {
  id: number;
  email: string;
  name: string;
  /** Text that trips naive parsers: quotes, parentheses, `),(`, semicolons, backslashes, line breaks. */
  note: string;
}

const NOTES = [
  "it's fine (really), ok",
  'tuple-like ),( inside; and a semicolon',
  'a path C:\\temp\\',
  'two\nlines',
  'quote "double" and \'single\'',
  'dollar $$ and $tag$ signs',
  '',
];

export function people(n: number, seed = 'people'): Person[] {
  const random: Random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const first = randomString(random, 'lower', 6);
    const last = randomString(random, 'lower', 8);
    return { id: i + 1, email: `${first}.${last}${i}@example.com`, name: `${first} ${last}`, note: NOTES[i % NOTES.length]! };
  });
}

/** Lines of a dump, remembering the index of the first line holding a data row. */
export class Lines {
  readonly lines: string[] = [];
  firstData = -1;
  push(...lines: string[]): void {
    this.lines.push(...lines);
  }
  /** A data row (or the line holding the first tuple of one): the first such line is remembered. */
  data(line: string): void {
    if (this.firstData === -1) this.firstData = this.lines.length;
    this.lines.push(line);
  }
  get text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

// ---------------------------------------------------------------------------------------------
// Generators

export const PG_HEADER = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  '',
  '\\restrict Qm9vZGxlcyBhbmQgbm9vZGxlcw',
  '',
  '-- Dumped from database version 16.3',
  '-- Dumped by pg_dump version 16.3',
  '',
  'SET statement_timeout = 0;',
  "SET client_encoding = 'UTF8';",
  'SET standard_conforming_strings = on;',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  '',
];

/** A trigger function whose body holds an INSERT statement at the start of a line, in a dollar-quoted string. */
export const PG_FUNCTION = [
  'CREATE FUNCTION public.log_signup() RETURNS trigger',
  '    LANGUAGE plpgsql',
  '    AS $$',
  'BEGIN',
  'NEW.updated_at := now();',
  "INSERT INTO public.audit VALUES (NEW.id, 'signup; (new)');",
  'RETURN NEW;',
  'END $$;',
  '',
];

export const PG_SCHEMA = [
  'CREATE TABLE public.users (',
  '    id integer NOT NULL,',
  '    email text,',
  '    name text,',
  '    note text',
  ');',
  '',
  'CREATE TABLE public.schema_migrations (version character varying NOT NULL);',
  'CREATE TABLE public.audit (user_id integer, what text);',
  '',
];

/** pg_dump's COPY text format: tab-separated, `\N` for NULL, backslash escapes. */
const copyValue = (value: string) => (value === '' ? '\\N' : value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t'));

export function pgDumpCopy(users: Person[], { header = true } = {}): Lines {
  const out = new Lines();
  if (header) out.push(...PG_HEADER, ...PG_FUNCTION, ...PG_SCHEMA);
  out.push('--', '-- Data for Name: audit; Type: TABLE DATA; Schema: public; Owner: app', '--', '');
  out.push('COPY public.audit (user_id, what) FROM stdin;', '\\.', '', '');
  out.push('COPY public.schema_migrations (version) FROM stdin;', '20240101000000', '20240102000000', '\\.', '', '');
  out.push('COPY public.users (id, email, name, note) FROM stdin;');
  for (const p of users) out.data([p.id, p.email, p.name, p.note].map((v) => copyValue(String(v))).join('\t'));
  out.push('\\.', '', '');
  if (header) out.push('--', '-- PostgreSQL database dump complete', '--', '', '\\unrestrict Qm9vZGxlcyBhbmQgbm9vZGxlcw');
  return out;
}

