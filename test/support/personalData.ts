import { composeIBAN, isValidIBAN } from 'ibantools';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { type Random, randomString } from './fakeSecrets.js';

/**
 * Personal values that pass the prod-data detectors' validation (issue #23), made at test time from
 * a seeded generator (`seededRandom` in fakeSecrets.ts) so that no real-looking card number, IBAN,
 * SSN, phone number or address is committed, and a failure reproduces. Each generator stays clear
 * of the published examples and reserved ranges the detectors leave out, so what it makes must be
 * found.
 */

const digitsOf = (random: Random, length: number): string => randomString(random, 'digits', length);
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/**
 * What the detectors take for an invented number, and a little more, so that a generated value is
 * never skipped: half the digits the same one, five identical in a row, a 2- or 3-digit pattern
 * repeated, six digits counting up or down.
 */
function looksInvented(digits: string): boolean {
  const counts = new Map<string, number>();
  for (const d of digits) counts.set(d, (counts.get(d) ?? 0) + 1);
  if (Math.max(...counts.values()) * 2 >= digits.length) return true;
  if (/(\d)\1{4}|(\d\d)\2{3}|(\d{3})\3{2}/.test(digits)) return true;
  const up = '01234567890123456';
  for (let i = 0; i + 6 <= digits.length; i++) {
    const run = digits.slice(i, i + 6);
    if (up.includes(run) || up.includes([...run].reverse().join(''))) return true;
  }
  return false;
}

/** The Luhn check digit for `body` (the card number without its last digit). */
export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = body.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = body.charCodeAt(i) - 48;
    if (double) d = d > 4 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export type CardNetwork = 'visa' | 'mastercard' | 'mastercard2' | 'amex' | 'discover' | 'jcb' | 'diners' | 'diners14' | 'unionpay';

/** An issuer prefix in the network's range and the number's length. */
const NETWORKS: Record<CardNetwork, (random: Random) => [string, number]> = {
  visa: (random) => ['4', pick(random, [13, 16, 19])],
  mastercard: (random) => [String(between(random, 51, 55)), 16],
  mastercard2: (random) => [String(between(random, 2221, 2720)), 16],
  amex: (random) => [pick(random, ['34', '37']), 15],
  discover: (random) => [pick(random, ['6011', String(between(random, 644, 649)), '65']), 16],
  jcb: (random) => [String(between(random, 3528, 3589)), 16],
  diners: (random) => [String(between(random, 300, 305)), 16],
  diners14: (random) => [pick(random, ['36', '38']), 14],
  unionpay: (random) => ['62', pick(random, [16, 19])],
};

/** A Luhn-valid card number of `network`, digits only. */
export function cardNumber(random: Random, network: CardNetwork): string {
  for (;;) {
    const [prefix, length] = NETWORKS[network](random);
    const body = prefix + digitsOf(random, length - prefix.length - 1);
    const number = body + luhnDigit(body);
    if (!looksInvented(number)) return number;
  }
}

/** A Luhn-valid 16-digit number whose first digit (0, 1, 7, 8 or 9) no card network issues. */
export function luhnValidOutsideIssuers(random: Random): string {
  const body = pick(random, ['0', '1', '7', '8', '9']) + digitsOf(random, 14);
  return body + luhnDigit(body);
}

/** The number grouped as printed: 4-4-4-4(-3), or 4-6-5 / 4-6-4 for 15 and 14 digits. */
export function groupCard(digits: string, separator: ' ' | '-'): string {
  const groups = digits.length === 15 || digits.length === 14 ? [4, 6, digits.length - 10] : [4, 4, 4, 4, 3];
  const out: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + size));
    at += size;
  }
  return out.join(separator);
}

/** BBAN makers for a few countries' formats (ibantools checks the national structure). */
const BBANS: Record<string, (random: Random) => string> = {
  DE: (random) => digitsOf(random, 18),
  GB: (random) => randomString(random, 'upper', 4) + digitsOf(random, 14),
  NL: (random) => randomString(random, 'upper', 4) + digitsOf(random, 10),
  FR: (random) => digitsOf(random, 10) + randomString(random, 'uppernum', 11) + digitsOf(random, 2),
  ES: (random) => digitsOf(random, 20),
  IT: (random) => randomString(random, 'upper', 1) + digitsOf(random, 10) + randomString(random, 'uppernum', 12),
};

export const IBAN_COUNTRIES = Object.keys(BBANS);

/** A valid IBAN of `country` in electronic format: ibantools computes the mod-97 check digits. */
export function iban(random: Random, country: string): string {
  for (;;) {
    const value = composeIBAN({ countryCode: country, bban: BBANS[country]!(random) });
    // Some BBANs carry a national check (the French RIB key, Spain's control digits): retry until one holds.
    if (value && isValidIBAN(value) && !looksInvented(value.slice(4))) return value;
  }
}

/** The IBAN in groups of 4, as printed on statements. */
export const groupIban = (value: string): string => value.replace(/(.{4})(?=.)/g, '$1 ');

/** A US SSN the SSA could have issued, `AAA-GG-SSSS` (area 001–899 but 666, group and serial not all zeros). */
export function ssn(random: Random): string {
  for (;;) {
    const area = between(random, 1, 899);
    if (area === 666) continue;
    const value = `${String(area).padStart(3, '0')}-${String(between(random, 1, 99)).padStart(2, '0')}-${String(between(random, 1, 9999)).padStart(4, '0')}`;
    if (!['078-05-1120', '219-09-9999', '123-45-6789'].includes(value) && !looksInvented(value.replaceAll('-', ''))) return value;
  }
}

export type PhoneRegion = 'US' | 'GB' | 'DE' | 'FR' | 'AU';

/** National significant numbers of real shapes, outside the ranges reserved for fiction. */
const NATIONAL_NUMBERS: Record<PhoneRegion, (random: Random) => string> = {
  // Real area codes; exchanges 200–999 but 555.
  US: (random) => pick(random, ['212', '312', '415', '617', '206', '303', '512', '702']) + String(between(random, 200, 999)) + digitsOf(random, 4),
  // Mobiles 074xx–079xx but 07700, and London 020 3xxx / 020 8xxx.
  GB: (random) => (random() < 0.5 ? `7${between(random, 4, 9)}${between(random, 1, 9)}` + digitsOf(random, 7) : `20${pick(random, ['3', '8'])}` + digitsOf(random, 7)),
  // Mobiles 0151, 0160, 0170–0179.
  DE: (random) => pick(random, ['151', '160', '170', '171', '172', '175', '176', '177', '178', '179']) + digitsOf(random, random() < 0.5 ? 7 : 8),
  FR: (random) => pick(random, ['6', '7', '1', '4']) + digitsOf(random, 8),
  // Mobiles 0412–0499 but 0491 57x, and Sydney/Melbourne landlines 02 9xxx / 03 9xxx.
  AU: (random) => (random() < 0.5 ? `4${between(random, 12, 89)}` + digitsOf(random, 6) : `${pick(random, ['2', '3'])}9` + digitsOf(random, 7)),
};

export interface Phone {
  region: PhoneRegion;
  /** As written in its country: `(415) 867-5309`, `020 3123 4567`, `0412 345 678`. */
  national: string;
  /** `+44 20 3123 4567`. */
  international: string;
  e164: string;
}

/** A phone number libphonenumber-js (min metadata) holds valid, written both ways by the library itself. */
export function phone(random: Random, region: PhoneRegion): Phone {
  for (;;) {
    const parsed = parsePhoneNumberFromString(NATIONAL_NUMBERS[region](random), region as CountryCode);
    if (!parsed?.isValid() || looksInvented(parsed.nationalNumber)) continue;
    // 555 exchanges: 555-0100 to 555-0199 are reserved for fiction.
    if (region === 'US' && parsed.nationalNumber.startsWith('555', 3)) continue;
    const national = parsed.formatNational();
    // A length the library validates but has no national format for comes out ungrouped: not as people write it.
    if (!/^[0(]/.test(national) || !/[ -]/.test(national)) continue;
    return { region, national, international: parsed.formatInternational(), e164: parsed.number };
  }
}

const TLDS = ['com', 'net', 'org', 'de', 'io', 'co.uk', 'fr', 'com.au'];

/** An address at a made-up, non-reserved domain: `ana.kowalski42@qhrtvoe.de`. */
export function email(random: Random): string {
  const local = `${randomString(random, 'lower', between(random, 3, 8))}${pick(random, ['.', '_', ''])}${randomString(random, 'lower', between(random, 2, 9))}${random() < 0.3 ? digitsOf(random, 2) : ''}`;
  return `${local}@${randomString(random, 'lower', between(random, 4, 10))}.${pick(random, TLDS)}`;
}

const hex = (random: Random, length: number): string => randomString(random, 'hex', length);

/**
 * About `bytes` of JSON lines shaped like a data export with no personal value in it: ids, epoch
 * seconds and milliseconds, 18-digit snowflake ids, ISO timestamps, amounts, floats with 16-digit
 * fractions, UUIDs, SHA-1 hashes, versions, IPv4 addresses and bare 10-digit numbers.
 */
export function dataWithoutPersonalValues(random: Random, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const uuid = [hex(random, 8), hex(random, 4), hex(random, 4), hex(random, 4), hex(random, 12)].join('-');
    const date = `20${between(random, 10, 29)}-${String(between(random, 1, 12)).padStart(2, '0')}-${String(between(random, 1, 28)).padStart(2, '0')}`;
    const time = `${String(between(random, 0, 23)).padStart(2, '0')}:${String(between(random, 0, 59)).padStart(2, '0')}:${String(between(random, 0, 59)).padStart(2, '0')}`;
    const line = JSON.stringify({
      id: between(random, 1, 999_999_999),
      uuid,
      created: `${date}T${time}.${digitsOf(random, 3)}Z`,
      epoch: between(random, 1_500_000_000, 1_900_000_000),
      epochMs: `${between(random, 1_500_000_000, 1_900_000_000)}${digitsOf(random, 3)}`,
      snowflake: `1${digitsOf(random, 17)}`,
      amount: `${between(random, 0, 99_999)}.${digitsOf(random, 2)}`,
      score: Number(`0.${digitsOf(random, 16)}`),
      sha: hex(random, 40),
      version: `${between(random, 0, 20)}.${between(random, 0, 99)}.${between(random, 0, 999)}`,
      ip: `${between(random, 1, 254)}.${between(random, 0, 255)}.${between(random, 0, 255)}.${between(random, 1, 254)}`,
      ref: digitsOf(random, 10),
      note: `${date} ${time} ${randomString(random, 'lower', between(random, 3, 12))}`,
    });
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}
