import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/**
 * Phone numbers as people write them. A bare digit run is never a candidate (it is an id, an amount
 * or a timestamp far more often than a phone number): a candidate has a `+` or a separator.
 * libphonenumber-js decides validity (its `min` metadata checks length and leading digits per
 * country); these regexes only find the shapes and keep their quantifiers bounded.
 */

/** `+44 20 7946 0958`, `+1 (415) 555-2671`, `+44 (0)20 7946 0958`, `+49 15112345678`, `+4915112345678`. */
export const INTERNATIONAL_PHONE = /\+\d{1,15}(?:[ .-]?\(\d{1,5}\)\d{0,14}|[ .-]\d{1,14}){0,6}/g;

/**
 * Regex sources (for the combined numeric pass in personalValues.ts) of the national forms, whose
 * boundaries the caller checks. North America: `(415) 555-2671`, `415-555-2671`, `415.555.2671`,
 * `415 555 2671` (area codes and exchanges never start with 0 or 1).
 */
export const NANP_PATTERN = String.raw`\([2-9]\d\d\) ?\d{3}[ .-]\d{4}|[2-9]\d\d(?<nanpSep>[ .-])\d{3}\k<nanpSep>\d{4}`;

/**
 * A national number with a trunk 0, in groups: `020 7946 0018`, `030 12345678`, `01 23 45 67 89`,
 * `(020) 7946 0018`. One separator throughout (dates and versions mix them), and either a long
 * second group or several: `03-16` in a date is neither.
 */
export const TRUNK_PATTERN = String.raw`\(0[1-9]\d{0,4}\) ?(?:\d{6,8}|\d{2,8}(?:[ .-]\d{2,8}){1,3})|0[1-9]\d{0,4}(?<trunkSep>[ .-])(?:\d{6,8}|\d{2,8}(?:\k<trunkSep>\d{2,8}){1,3})`;

/**
 * Regions tried for a national number with a trunk 0: the United Kingdom, France, Australia and
 * Germany, countries whose national format often shows up in data and whose fictional ranges (for
 * the first and third) are known. Germany comes last: its numbers vary in length, so it accepts the
 * most. A number in another country's national format is missed; its international `+CC` form is
 * found whatever the country.
 */
const TRUNK_REGIONS: readonly CountryCode[] = ['GB', 'FR', 'AU', 'DE'];

/** The UK prefixes (E.164, each followed by 3 digits) Ofcom keeps unallocated for TV, radio and film. */
const OFCOM_DRAMA = new Set(
  (
    '441134960 441144960 441154960 441164960 441174960 441184960 441214960 441314960 441414960 441514960 ' +
    '441614960 441914980 442079460 442890180 442896496 442920180 441632960 447700900 448081570 449098790 443069990'
  ).split(' '),
);

/** The Australian numbers ACMA reserves for fiction: 30 mobiles, and freephone, local-rate and premium numbers. */
const ACMA_FICTION = new Set(
  [
    ...(
      '570006 570156 570157 570158 570159 570110 570313 570737 571266 571491 571804 572549 572665 572983 573770 ' +
      '573087 574118 574632 575254 575789 576398 576801 577426 577644 578957 578148 578888 579212 579760 579455'
    )
      .split(' ')
      .map((n) => `491${n}`),
    '1800160401',
    '1900654321',
    ...['707', '708', '709', '710', '711'].flatMap((n) => [`1800975${n}`, `1300975${n}`]),
  ].map((national) => `+61${national}`),
);

/**
 * Ranges reserved for drama and examples, so never anyone's number: North America's 555-0100 to
 * 555-0199 (any area code), Ofcom's drama numbers, and ACMA's fictitious numbers (also the
 * landline blocks 5550 xxxx and 7010 xxxx in the 02, 03, 07 and 08 areas).
 */
function fictionalPhone(e164: string): boolean {
  if (e164.startsWith('+1')) return e164.length === 12 && e164.startsWith('55501', 5);
  if (e164.startsWith('+44')) return e164.length === 13 && OFCOM_DRAMA.has(e164.slice(1, 10));
  if (e164.startsWith('+61')) return ACMA_FICTION.has(e164) || /^\+61[2378](?:5550|7010)\d{4}$/.test(e164);
  return false;
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** The E.164 form of `text` when it is a valid number in `region` (or by its `+CC`), else undefined. */
function validNumber(text: string, region?: CountryCode): string | undefined {
  const parsed = parsePhoneNumberFromString(text, region);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * An international candidate: `+CC` decides the country. When the whole run does not parse, the
 * last group may be the next value (`+1 415 555 2671 2024`), so shorter runs are tried, down to
 * 8 digits.
 */
export function internationalPhoneKey(candidate: string): string | undefined {
  let text = candidate;
  for (let tries = 0; tries < 3; tries++) {
    const digits = digitCount(text);
    if (digits < 8) return undefined;
    if (digits <= 15) {
      const e164 = validNumber(text);
      if (e164) return fictionalPhone(e164) ? undefined : e164;
    }
    const cut = Math.max(text.lastIndexOf(' '), text.lastIndexOf('-'), text.lastIndexOf('.'));
    if (cut <= 0) return undefined;
    text = text.slice(0, cut);
  }
  return undefined;
}

/** A North American national candidate (10 digits; a leading `1-` stays outside the candidate). */
export function nanpPhoneKey(candidate: string): string | undefined {
  const e164 = validNumber(candidate, 'US');
  return e164 && !fictionalPhone(e164) ? e164 : undefined;
}

/** Groups of digits only: `(020) 7946-0018` and `020 7946 0018` have the same shape. */
const shapeOf = (text: string): string => text.replace(/[()]/g, '').replace(/[ .-]+/g, ' ');

/**
 * A national candidate with a trunk 0 (9 to 12 digits). Quiet when any region reads it as one of its
 * fictional numbers (`07700 900123`, invalid in the UK, would be a valid German number). Of the
 * regions where it is valid, the key is read in the one that groups its digits the way the text does
 * (`0412 345 678` is Australian even if France has a valid `04 12 34 56 78`), else in the first.
 */
export function trunkPhoneKey(candidate: string): string | undefined {
  const digits = digitCount(candidate);
  if (digits < 9 || digits > 12) return undefined;
  let first: string | undefined;
  let grouped: string | undefined;
  for (const region of TRUNK_REGIONS) {
    const parsed = parsePhoneNumberFromString(candidate, region);
    if (!parsed) continue;
    // Fictional in its own country even where libphonenumber holds it invalid (07700 900123).
    if (fictionalPhone(parsed.number)) return undefined;
    if (!parsed.isValid()) continue;
    first ??= parsed.number;
    if (!grouped && shapeOf(parsed.formatNational()) === shapeOf(candidate)) grouped = parsed.number;
  }
  return grouped ?? first;
}
