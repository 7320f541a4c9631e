/**
 * Values that stand in for a secret rather than being one: documentation placeholders, template
 * references and documented example keys. Shared by every rule (unless a rule opts out), so that a
 * README or a config template never raises an alarm.
 *
 * Five kinds of evidence, each one chosen so that a random token cannot produce it by chance
 * (test/engine/placeholders.test.ts measures that on 100,000 seeded random tokens):
 * - a reference or template instead of a literal (`${VAR}`, `{{ .Values.x }}`, `process.env.X`);
 * - a marker word a person writes instead of a value (`REPLACE_WITH_…`, `ENTER_YOUR_…`, `<your-…>`,
 *   `changeme`, `example`, `redacted`);
 * - structure instead of randomness: most of the value is runs of one character (`xxxx`, `0000`),
 *   sequences (`abcdef`, `A1B2C3`, `12345678`) or a short block repeated (`abcabcabc`);
 * - a famous example password (`hunter2`, `P@ssw0rd`, `correct horse battery staple`);
 * - a documented example key (AWS's `AKIAIOSFODNN7EXAMPLE`, the development wallets that Hardhat,
 *   Anvil, Ganache and Truffle print).
 */

/** Documented example credentials published by providers themselves. */
const KNOWN_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'ASIAIOSFODNN7EXAMPLE',
  // GitHub's documentation examples (OAuth, GitHub App user and installation tokens, refresh token)
  'gho_16C7e42F292c6912E7710c838347Ae178B4a',
  'ghu_16C7e42F292c6912E7710c838347Ae178B4a',
  'ghs_16C7e42F292c6912E7710c838347Ae178B4a',
  'ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498',
]);

/**
 * The wallet keys of the public development accounts that local Ethereum nodes print when they
 * start, by their first 16 hex digits (64 bits: no real key shares them by chance), so that the
 * keys themselves are not written here: Hardhat and Anvil (`npx hardhat node`, `anvil`: mnemonic
 * `test test … junk`, m/44'/60'/0'/0/0-19), `ganache --deterministic` (`myth like bonus …`, 0-9)
 * and `truffle develop` (`candy maple cake …`, 0-9). Their documentation publishes them and anyone
 * can sign with them, so they guard nothing: whichever rule finds one (`PRIVATE_KEY=0x…` under the
 * wallet rule or the generic one), it is an example.
 */
const DEV_WALLET_KEYS = new Set([
  // Hardhat / Anvil, accounts 0-19
  'ac0974bec39a17e3', '59c6995e998f97a5', '5de4111afa1a4b94', '7c852118294e51e6', '47e179ec19748859',
  '8b3a350cf5c34c91', '92db14e403b83dfe', '4bbbf85ce3377467', 'dbda1821b80551c9', '2a871d0798f97d79',
  'f214f2b2cd398c80', '701b615bbdfb9de6', 'a267530f49f82802', '47c99abed3324a27', 'c526ee95bf44d8fc',
  '8166f546bab6da52', 'ea6c44ac03bff858', '689af8efa8c651a9', 'de9be858da4a4752', 'df57089febbacf7b',
  // ganache --deterministic, accounts 0-9
  '4f3edf983ac636a6', '6cbed15c793ce576', '6370fd033278c143', '646f1ce2fdad0e6d', 'add53f9a7e588d00',
  '395df67f0c2d2d9f', 'e485d098507f54e7', 'a453611d9419d0e5', '829e924fdf021ba3', 'b0057716d5917bad',
  // truffle develop, accounts 0-9
  'c87509a1c067bbde', 'ae6ae8e5ccbfb045', '0dbbe8e4ae425a6d', 'c88b703fb08cbea8', '388c684f0ba1ef50',
  '659cbb0e2411a44d', '82d052c865f5763a', 'aa3680d5d48a8283', '0f62d96d6675f326', '8d5366123cb560bb',
]);

/** A wallet key (32 bytes: 64 hex digits, with or without `0x`) of a public development account. */
function isDevWalletKey(secret: string): boolean {
  const key = /^(?:0x)?([0-9a-fA-F]{64})$/.exec(secret)?.[1];
  return key !== undefined && DEV_WALLET_KEYS.has(key.slice(0, 16).toLowerCase());
}

/** Whole-value shapes that are references or templates, not literals. */
const REFERENCE = [
  /^\$\{[^}]*\}$/, // ${VAR}
  /^\$\(.*\)$/, // $(VAR) in Makefiles, $(command)
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%\(?[A-Za-z_][\w.]*\)?s?%?$/, // %(name)s, %VAR%
  /^\{\{.*\}\}$/, // {{ .Values.x }}, {{ secrets.X }}
  /^<%=?.*%>$/, // ERB
  /^#\{.*\}$/, // Ruby interpolation
  /^@[A-Za-z_][\w.]*@?$/, // @VAR@ (autoconf, Maven resources)
  /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|ENV|System\.getenv|Environment\.GetEnvironmentVariable|getenv)\b/,
];

/**
 * What a secret is called, after "your" or "enter" or before "here": `YOUR_API_KEY`,
 * `ENTER_TOKEN_HERE`, `yourSecretKey`.
 */
const NOUN = String.raw`(?:own|real|actual|api|app|access|account|auth|bot|client|private|personal|project|org|team|user|db|database|secret|key|token|password|passwd|pass|pwd|credential|webhook|value)`;

/**
 * Words that mark a value as a placeholder wherever they appear in it, written in one case (`dummy`,
 * `DUMMY`, `Dummy`: a random token spells `dUmMy` ten times as often). `todo`, `fixme` and a lone
 * `your` must stand as words of their own.
 */
const MARKER_WORDS =
  /example|sample|dummy|placeholder|redacted|replace|xxxxx|qwerty|asdfgh|zxcvbn|qazwsx|(?<![a-z0-9])(?:todo|fixme|your)(?![a-z0-9])/gi;

function hasMarkerWord(value: string): boolean {
  for (const [word] of value.matchAll(MARKER_WORDS)) {
    if (word === word.toLowerCase() || word === word.toUpperCase() || word.slice(1) === word.slice(1).toLowerCase()) return true;
  }
  return false;
}

/**
 * Phrases that mark a value as a placeholder wherever they appear in it. A word short enough to
 * occur in a random token or in a real password (`your`, `here`, `change`) only counts with the
 * words around it.
 */
const PLACEHOLDER_PHRASES = new RegExp(
  [
    String.raw`\{\{|\}\}|\$\{|fill[_-]?me|1qaz2wsx`,
    String.raw`change[_ -]?(?:me|it|this)|insert[_-]?(?:your|key|token|here)|put[_-]?your`,
    // YOUR_API_KEY, <your-token>, yourSecretKey
    String.raw`your[_ -]?${NOUN}`,
    // API_KEY_HERE, token-here, SecretHere
    String.raw`${NOUN}[_ -]?here(?:[^a-z]|$)|[_ -]here$`,
    String.raw`\*\*\*\*|<[a-z][\w .:-]{0,60}>|\.{3}|…|notarealkey|not[_-]?a[_-]?real|fake[_-]?(?:key|token|secret|password)`,
  ].join('|'),
  'i',
);

/**
 * "Enter" followed by what to enter (`ENTER_YOUR_TOKEN`, `enter-api-key-here`, `EnterTheSecret`,
 * `AKIAENTERAPIKEY`), where it starts a word: at the start, after a separator, or as `Enter` /
 * `ENTER`. In `DataCenterKey` or `presenter_token` it ends another word and says nothing.
 */
const ENTER = new RegExp(String.raw`enter[_ -]?(?:your|the|an?[_ -]|${NOUN})`, 'gi');

function hasEnterMarker(value: string): boolean {
  for (const m of value.matchAll(ENTER)) {
    if (m[0].startsWith('E') || m.index === 0 || !/[A-Za-z]/.test(value[m.index - 1]!)) return true;
  }
  return false;
}

/**
 * Passwords that documentation, tutorials and default configurations use as examples, as data: the
 * top entries of the published breach-derived lists (the NCSC / Have I Been Pwned top 100,000,
 * SecLists' most common passwords), the defaults of well-known software (Java keystores'
 * `changeit`) and the classics (bash.org's `hunter2`, xkcd 936's `correct horse battery staple`).
 * Compared in lower case without separators, with common letter-for-symbol swaps undone
 * (`P@ssw0rd` is `password`) and a trailing `!`, `?`, `.`, `#` or `*` dropped.
 */
const FAMOUS_PASSWORDS = new Set([
  '123456', '12345678', '123456789', '1234567890', '111111', '000000', '654321', '123123',
  'password', 'password1', 'password12', 'password123', 'password1234', 'passwd', 'pass', 'pass123', 'passpass',
  'secret', 'secret1', 'secret12', 'secret123', 'topsecret', 'supersecret', 'mysecret', 'mypassword',
  'admin', 'admin1', 'admin12', 'admin123', 'admin1234', 'administrator', 'root', 'toor', 'guest', 'default',
  'letmein', 'letmein1', 'letmein123', 'changeit', 'changeme', 'welcome', 'welcome1', 'welcome123',
  'hunter2', 'trustno1', 'iloveyou', 'opensesame', 'abc123', 'abcd1234', 'test123', 'test1234',
  'monkey', 'dragon', 'master', 'sunshine', 'princess', 'football', 'baseball', 'shadow', 'superman', 'starwars',
  'qwerty', 'qwerty1', 'qwerty123', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'iloveyou1',
  'correcthorsebatterystaple',
]);

const LEET: Record<string, string> = { '@': 'a', '4': 'a', '0': 'o', '3': 'e', '$': 's', '5': 's', '1': 'i', '!': 'i', '7': 't' };

function isFamousPassword(value: string): boolean {
  if (value.length > 40) return false;
  const plain = value.toLowerCase().replace(/[\s_.-]+/g, '').replace(/[!?.#*]+$/, '');
  if (FAMOUS_PASSWORDS.has(plain)) return true;
  // Undo letter-for-symbol swaps in the word, keep the digits that end it: P@ssw0rd, Passw0rd123.
  // Only the listed endings count: `admin123` is an example, `admin2024` a (weak) real password.
  const [, word = '', digits = ''] = /^(.*?)(\d*)$/.exec(plain)!;
  return FAMOUS_PASSWORDS.has(word.replace(/[@40$3517!]/g, (c) => LEET[c]!) + digits);
}

/** A value made of one repeated character, or a simple run like 0123456789 / abcdef. */
function isLowVariety(value: string): boolean {
  const distinct = new Set(value.replace(/[^A-Za-z0-9]/g, '')).size;
  return distinct <= 2 || (value.length >= 12 && distinct <= 3);
}

const SEQUENTIAL = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '1234567890'];

function hasLongSequentialRun(value: string): boolean {
  for (const seq of SEQUENTIAL) {
    for (let i = 0; i + 8 <= seq.length; i++) {
      if (value.includes(seq.slice(i, i + 8))) return true;
    }
  }
  return false;
}

/** The shortest repeat `structuredShare` counts: 4 characters. */
const MIN_REPEAT = 4;

/**
 * Marks in `covered` the characters that repeat what came before (a greedy LZ77 parse: at each
 * position, the latest earlier occurrence of the next MIN_REPEAT characters, extended as far as it
 * goes). A repeat that overlaps its source (`xxxxxxxx`, `abcabcabc`: a block repeated more than
 * twice) marks the source too: the whole block is structure.
 */
function markRepeats(codes: Int16Array, covered: Uint8Array): void {
  const n = codes.length;
  const latest = new Map<number, number>();
  // Character codes are below 128: 8 bits each.
  const key = (at: number) => ((codes[at]! * 256 + codes[at + 1]!) * 256 + codes[at + 2]!) * 256 + codes[at + 3]!;
  for (let i = 0; i + MIN_REPEAT <= n; ) {
    const from = latest.get(key(i));
    if (from === undefined) {
      latest.set(key(i), i);
      i++;
      continue;
    }
    // The MIN_REPEAT characters at `from` are those at `i`: extend the repeat as far as it goes.
    let length = MIN_REPEAT;
    while (i + length < n && codes[from + length] === codes[i + length]) length++;
    covered.fill(1, i, i + length);
    if (from + length > i) covered.fill(1, from, i);
    for (let j = i; j < i + length && j + MIN_REPEAT <= n; j++) latest.set(key(j), j);
    i += length;
  }
}

/**
 * The fewest equal steps in a row that make a sequence: 5 (`bcdefg`, `A1B2C3D`), or 3 from where
 * people start counting (`abcd`, `1234`, `0123`, `ABCD`).
 */
const MIN_STEPS = 5;
const MIN_STEPS_FROM_START = 3;
const STARTS = new Set(['0', '1', 'a', 'A'].map((c) => c.charCodeAt(0)));

/** Digits, capitals and small letters: a sequence steps within one of them, wrapping (`…890`, `…XYZA`). */
function rank(code: number): { kind: number; at: number; size: number } {
  if (code <= 57) return { kind: 0, at: code - 48, size: 10 };
  if (code <= 90) return { kind: 1, at: code - 65, size: 26 };
  return { kind: 2, at: code - 97, size: 26 };
}

/**
 * Marks in `covered` the sequences at `lag`: characters in a row, each one the character `lag`
 * places before it plus +1 or -1, within digits or within letters of one case (`abcdef`,
 * `1234567890`, `zyxwv`; at lag 2, two interleaved ones: `A1B2C3D4`).
 */
function markSequences(codes: Int16Array, lag: number, covered: Uint8Array): void {
  const step = (i: number): number | undefined => {
    const a = rank(codes[i]!);
    const b = rank(codes[i + lag]!);
    const s = (b.at - a.at + a.size) % a.size;
    return a.kind === b.kind && (s === 1 || s === a.size - 1) ? s : undefined;
  };
  let from = 0;
  let current: number | undefined;
  for (let i = 0; i + lag <= codes.length; i++) {
    const s = i + lag < codes.length ? step(i) : undefined;
    if (s !== undefined && s === current) continue;
    // Steps from..i-1 were equal: characters from..i-1+lag follow them.
    const fromStart = current === 1 && STARTS.has(codes[from]!);
    if (current !== undefined && i - from >= (fromStart ? MIN_STEPS_FROM_START : MIN_STEPS)) covered.fill(1, from, i + lag);
    from = i;
    current = s;
  }
}

/**
 * The share of a value's letters and digits that are structure rather than chance: repeats of what
 * came before (runs `xxxx`, `0000`, blocks `abcabc`, `REPLACEMEREPLACEME`) and sequences (`abcdef`,
 * `1234567890`, `A1B2C3D4`). Separators are ignored, so `0000-0000` is one run.
 *
 * A random string seldom repeats 4 characters of its own: in random hex (16 symbols, the worst
 * case), a given pair of positions does with a probability of 1 in 65,536, and a value needs
 * several such repeats, or a long sequence, before most of it is covered.
 */
function structuredShare(value: string): number {
  const chars = value.replace(/[^A-Za-z0-9]/g, '');
  const n = chars.length;
  if (n === 0) return 0;
  const codes = Int16Array.from(chars, (c) => c.charCodeAt(0));
  const covered = new Uint8Array(n);
  markRepeats(codes, covered);
  markSequences(codes, 1, covered);
  markSequences(codes, 2, covered);
  let count = 0;
  for (const c of covered) count += c;
  // Short values need 8 characters of structure: half of `12345` is not evidence.
  return count < 8 ? 0 : count / n;
}

/**
 * The part of a value that should look random: without the pieces between separators that are
 * words of its format (`sk`, `live`, `https`, `hooks`, `services`, `IncomingWebhook`: letters only,
 * up to 15), unless too little is left to judge.
 */
function randomPart(value: string): string {
  const kept = value
    .split(/[^A-Za-z0-9]+/)
    .filter((piece) => !/^[A-Za-z]{1,15}$/.test(piece))
    .join('');
  return kept.length >= 8 ? kept : value;
}

/**
 * True when `secret` is a placeholder: a reference, a marker word, a famous example password, or a
 * value that is mostly runs, sequences and repetitions (judged on its letters and digits, so a
 * provider prefix such as `sk_live_` or `ghp_` in front of `xxxx…` does not hide it).
 */
export function isPlaceholder(secret: string): boolean {
  if (KNOWN_EXAMPLES.has(secret) || isDevWalletKey(secret)) return true;
  if (REFERENCE.some((re) => re.test(secret))) return true;
  if (PLACEHOLDER_PHRASES.test(secret) || hasMarkerWord(secret) || hasEnterMarker(secret)) return true;
  if (isFamousPassword(secret)) return true;
  // Judge the variety of the tail: provider prefixes (sk_live_, ghp_) are not random.
  const tail = secret.replace(/^[A-Za-z]{2,12}[_-](?:[A-Za-z]{2,8}[_-])?/, '');
  if (tail.length >= 6 && isLowVariety(tail)) return true;
  if (hasLongSequentialRun(secret)) return true;
  return secret.length >= 6 && structuredShare(randomPart(secret)) >= 0.5;
}
