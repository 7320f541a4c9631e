import { getCountrySpecifications, isValidIBAN } from 'ibantools';

import { CARD_PATTERN, cardKey } from './paymentCards.js';
import { INTERNATIONAL_PHONE, internationalPhoneKey, NANP_PATTERN, nanpPhoneKey, TRUNK_PATTERN, trunkPhoneKey } from './phoneNumbers.js';

/**
 * Validated personal values in data files (issue #23): the evidence the `prod-data` check counts to
 * tell a customer export or a production dump from a fixture. Each detector pairs a cheap candidate
 * regex with a real validation (Luhn and issuer ranges, the IBAN checksum, the SSA's SSN rules,
 * libphonenumber), and leaves out the values published as examples or reserved for them, since a
 * fixture is made of exactly those.
 */

export type PersonalKind = 'card' | 'iban' | 'ssn' | 'phone' | 'email';

export interface PersonalValue {
  kind: PersonalKind;
  /** 0-based index of the line of `text` the value is on. */
  line: number;
  /** The value normalised (digits only, lower-case...), for counting distinct values; never reported or stored. */
  key: string;
}

/** What reports call each kind: [one, many]. */
export const PERSONAL_KINDS: Record<PersonalKind, readonly [string, string]> = {
  card: ['payment card number', 'payment card numbers'],
  iban: ['IBAN', 'IBANs'],
  ssn: ['US Social Security number', 'US Social Security numbers'],
  phone: ['phone number', 'phone numbers'],
  email: ['email address', 'email addresses'],
};

interface Hit {
  kind: PersonalKind;
  start: number;
  end: number;
  /** Undefined for a stretch that is not reported but that no other detector may read either (an example IBAN). */
  key: string | undefined;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** [A-Za-z0-9_]: what makes a value part of a longer token (an id, a hash, a word). */
const isWord = (c: number): boolean => isDigit(c) || isLetter(c) || c === 95;
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

// --- card numbers, SSNs and national phone numbers: one pass ----------------------------------------

/** `AAA-GG-SSSS` with dashes only: a bare 9-digit run is as often an id, a ZIP+4 or an amount. */
const SSN_PATTERN = String.raw`[0-8]\d\d-\d\d-\d{4}`;

/**
 * The numeric candidates in one regex, each starting where no word character or `.` precedes it
 * (not inside an id, a hash or the fraction of a decimal). One pass over a numeric file costs less
 * than a third of four separate ones. The shapes cannot start at the same place, except an SSN's
 * and a trunk-0 phone number's (`078-05-1120`), which the SSN, listed first, takes.
 */
const NUMERIC_CANDIDATE = new RegExp(
  String.raw`(?<![\w.])(?:(?<card>${CARD_PATTERN})|(?<ssn>${SSN_PATTERN})|(?<nanp>${NANP_PATTERN})|(?<trunk>${TRUNK_PATTERN}))`,
  'g',
);

/** Not followed by a word character, nor by `-` or `.` and a digit (a longer id, a version, a decimal). */
function endsThere(text: string, end: number): boolean {
  const after = text[end];
  if (isWord(text.charCodeAt(end))) return false;
  return !((after === '-' || after === '.') && isDigit(text.charCodeAt(end + 1)));
}

function cardAt(text: string, candidate: string, start: number, end: number): string | undefined {
  if (!endsThere(text, end)) return undefined;
  const grouped = !isDigit(candidate.charCodeAt(4));
  // One stretch of a longer run of digit groups (`0000 4111 1111 1111 1111`).
  if (grouped && (text[start - 1] === ' ' || text[start - 1] === '-') && isDigit(text.charCodeAt(start - 2))) return undefined;
  // 4-4-4-4 then a 3-digit group may be 19 digits, or 16 and the next value (a CVV).
  return cardKey(candidate) ?? (candidate.length === 23 ? cardKey(candidate.slice(0, 19)) : undefined);
}

/**
 * Famous misused numbers: 078-05-1120 was printed on a sample card in wallets sold in 1938 and used
 * by thousands; 219-09-9999 appeared in an SSA advertisement; 123-45-6789 is everyone's example.
 */
const EXAMPLE_SSNS = new Set(['078051120', '219099999', '123456789']);

/** By the SSA's rules: never area 000, 666 or 900–999, group 00 or serial 0000. */
function ssnAt(text: string, candidate: string, start: number, end: number): string | undefined {
  if (text[start - 1] === '-' || !endsThere(text, end)) return undefined;
  const area = Number(candidate.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900) return undefined;
  if (candidate.startsWith('00', 4) || candidate.endsWith('0000')) return undefined;
  const digits = candidate.replaceAll('-', '');
  return EXAMPLE_SSNS.has(digits) ? undefined : digits;
}

/** A token of exactly two hex digits at `at` (as in a hex dump: `01 99 00 01 98`). */
function hexByteAt(text: string, at: number): boolean {
  const hex = isHex(text.charCodeAt(at)) && isHex(text.charCodeAt(at + 1));
  return hex && !isWord(text.charCodeAt(at + 2)) && !isWord(text.charCodeAt(at - 1));
}

/**
 * Bounds of a national phone number: not the groups of a UUID or a dashed id
 * (`a749a64d-0988-4017-0891-d8af…`), nor part of a run of space-separated numbers or hex bytes,
 * whose groups fit the shape too.
 */
function nationalPhoneBounded(text: string, start: number, end: number, northAmerican: boolean): boolean {
  const before = text[start - 1];
  if (before === '+') return false;
  const separatorBefore = before === ' ' || before === '-' || before === '.';
  // `1-415-555-2671`: the `1` is the North American country code.
  const countryCode = northAmerican && separatorBefore && text[start - 2] === '1' && !isWord(text.charCodeAt(start - 3));
  if (separatorBefore && !countryCode) {
    if (before !== ' ' && isWord(text.charCodeAt(start - 2))) return false;
    if (before === ' ' && (isDigit(text.charCodeAt(start - 2)) || hexByteAt(text, start - 3))) return false;
  }
  const after = text[end];
  if (isWord(text.charCodeAt(end))) return false;
  if ((after === '-' || after === '.') && isWord(text.charCodeAt(end + 1))) return false;
  return !(after === ' ' && (isDigit(text.charCodeAt(end + 1)) || hexByteAt(text, end + 1)));
}

function findNumeric(text: string, hits: Hit[]): void {
  NUMERIC_CANDIDATE.lastIndex = 0;
  for (let m = NUMERIC_CANDIDATE.exec(text); m; m = NUMERIC_CANDIDATE.exec(text)) {
    const candidate = m[0];
    const start = m.index;
    const end = start + candidate.length;
    const groups = m.groups!;
    let kind: PersonalKind = 'phone';
    let key: string | undefined;
    if (groups.card !== undefined) {
      kind = 'card';
      key = cardAt(text, candidate, start, end);
    } else if (groups.ssn !== undefined) {
      kind = 'ssn';
      key = ssnAt(text, candidate, start, end);
    } else if (groups.nanp !== undefined) {
      key = nationalPhoneBounded(text, start, end, true) ? nanpPhoneKey(candidate) : undefined;
    } else {
      key = nationalPhoneBounded(text, start, end, false) ? trunkPhoneKey(candidate) : undefined;
    }
    if (key !== undefined) hits.push({ kind, start, end, key });
  }
}

// --- international phone numbers --------------------------------------------------------------------

function findInternationalPhones(text: string, hits: Hit[]): void {
  if (!text.includes('+')) return;
  INTERNATIONAL_PHONE.lastIndex = 0;
  for (let m = INTERNATIONAL_PHONE.exec(text); m; m = INTERNATIONAL_PHONE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isWord(text.charCodeAt(start - 1)) || isWord(text.charCodeAt(end))) continue;
    const key = internationalPhoneKey(m[0]);
    if (key !== undefined) hits.push({ kind: 'phone', start, end, key });
  }
}

// --- IBANs ------------------------------------------------------------------------------------------

/** Upper-case, compact or in groups of 4 separated by single spaces, as banks print them. */
const IBAN_CANDIDATE = /[A-Z]{2}\d\d(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)/g;

/**
 * The example IBAN of every country in the SWIFT IBAN Registry (ISO 13616), and the other examples
 * that banks' and libraries' documentation repeat (GB82WEST12345698765432 and its kind).
 */
const EXAMPLE_IBANS = new Set(
  (
    'AD1200012030200359100100 AE070331234567890123456 AL47212110090000000235698741 AT483200000012345864 ' +
    'AT611904300234573201 AZ21NABZ00000000137010001944 BA391290079401028494 BE68539007547034 BE71096123456769 ' +
    'BG80BNBG96611020345678 BH67BMAG00001299123456 BR1800360305000010009795493C1 ' +
    'BR9700360305000010009795493P1 BY13NBRB3600900000002Z00AB00 CH4431999123000889012 CH5604835012345678009 ' +
    'CH9300762011623852957 CR05015202001026284066 CY17002001280000001200527600 CZ6508000000192000145399 ' +
    'DE44500105175407324931 DE89370400440532013000 DK5000400440116243 DO28BAGR00000001212453611324 ' +
    'EE382200221020145685 EG380019000500000000263180002 ES9121000418450200051332 FI2112345600000785 ' +
    'FO6264600001631634 FR1420041010050500013M02606 FR7630006000011234567890189 GB29NWBK60161331926819 ' +
    'GB33BUKB20201555555555 GB82WEST12345698765432 GE29NB0000000101904917 GI75NWBK000000007099453 ' +
    'GL8964710001000206 GR1601101250000000012300695 GT82TRAJ01020000001210029690 HR1210010051863000160 ' +
    'HU42117730161111101800000000 IE29AIBK93115212345678 IE64IRCE92050112345678 IL620108000000099999999 ' +
    'IQ98NBIQ850123456789012 IS140159260076545510730339 IT60X0542811101000000123456 ' +
    'JO94CBJO0010000000000131000302 KW81CBKU0000000000001234560101 KZ86125KZT5004100100 ' +
    'LB62099900000001001901229114 LC55HEMM000100010012001200023015 LI21088100002324013AA LT121000011101001000 ' +
    'LU280019400644750000 LV80BANK0000435195001 MC5811222000010123456789030 MD24AG000225100013104168 ' +
    'ME25505000012345678951 MK07250120000058984 MR1300020001010000123456753 MT84MALT011000012345MTLCAST001S ' +
    'MU17BOMM0101101030300200000MUR NL02ABNA0123456789 NL91ABNA0417164300 NO9386011117947 ' +
    'PK36SCBL0000001123456702 PL61109010140000071219812874 PS92PALS000000000400123456702 ' +
    'PT50000201231234567890154 QA58DOHB00001234567890ABCDEFG RO49AAAA1B31007593840000 RS35260005601001611379 ' +
    'SA0380000000608010167519 SC18SSCB11010000000000001497USD SE4550000000058398257466 SI56263300012039086 ' +
    'SK3112000000198742637541 SM86U0322509800000000270100 ST23000100010051845310146 ' +
    'SV62CENR00000000000000700025 TL380080012345678910157 TN5910006035183598478831 TR330006100519786457841326 ' +
    'UA213223130000026007233566001 VA59001123000012345678 VG96VPVG0000012345678901 XK051212012345678906'
  ).split(' '),
);

/** Seven digits counting up (1234567, 7890123): an invented account number, as in many examples. */
function countsUp(text: string): boolean {
  let run = 0;
  for (let i = 1; i < text.length; i++) {
    const step = text.charCodeAt(i) - text.charCodeAt(i - 1);
    run = isDigit(text.charCodeAt(i)) && isDigit(text.charCodeAt(i - 1)) && (step === 1 || step === -9) ? run + 1 : 0;
    if (run >= 6) return true;
  }
  return false;
}

function ibanKey(candidate: string): string | undefined {
  let text = candidate;
  // A grouped IBAN's last group may have taken the next word (`... 7654 32 EUR`): drop it and retry.
  for (let tries = 0; tries < 3; tries++) {
    const iban = text.replaceAll(' ', '');
    if (iban.length >= 15 && isValidIBAN(iban)) return EXAMPLE_IBANS.has(iban) || countsUp(iban.slice(4)) ? undefined : iban;
    const cut = text.lastIndexOf(' ');
    if (cut < 0) return undefined;
    text = text.slice(0, cut);
  }
  return undefined;
}

const IBAN_COUNTRIES = new Set(Object.keys(getCountrySpecifications()));

function findIbans(text: string, hits: Hit[]): void {
  IBAN_CANDIDATE.lastIndex = 0;
  for (let m = IBAN_CANDIDATE.exec(text); m; m = IBAN_CANDIDATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isWord(text.charCodeAt(start - 1)) || isWord(text.charCodeAt(end))) continue;
    const key = ibanKey(m[0]);
    // An IBAN printed in groups that stays quiet (an example, a typo) still holds groups of digits that
    // must not be read as a phone number (`NL91 ABNA 0417 1643 00`).
    if (key !== undefined || (m[0][4] === ' ' && IBAN_COUNTRIES.has(m[0].slice(0, 2)))) hits.push({ kind: 'iban', start, end, key });
  }
}

// --- e-mail addresses -------------------------------------------------------------------------------

/** The domain after `@`: labels, then a TLD of letters that is not itself followed by more domain. */
const EMAIL_DOMAIN = /(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,8}[a-z]{2,24}(?![a-z0-9-]|\.[a-z0-9])/iy;

const isLocalChar = (c: number): boolean => isWord(c) || c === 46 || c === 37 || c === 43 || c === 45; // . % + -

/** Top-level domains reserved by RFC 2606 and RFC 6761, and `.local` (mDNS, RFC 6762). */
const RESERVED_TLDS = new Set(['test', 'example', 'invalid', 'localhost', 'local']);

/**
 * Domains that only ever stand in for a real one in forms and fixtures. Short on purpose: a domain
 * someone could really receive mail at (acme.com, company.com, test.com) is not on it.
 */
const PLACEHOLDER_DOMAINS = new Set(['domain.com', 'email.com', 'yourdomain.com', 'your-domain.com', 'mydomain.com', 'yourcompany.com']);

/**
 * Reserved or placeholder: any `example` label (example.com, .net, .org and their subdomains, and
 * the `.example` TLD), a reserved TLD, a placeholder domain, and image names that look like
 * addresses (`icon@2x.png`).
 */
function placeholderDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (labels.includes('example') || RESERVED_TLDS.has(labels.at(-1)!)) return true;
  return PLACEHOLDER_DOMAINS.has(domain) || /^[\d.]+x\./.test(domain);
}

/**
 * Addresses that reach no one on purpose (`noreply@`, GitHub's `ID+login@users.noreply.github.com`,
 * which GitHub gives users so that their real address stays private): not personal data.
 */
const NO_REPLY = /(?:^|[.+_-])(?:no-?reply|do-?not-?reply|donotreply)(?:$|[.+_-])/;

function findEmails(text: string, hits: Hit[]): void {
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start <= 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (start === at || at - start > 64 || text[start] === '.' || text[at - 1] === '.') continue;
    // URL credentials and SSH remotes (`https://user:pass@host`, `ssh://git@host`) are not addresses.
    const before = text[start - 1];
    if ((before === ':' && !text.endsWith('mailto', start - 1)) || before === '/') continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domainMatch = EMAIL_DOMAIN.exec(text);
    if (!domainMatch) continue;
    const end = EMAIL_DOMAIN.lastIndex;
    // `git@github.com:owner/repo`: an SCP-style remote.
    if (text[end] === ':' && /[\w/~]/.test(text[end + 1] ?? ' ')) continue;
    const domain = domainMatch[0].toLowerCase();
    if (placeholderDomain(domain)) continue;
    const local = text.slice(start, at).toLowerCase();
    if (NO_REPLY.test(local) || NO_REPLY.test(domain)) continue;
    hits.push({ kind: 'email', start, end, key: `${local}@${domain}` });
  }
}

// --- all kinds --------------------------------------------------------------------------------------

/** Validated personal values in a text, in order of appearance. Fast on text that holds none. */
export function findPersonalValues(text: string): PersonalValue[] {
  const hits: Hit[] = [];
  findNumeric(text, hits);
  findInternationalPhones(text, hits);
  findIbans(text, hits);
  findEmails(text, hits);
  if (hits.length === 0) return [];
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const values: PersonalValue[] = [];
  let line = 0;
  let counted = 0;
  let covered = 0;
  for (const hit of hits) {
    // Two detectors on one stretch of text (a phone number as an address's local part): the first wins.
    if (hit.start < covered || hit.key === undefined) {
      covered = Math.max(covered, hit.end);
      continue;
    }
    covered = hit.end;
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < hit.start; nl = text.indexOf('\n', nl + 1)) line++;
    counted = hit.start;
    values.push({ kind: hit.kind, line, key: hit.key });
  }
  return values;
}
