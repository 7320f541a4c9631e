import { describe, expect, it } from 'vitest';
import { findPersonalValues, PERSONAL_KINDS } from '../../../src/engine/prodData/personalValues.js';
import { seededRandom } from '../../support/fakeSecrets.js';
import {
  cardNumber,
  dataWithoutPersonalValues,
  email,
  groupCard,
  groupIban,
  iban,
  IBAN_COUNTRIES,
  luhnDigit,
  luhnValidOutsideIssuers,
  phone,
  ssn,
  type CardNetwork,
  type PhoneRegion,
} from '../../support/personalData.js';

/**
 * The validated personal values the prod-data check counts (issue #23). Every value that must be
 * found is generated (test/support/personalData.ts); the literals below are the published test
 * numbers, registry examples and reserved ranges that must stay quiet.
 */
const random = seededRandom('personal-values');

/** The whole result as [kind, line, key], to compare exactly. */
const found = (text: string) => findPersonalValues(text).map((value) => [value.kind, value.line, value.key]);

const digitsOnly = (value: string) => value.replace(/\D/g, '');

describe('finds each kind', () => {
  it('in a CSV export, in order of appearance, with the line of each', () => {
    const networks: CardNetwork[] = ['visa', 'mastercard', 'amex', 'discover', 'jcb'];
    const rows = networks.map((network, i) => {
      const [mail, tel, card, account, id] = [email(random), phone(random, 'US'), cardNumber(random, network), iban(random, 'DE'), ssn(random)];
      return {
        line: `${i + 1},Jane Roe,${mail},${tel.national},${card},${account},${id},2024-03-1${i}`,
        expected: [
          ['email', i + 1, mail],
          ['phone', i + 1, tel.e164],
          ['card', i + 1, card],
          ['iban', i + 1, account],
          ['ssn', i + 1, digitsOnly(id)],
        ],
      };
    });
    const csv = ['id,name,email,phone,card,iban,ssn,created', ...rows.map((row) => row.line)].join('\n') + '\n';
    expect(found(csv)).toEqual(rows.flatMap((row) => row.expected));
  });

  it('in JSON lines, values written the way people write them', () => {
    const regions: PhoneRegion[] = ['GB', 'DE', 'FR', 'AU'];
    const rows = regions.map((region, i) => {
      const [mail, tel, card, account, id] = [email(random), phone(random, region), cardNumber(random, 'mastercard2'), iban(random, 'GB'), ssn(random)];
      const upper = mail.toUpperCase();
      return {
        line: JSON.stringify({ email: upper, phone: tel.international, card: groupCard(card, ' '), iban: groupIban(account), ssn: id }),
        expected: [
          ['email', i, mail],
          ['phone', i, tel.e164],
          ['card', i, card],
          ['iban', i, account],
          ['ssn', i, digitsOnly(id)],
        ],
      };
    });
    expect(found(rows.map((row) => row.line).join('\r\n'))).toEqual(rows.flatMap((row) => row.expected));
  });

  it('in a SQL dump, with national phone formats and dashed card numbers', () => {
    const regions: PhoneRegion[] = ['GB', 'DE', 'FR', 'AU', 'US'];
    const rows = regions.map((region, i) => {
      const [mail, tel, card, account, id] = [email(random), phone(random, region), cardNumber(random, 'amex'), iban(random, 'FR'), ssn(random)];
      const values = `${i + 1}, '${mail}', '${tel.national}', '${groupCard(card, '-')}', '${account}', '${id}', '2024-05-0${i + 1} 10:3${i}:00'`;
      return {
        line: `INSERT INTO customers (id, email, phone, card, iban, ssn, created_at) VALUES (${values});`,
        expected: [
          ['email', i + 2, mail],
          ['phone', i + 2, tel.e164],
          ['card', i + 2, card],
          ['iban', i + 2, account],
          ['ssn', i + 2, digitsOnly(id)],
        ],
      };
    });
    const dump = ['-- dump of production', 'BEGIN;', ...rows.map((row) => row.line), 'COMMIT;'].join('\n');
    expect(found(dump)).toEqual(rows.flatMap((row) => row.expected));
  });

  it('in YAML and XML', () => {
    const [mail, tel, card] = [email(random), phone(random, 'GB'), cardNumber(random, 'unionpay')];
    const yaml = `customer:\n  email: ${mail}\n  phone: "${tel.national}"\n  card: ${card}\n`;
    expect(found(yaml)).toEqual([
      ['email', 1, mail],
      ['phone', 2, tel.e164],
      ['card', 3, card],
    ]);
    const xml = `<customer><email>${mail}</email><phone>${tel.international}</phone><card>${groupCard(card, ' ')}</card></customer>`;
    expect(found(xml)).toEqual([
      ['email', 0, mail],
      ['phone', 0, tel.e164],
      ['card', 0, card],
    ]);
  });

  it.each<CardNetwork>(['visa', 'mastercard', 'mastercard2', 'amex', 'discover', 'jcb', 'diners', 'diners14', 'unionpay'])(
    'card numbers of %s, bare and grouped',
    (network) => {
      const cards = Array.from({ length: 20 }, () => cardNumber(random, network));
      // 13-digit Visa numbers have no usual grouping: they stay bare.
      const forms = (card: string) => (card.length === 13 ? [card] : [card, groupCard(card, ' '), groupCard(card, '-')]);
      const text = cards.map((card, i) => `${i},${forms(card)[i % forms(card).length]}`).join('\n');
      expect(found(text)).toEqual(cards.map((card, i) => ['card', i, card]));
    },
  );

  it.each(IBAN_COUNTRIES)('%s IBANs, compact and in groups of four', (country) => {
    const accounts = Array.from({ length: 10 }, () => iban(random, country));
    const text = accounts.map((account, i) => `"${i % 2 ? groupIban(account) : account}"`).join('\n');
    expect(found(text)).toEqual(accounts.map((account, i) => ['iban', i, account]));
  });

  it('US SSNs written AAA-GG-SSSS', () => {
    const ids = Array.from({ length: 30 }, () => ssn(random));
    expect(found(ids.map((id) => `ssn=${id};`).join('\n'))).toEqual(ids.map((id, i) => ['ssn', i, digitsOnly(id)]));
  });

  it.each<PhoneRegion>(['US', 'GB', 'DE', 'FR', 'AU'])('%s phone numbers, national and international forms under one key', (region) => {
    const numbers = Array.from({ length: 15 }, () => phone(random, region));
    const text = numbers.map((tel) => `"${tel.national}","${tel.international}"`).join('\n');
    expect(found(text)).toEqual(numbers.flatMap((tel, i) => [['phone', i, tel.e164], ['phone', i, tel.e164]]));
  });

  it('North American forms with dashes, dots, spaces and the leading 1', () => {
    const tel = phone(random, 'US');
    const [area, exchange, line] = [tel.e164.slice(2, 5), tel.e164.slice(5, 8), tel.e164.slice(8)];
    const forms = [`${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`, `${area} ${exchange} ${line}`, `(${area})${exchange}-${line}`, `1-${area}-${exchange}-${line}`, `+1 ${area} ${exchange} ${line}`];
    expect(found(forms.join('\n'))).toEqual(forms.map((_, i) => ['phone', i, tel.e164]));
  });

  it('e-mail addresses, keyed lower-case, including a mailto: link', () => {
    const [a, b] = [email(random), email(random)];
    expect(found(`<a href="mailto:${a}">${a.toUpperCase()}</a>, ${b}.`)).toEqual([
      ['email', 0, a],
      ['email', 0, a],
      ['email', 0, b],
    ]);
  });

  it('a card followed by its CVV, and an IBAN followed by its currency', () => {
    const card = cardNumber(random, 'mastercard');
    const account = iban(random, 'DE');
    expect(found(`${groupCard(card, ' ')} 123\n${groupIban(account)} EUR`)).toEqual([
      ['card', 0, card],
      ['iban', 1, account],
    ]);
  });
});

describe('stays quiet on', () => {
  it('the card networks’ and payment providers’ published test numbers', () => {
    const published = [
      '4242424242424242', '4000056655665556', '5555555555554444', '2223003122003222', '5200828282828210', '5105105105105100',
      '378282246310005', '371449635398431', '6011111111111117', '6011000990139424', '3056930009020004', '36227206271667',
      '3566002020360505', '6200000000000005', '4111111111111111', '4012888888881881', '5431111111111111', '4000000000000002',
      '4000000000003220', '4000000000009995', '4000002500003155', '6205500000000000004', '30569309025904', '38520000023237',
      '3530111333300000', '4009348888881881', '4005519200000004', '4500600000000061', '4444333322221111', '5454545454545454',
    ];
    const text = published.map((card) => `${card},${groupCard(card, ' ')},${groupCard(card, '-')}`).join('\n');
    expect(found(text)).toEqual([]);
  });

  it('invented numbers: one digit repeated, short patterns repeated, digits counting up', () => {
    const bodies = ['4' + '7'.repeat(14), '5' + '31'.repeat(7), '4' + '510'.repeat(4) + '51', '456789012345678', '6011' + '0'.repeat(11)];
    expect(found(bodies.map((body) => body + luhnDigit(body)).join('\n'))).toEqual([]);
  });

  it('Luhn-valid numbers outside every issuer range, or of the wrong length for the network', () => {
    const outside = Array.from({ length: 20 }, () => luhnValidOutsideIssuers(random));
    const amex16 = '37' + cardNumber(random, 'mastercard').slice(2, 15);
    const visa15 = cardNumber(random, 'amex').replace(/^3./, '41').slice(0, 14);
    const wrongLength = [amex16 + luhnDigit(amex16), visa15 + luhnDigit(visa15)];
    expect(found([...outside, ...wrongLength].join('\n'))).toEqual([]);
  });

  it('card numbers whose Luhn check fails', () => {
    const cards = Array.from({ length: 10 }, () => cardNumber(random, 'visa')).map((card) => card.slice(0, -1) + ((Number(card.at(-1)) + 1) % 10));
    expect(found(cards.join('\n'))).toEqual([]);
  });

  it('a card number inside a longer digit run, a word, a hex string or a decimal', () => {
    const card = cardNumber(random, 'discover');
    const text = [`${card}${card}`, `ref${card}`, `${card}abc`, `deadbeef${card}cafe`, `0.${card}`, `${card}.5`, `id_${card}`].join('\n');
    expect(found(text)).toEqual([]);
    expect(found(card)).toEqual([['card', 0, card]]);
  });

  it('the registry and documentation example IBANs, and IBANs whose check digits fail', () => {
    const examples = ['GB82WEST12345698765432', 'DE89370400440532013000', 'GB29NWBK60161331926819', 'NL91ABNA0417164300', 'FR1420041010050500013M02606', 'CH9300762011623852957', 'BE68539007547034'];
    const account = iban(random, 'DE');
    const badCheck = `${account.slice(0, 2)}${String((Number(account.slice(2, 4)) + 1) % 100).padStart(2, '0')}${account.slice(4)}`;
    const text = [...examples, ...examples.map(groupIban), badCheck, `X${account}`, `${account}9`].join('\n');
    expect(found(text)).toEqual([]);
  });

  it('SSN-shaped values the SSA never issues, the famous misused ones, and bare 9-digit runs', () => {
    const never = ['000-12-3456', '666-12-3456', '900-12-3456', '999-45-6789', '536-00-8141', '536-22-0000'];
    const famous = ['078-05-1120', '219-09-9999', '123-45-6789'];
    const id = ssn(random);
    const shapes = [digitsOnly(id), `9-${id}`, `${id}-4`, `${id}7`, `A${id}`];
    expect(found([...never, ...famous, ...shapes].map((value) => `"${value}"`).join('\n'))).toEqual([]);
  });

  it('phone numbers reserved for fiction: 555-01xx, Ofcom drama numbers, ACMA fictitious numbers', () => {
    const fictional = [
      '(415) 555-0123', '212-555-0199', '+1 202 555 0100', '1-800-555-0150',
      '020 7946 0018', '+44 20 7946 0958', '0113 496 0123', '0161 496 0999', '0191 498 0555', '029 2018 0123',
      '028 9649 6123', '01632 960123', '07700 900123', '+44 7700 900461', '08081 570123', '0909 879 0123', '03069 990123',
      '0491 570 156', '0491 579 455', '+61 491 570 006', '02 5550 1234', '03 7010 9876', '+61 8 5550 1234', '1800 160 401',
    ];
    expect(found(fictional.map((tel) => `"${tel}"`).join('\n'))).toEqual([]);
  });

  it('bare digit runs, which are ids and timestamps far more often than phone numbers', () => {
    const tel = phone(random, 'US');
    const text = ['1700000000', '1700000000123', digitsOnly(tel.national), tel.e164.slice(1), '02079460018', '4915112345678'].join(',');
    expect(found(text)).toEqual([]);
  });

  it('dates, times, versions, IP addresses, UUIDs, ISBNs and hex dumps', () => {
    const text = [
      '2024-01-15 10:30:00,15.01.2024,01/02/2024 12:00,2024-01-15T10:30:00+01:00',
      'v1.23.4567,10.0.0.1,192.168.100.200,978-3-16-148410-0',
      'a749a64d-0988-4017-0891-d8af78c4daef,12345678-0412-3456-7890-123456789012',
      '[ 01 99 00 01 98 00 07 21 ]',
      '0x0010 bc 8a 10 9e 07 01 01 99 00 00 00 00 00 00 00 00',
    ].join('\n');
    expect(found(text)).toEqual([]);
  });

  it("addresses that reach no one on purpose: noreply, and GitHub's private commit addresses", () => {
    const text = ['noreply@shop.io', 'no-reply@bank.de', 'do-not-reply@mail.fr', 'orders+noreply@store.com', '21031067+octo@users.noreply.github.com'].join('\n');
    expect(found(text)).toEqual([]);
  });

  it('reserved and placeholder e-mail domains, image names, URL credentials and SSH remotes', () => {
    const text = [
      'ana@example.com', 'bo@mail.example.org', 'cy@example.net', 'di@shop.example', 'ed@foo.test', 'fi@host.invalid',
      'gu@printer.local', 'hy@app.localhost', 'ik@domain.com', 'jo@email.com', 'ka@yourcompany.com',
      'icon@2x.png', 'git@github.com:owner/repo.git', 'https://deploy@db.internal.io/app', 'ssh://git@gitlab.io/x.git',
      '@types/node', 'name@1.2.3',
    ].join('\n');
    expect(found(text)).toEqual([]);
  });

  it('a megabyte of data with ids, timestamps, hashes and amounts but no personal value', () => {
    const data = dataWithoutPersonalValues(seededRandom('personal-values-none'), 1_000_000);
    expect(data.length).toBeGreaterThanOrEqual(1_000_000);
    expect(findPersonalValues(data)).toEqual([]);
  });
});

it('names every kind for reports, one and many', () => {
  expect(PERSONAL_KINDS).toEqual({
    card: ['payment card number', 'payment card numbers'],
    iban: ['IBAN', 'IBANs'],
    ssn: ['US Social Security number', 'US Social Security numbers'],
    phone: ['phone number', 'phone numbers'],
    email: ['email address', 'email addresses'],
  });
});
