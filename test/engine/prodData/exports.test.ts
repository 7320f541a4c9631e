/**
 * Customer exports by their columns (src/engine/prodData/exports.ts), issue #23. Every export is
 * generated here from made-up people at example.com and numbers of no one: no personal value is
 * committed.
 */
import { describe, expect, it } from 'vitest';
import { readExport } from '../../../src/engine/prodData/exports.js';
import { randomString, seededRandom } from '../../support/fakeSecrets.js';

interface Person {
  id: number;
  first: string;
  last: string;
  email: string;
  phone: string;
  dob: string;
  street: string;
  zip: string;
  ssn: string;
}

function people(n: number, seed = 'people'): Person[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const first = randomString(random, 'lower', 6);
    const last = randomString(random, 'lower', 8);
    return {
      id: i + 1,
      first,
      last,
      email: `${first}.${last}${i}@example.com`,
      // 555-01xx: reserved for fiction.
      phone: `+1 415 555 01${randomString(random, 'digits', 2)}`,
      dob: `19${randomString(random, 'digits', 2)}-0${1 + (i % 9)}-1${i % 10}`,
      street: `${1 + (i % 90)} ${randomString(random, 'lower', 7)} street, apt ${i % 7}`,
      zip: randomString(random, 'digits', 5),
      ssn: `9${randomString(random, 'digits', 2)}-${randomString(random, 'digits', 2)}-${randomString(random, 'digits', 4)}`,
    };
  });
}

/** A CSV field, quoted when it needs to be. */
const field = (value: string | number, delimiter = ',') => {
  const text = String(value);
  return text.includes(delimiter) || /["\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const csv = (rows: Array<Array<string | number>>, delimiter = ',') => `${rows.map((row) => row.map((v) => field(v, delimiter)).join(delimiter)).join('\n')}\n`;

const users = people(30);

describe('readExport: CSV and TSV', () => {
  it('reports a customer export with its personal columns, rows and first data line', () => {
    const text = csv([['id', 'first_name', 'last_name', 'email', 'phone', 'date_of_birth', 'plan'], ...users.map((p) => [p.id, p.first, p.last, p.email, p.phone, p.dob, 'pro'])]);
    expect(readExport('exports/customers.csv', text)).toEqual({
      format: 'csv',
      columns: ['first_name', 'last_name', 'email', 'phone', 'date_of_birth'],
      rows: 30,
      firstDataLine: 1,
    });
  });

  it('counts records, not lines: quoted fields with delimiters, quotes and line breaks', () => {
    const header = ['Email Address', 'Full Name', 'Mailing Address', 'Notes'];
    const rows = users.map((p) => [p.email, `${p.first} ${p.last}`, `${p.street}\n${p.zip} Springfield`, 'said "hi", then left']);
    const text = `\n\n${csv([header, ...rows])}`;
    expect(readExport('crm/contacts.CSV', text)).toEqual({ format: 'csv', columns: ['Email Address', 'Full Name', 'Mailing Address'], rows: 30, firstDataLine: 3 });
  });

  it('reads Excel CSV: a BOM, `sep=;`, CRLF line ends, semicolons', () => {
    const rows = users.map((p) => [p.first, p.email, p.phone, 'paid; thanks']);
    const text = `\uFEFFsep=;\r\n${csv([['First Name', 'E-Mail', 'Phone Number', 'Notes'], ...rows], ';').replace(/\n/g, '\r\n')}`;
    expect(readExport('customers.csv', text)).toEqual({ format: 'csv', columns: ['First Name', 'E-Mail', 'Phone Number'], rows: 30, firstDataLine: 2 });
  });

  it('sniffs a semicolon delimiter without `sep=`, and reads TSV', () => {
    const semicolons = csv([['email', 'mobile'], ...users.map((p) => [p.email, p.phone])], ';');
    expect(readExport('a.csv', semicolons)).toMatchObject({ columns: ['email', 'mobile'], rows: 30 });
    const tsv = csv([['customer_id', 'billing_email', 'billing_phone', 'billing_postcode'], ...users.map((p) => [p.id, p.email, p.phone, p.zip])], '\t');
    expect(readExport('orders.tsv', tsv)).toEqual({ format: 'tsv', columns: ['billing_email', 'billing_phone', 'billing_postcode'], rows: 30, firstDataLine: 1 });
  });

  it('takes one strong column alone: an SSN, a date of birth, a card number, an IBAN', () => {
    const ssn = csv([['member', 'SSN'], ...users.map((p) => [p.id, p.ssn])]);
    expect(readExport('members.csv', ssn)).toMatchObject({ columns: ['SSN'], rows: 30 });
    const dob = csv([['id', 'dateOfBirth'], ...users.map((p) => [p.id, p.dob])]);
    expect(readExport('dob.csv', dob)).toMatchObject({ columns: ['dateOfBirth'] });
    const random = seededRandom('cards');
    const cards = csv([['order', 'card_number'], ...users.map((p) => [p.id, `4000 ${randomString(random, 'digits', 4)} ${randomString(random, 'digits', 4)} ${randomString(random, 'digits', 4)}`])]);
    expect(readExport('payments.csv', cards)).toMatchObject({ columns: ['card_number'] });
    const ibans = csv([['id', 'IBAN'], ...users.map((p) => [p.id, `DE00 ${randomString(random, 'digits', 4)} ${randomString(random, 'digits', 4)} ${randomString(random, 'digits', 4)} ${randomString(random, 'digits', 4)} 00`])]);
    expect(readExport('payouts.csv', ibans)).toMatchObject({ columns: ['IBAN'] });
  });

  it('counts past the examined rows cheaply, exactly', () => {
    const many = people(5000, 'many');
    const text = csv([['email', 'phone'], ...many.map((p) => [p.email, p.phone])]);
    expect(readExport('big.csv', text)).toEqual({ format: 'csv', columns: ['email', 'phone'], rows: 5000, firstDataLine: 1 });
  });
});

describe('readExport: not exports', () => {
  it('names alone, or a name beside columns that are not personal', () => {
    expect(readExport('authors.csv', csv([['first_name', 'last_name'], ...users.map((p) => [p.first, p.last])]))).toBeUndefined();
    expect(readExport('products.csv', csv([['name', 'price', 'sku'], ...users.map((p) => [p.first, '9.99', p.id])]))).toBeUndefined();
    expect(readExport('users.csv', csv([['username', 'email'], ...users.map((p) => [p.first, p.email])]))).toBeUndefined();
  });

  it('one weak column alone, or two of one kind (an address and its postcode)', () => {
    expect(readExport('list.csv', csv([['id', 'email'], ...users.map((p) => [p.id, p.email])]))).toBeUndefined();
    expect(readExport('stores.csv', csv([['street', 'zip'], ...users.map((p) => [p.street, p.zip])]))).toBeUndefined();
  });

  it('fewer personal rows than minRows; empty or non-personal cells do not count', () => {
    const four = csv([['email', 'phone'], ...users.slice(0, 4).map((p) => [p.email, p.phone])]);
    expect(readExport('few.csv', four)).toBeUndefined();
    expect(readExport('few.csv', four, 3)).toMatchObject({ rows: 4 });
    const empty = csv([['email', 'phone'], ...users.map((p, i) => [p.email, i < 3 ? p.phone : i % 2 ? '' : 'NULL'])]);
    expect(readExport('sparse.csv', empty)).toBeUndefined();
    const flags = csv([['email', 'phone'], ...users.map((p) => ['true', p.phone])]);
    expect(readExport('flags.csv', flags)).toBeUndefined();
  });

  it('a header alone, an empty file, a file of another type', () => {
    expect(readExport('empty.csv', 'email,phone,date_of_birth\n')).toBeUndefined();
    expect(readExport('empty.csv', '')).toBeUndefined();
    expect(readExport('people.txt', csv([['email', 'phone'], ...users.map((p) => [p.email, p.phone])]))).toBeUndefined();
  });
});

describe('readExport: JSON and NDJSON', () => {
  const records = users.map((p) => ({
    id: p.id,
    firstName: p.first,
    lastName: p.last,
    emailAddress: p.email,
    phoneNumber: p.phone,
    active: true,
  }));

  it('reads an array of objects, keys as columns', () => {
    const text = JSON.stringify(records, null, 2);
    expect(readExport('fixtures/users.json', text)).toEqual({
      format: 'json',
      columns: ['firstName', 'lastName', 'emailAddress', 'phoneNumber'],
      rows: 30,
      firstDataLine: 1,
    });
  });

  it('reads the array under a key, and objects nested one level', () => {
    const nested = users.map((p) => ({
      id: p.id,
      customer: { email: p.email, phone: p.phone },
      address: { street: p.street, zip: p.zip },
      total: 12,
    }));
    const text = `{\n  "exportedAt": "2024-05-01",\n  "count": 30,\n  "orders": [\n${nested.map((o) => `    ${JSON.stringify(o)}`).join(',\n')}\n  ]\n}\n`;
    expect(readExport('orders.json', text)).toEqual({ format: 'json', columns: ['customer.email', 'customer.phone', 'address'], rows: 30, firstDataLine: 4 });
  });

  it('reads NDJSON, also in a .json file (mongoexport, log shippers)', () => {
    const lines = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    expect(readExport('users.jsonl', lines)).toEqual({ format: 'ndjson', columns: ['firstName', 'lastName', 'emailAddress', 'phoneNumber'], rows: 30, firstDataLine: 0 });
    expect(readExport('users.ndjson', `\n${lines}`)).toMatchObject({ rows: 30, firstDataLine: 1 });
    expect(readExport('users.json', lines)).toMatchObject({ format: 'ndjson', rows: 30 });
  });

  it('leaves out JSON that is not a table of people', () => {
    expect(readExport('package.json', JSON.stringify({ name: 'app', author: { name: 'Dev', email: 'dev@example.com' } }))).toBeUndefined();
    expect(readExport('config.json', JSON.stringify({ smtp: { host: 'mail', port: 25 }, zip: true }))).toBeUndefined();
    expect(readExport('few.json', JSON.stringify(records.slice(0, 4)))).toBeUndefined();
    expect(readExport('names.json', JSON.stringify(records.map(({ firstName, lastName }) => ({ firstName, lastName }))))).toBeUndefined();
    expect(readExport('broken.json', `[${JSON.stringify(records[0])},`)).toBeUndefined();
    expect(readExport('numbers.json', JSON.stringify(Array.from({ length: 50 }, (_, i) => i)))).toBeUndefined();
  });
});
