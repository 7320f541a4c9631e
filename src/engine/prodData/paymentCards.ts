/**
 * Payment card numbers (PANs): 13–19 digits, bare or grouped the way cards print them (4-4-4-4,
 * 4-4-4-4-3, 4-6-5 for Amex, 4-6-4 for Diners), by single spaces or dashes. A number is a card only
 * when the Luhn check holds AND it sits in a network's issuer range with that network's length: a
 * random 16-digit id passes Luhn one time in ten, but rarely both.
 */

/**
 * A regex source (for the combined numeric pass in personalValues.ts) for a card candidate: a first
 * digit some network issues (2–6), then a bare run or the grouped shapes with one separator
 * throughout. Boundaries are checked by the caller.
 */
export const CARD_PATTERN = String.raw`[2-6]\d{3}(?:\d{9,15}|(?<cardSep>[ -])\d{4}\k<cardSep>\d{4}\k<cardSep>\d{4}(?:\k<cardSep>\d{3})?|(?<amexSep>[ -])\d{6}\k<amexSep>\d{4,5})`;

/** [prefix range low, high (same number of digits), shortest length, longest length], per network but Visa. */
const ISSUER_RANGES: readonly (readonly [number, number, number, number])[] = [
  [51, 55, 16, 16], // Mastercard
  [2221, 2720, 16, 16], // Mastercard 2-series
  [34, 34, 15, 15], // American Express
  [37, 37, 15, 15],
  [6011, 6011, 16, 19], // Discover
  [644, 649, 16, 19],
  [65, 65, 16, 19],
  [3528, 3589, 16, 19], // JCB
  [36, 36, 14, 19], // Diners Club International
  [38, 38, 14, 19],
  [300, 305, 14, 19],
  [62, 62, 16, 19], // UnionPay
];

function inIssuerRange(digits: string): boolean {
  const length = digits.length;
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19; // Visa
  for (const [low, high, shortest, longest] of ISSUER_RANGES) {
    if (length < shortest || length > longest) continue;
    const prefix = Number(digits.slice(0, String(low).length));
    if (prefix >= low && prefix <= high) return true;
  }
  return false;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) d = d > 4 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The test numbers the card networks and the payment providers publish (Stripe, Adyen, Braintree,
 * PayPal, Authorize.net, Worldpay docs): they fill fixtures and docs, and were never issued to anyone.
 * Many more of them (4000000000000002, 4000000000003220...) are caught by `looksInvented` instead.
 */
const TEST_NUMBERS = new Set(
  (
    '4242424242424242 4000056655665556 5555555555554444 2223003122003222 5200828282828210 5105105105105100 ' +
    '378282246310005 371449635398431 378734493671000 6011111111111117 6011000990139424 6011981111111113 ' +
    '3056930009020004 30569309025904 36227206271667 38520000023237 3566002020360505 3530111333300000 ' +
    '6200000000000005 6200000000000047 6205500000000000004 6555900000604105 4111111111111111 4012888888881881 ' +
    '4009348888881881 4005519200000004 4012000033330026 4012000077777777 4217651111111119 4500600000000061 ' +
    '4000111111111115 4000111111111511 5431111111111111 4000000000000002 4222222222222 4007000000027 ' +
    '4012888818888 370000000000002 6011000000000012 3088000000000017 38000000000006 5424000000000015 ' +
    '2223000048400011 2223000010309703 2223000010309711 5403879999999997 4444333322221111 5555444433331111 ' +
    '4988438843884305 4166676667666746 4646464646464644 4977949494949497 5100081112223332 5100290029002909 ' +
    '5577000055770004 5136333333333335 5585558555855583 5500000000000004 4400000000000008 3569990010095841 ' +
    '3600666633336 36006666333344 6011601160116611 6250946000000016 6243030000000001 2222400070000005 ' +
    '5101180000000007 6304000000000000 5454545454545454 5399999999999999'
  ).split(' '),
);

/**
 * What people type when they invent a number, and no issuer hands out: half the digits the same
 * one, one digit repeated six times (4000000000000077), a short pattern repeated (42424242,
 * 510510510), or eight digits counting up or down (4567890123456789). In a random account number
 * each is about one in two thousand or rarer. Repeats are looked for after the 6-digit issuer
 * prefix, which a real range may well hold.
 */
function looksInvented(digits: string): boolean {
  // Half the digits or more the same one: Stripe's 4000002500003155, or 5555555555554444.
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < digits.length; i++) counts[digits.charCodeAt(i) - 48]!++;
  if (Math.max(...counts) * 2 >= digits.length) return true;
  for (let period = 1; period <= 3; period++) {
    const needed = period === 1 ? 5 : 6;
    let stretch = 0;
    for (let i = 6 + period; i < digits.length; i++) {
      stretch = digits[i] === digits[i - period] ? stretch + 1 : 0;
      if (stretch >= needed) return true;
    }
  }
  let up = 0;
  let down = 0;
  for (let i = 1; i < digits.length; i++) {
    const step = (digits.charCodeAt(i) - digits.charCodeAt(i - 1) + 10) % 10;
    up = step === 1 ? up + 1 : 0;
    down = step === 9 ? down + 1 : 0;
    if (up >= 7 || down >= 7) return true;
  }
  return false;
}

/** The digits of a card candidate when it is a real-looking card number, else undefined. */
export function cardKey(candidate: string): string | undefined {
  const digits = candidate.replace(/[ -]/g, '');
  if (!luhnValid(digits) || !inIssuerRange(digits)) return undefined;
  if (TEST_NUMBERS.has(digits) || looksInvented(digits)) return undefined;
  return digits;
}
