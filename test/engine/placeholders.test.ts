import { describe, expect, it } from 'vitest';
import { compileRule, type CompiledRule } from '../../src/engine/compiledRule.js';
import { isPlaceholder } from '../../src/engine/placeholder.js';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { Scanner } from '../../src/engine/scanner.js';
import type { Finding } from '../../src/findings/finding.js';
import { engineWith, scanFiles } from '../environment/engineSupport.js';
import { runCli } from '../support/cli.js';
import { CHARSETS, checksumToken, expandTemplates, randomString, seededRandom, TEMPLATE, type Random } from '../support/fakeSecrets.js';
import { tempDir } from '../support/tempRepo.js';

/**
 * Placeholders are never reported, by any rule, through the one shared filter
 * (src/engine/placeholder.ts), and a random token is (almost) never taken for one.
 *
 * No token-shaped string is committed here: placeholder values are assembled at run time
 * (`['sk', 'live', 'x'.repeat(24)].join('_')`), random ones come from the seeded generator of
 * test/support/fakeSecrets.ts.
 */

const cycle = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);

/** `word` written with the characters of `chars` (letters change case, separators drop), if it can be. */
function fit(word: string, chars: string): string | undefined {
  let out = '';
  for (const c of word) {
    if (chars.includes(c)) out += c;
    else if (chars.includes(c.toUpperCase())) out += c.toUpperCase();
    else if (chars.includes(c.toLowerCase())) out += c.toLowerCase();
    else if (/[A-Za-z0-9]/.test(c)) return undefined;
  }
  return out;
}

/** `A1B2C3…`: the charset's letters (capitals if it has them) interleaved with 1, 2, … 9, 0. */
function interleaved(chars: string, n: number): string | undefined {
  const letters = [...chars].filter((c) => /[A-Za-z]/.test(c) && (/[A-Z]/.test(c) || !/[A-Z]/.test(chars)));
  if (letters.length === 0 || !chars.includes('1')) return undefined;
  let out = '';
  for (let i = 0; out.length < n; i++) out += letters[i % letters.length]! + String((i + 1) % 10);
  return out.slice(0, n);
}

/** Placeholders that are structure: each fills a random part of `n` characters of charset `chars`. */
const STRUCTURE: Record<string, (chars: string, n: number) => string | undefined> = {
  'xxxx…': (c, n) => (c.includes('x') ? 'x'.repeat(n) : undefined),
  'XXXX…': (c, n) => (c.includes('X') ? 'X'.repeat(n) : undefined),
  '0000…': (c, n) => (c.includes('0') ? '0'.repeat(n) : undefined),
  '****': (_c, n) => '*'.repeat(n),
  'A1B2C3…': interleaved,
  'abcdef123456…': (c, n) => fit(cycle('abcdef123456', n), c),
  '1234567890abcdef…': (c, n) => fit(cycle('1234567890abcdef', n), c),
  'ABCDEFGHIJKLMNOP…': (c, n) => fit(cycle('ABCDEFGHIJKLMNOPQRSTUVWXYZ', n), c),
  'the charset in order': (c, n) => cycle(c, n),
};

/** Placeholders that are words, written as they are or fitted to a random part (`REPLACEME…`). */
const MARKERS = [
  'REPLACE_WITH_YOUR_API_KEY',
  'REPLACE_ME',
  'replace-me',
  'ENTER_YOUR_TOKEN_HERE',
  'ENTER_API_KEY_HERE',
  '<your-api-key>',
  '<YOUR_API_KEY>',
  '${YOUR_TOKEN}',
  'CHANGEME',
  'change-me',
  'changeit',
  'your_api_key_here',
  'EXAMPLE_KEY',
  'dummy-token',
  'sample_secret',
  'placeholder',
  'REDACTED',
];

/** Famous example passwords: whole values only. */
const PASSWORDS = [
  'hunter2',
  'correct horse battery staple',
  'correcthorsebatterystaple',
  'password123',
  'P@ssw0rd',
  'Passw0rd!',
  'letmein',
  'changeit',
  'secret123',
  'admin123',
  'qwerty123',
  'qwertyuiop',
];

/** The templates whose value is random characters (the others make structures: keys, credentials, tokens). */
const RANDOM_KINDS = new Set(['rand', 'github', 'badsum']);

/** Where a template's random characters ended up in the expanded text. */
interface Slot {
  start: number;
  end: number;
  charset: string;
}

/** Expands `template` as the rule example tests do (same seed, same values) and says where each random part is. */
function expand(template: string, seed: string): { text: string; slots: Slot[] } {
  const random = seededRandom(seed);
  const slots: Slot[] = [];
  let text = '';
  let last = 0;
  for (const m of template.matchAll(TEMPLATE)) {
    text += template.slice(last, m.index);
    const value = m[1] === 'same' ? m[0] : expandTemplates(m[0], random).text;
    const arg = m[2]?.split(':')[0];
    const prefix = m[1] === 'rand' ? '' : (arg ?? '');
    if (RANDOM_KINDS.has(m[1]!)) slots.push({ start: text.length + prefix.length, end: text.length + value.length, charset: m[1] === 'rand' ? (arg ?? 'alnum') : 'alnum' });
    text += value;
    last = m.index + m[0].length;
  }
  text += template.slice(last);
  return { text, slots };
}

/** `text` with the random part of every slot replaced by `make(charset, length)`; undefined if one cannot be. */
function substitute(text: string, slots: Slot[], make: (chars: string, n: number) => string | undefined): string | undefined {
  let out = '';
  let last = 0;
  for (const slot of slots) {
    const value = make(CHARSETS[slot.charset]!, slot.end - slot.start);
    if (value === undefined) return undefined;
    out += text.slice(last, slot.start) + value;
    last = slot.end;
  }
  return out + text.slice(last);
}

/** The rule's regex matches in `text`, before any verification. */
function candidates(rule: CompiledRule, text: string): Array<{ secret: string; start: number; end: number }> {
  const out = [];
  for (const m of text.matchAll(new RegExp(rule.regex))) {
    const span = m.indices?.[rule.secretGroup];
    const secret = m[rule.secretGroup];
    if (span && secret) out.push({ secret, start: span[0], end: span[1] });
  }
  return out;
}

/** The share of a candidate that came from random parts: the rest is the rule's format (a prefix, a host). */
function randomShare(candidate: { start: number; end: number }, slots: Slot[]): number {
  let random = 0;
  for (const s of slots) random += Math.max(0, Math.min(s.end, candidate.end) - Math.max(s.start, candidate.start));
  return random / (candidate.end - candidate.start);
}

/**
 * A secret whose random parts make at least this share of it is a placeholder once they are. Below
 * it, the literal rest of the example is itself a stand-in for random content (the header and claims
 * of a JWT, `Xk29!mQ7…`) or a host name (`orders-prod.cluster-c….rds.amazonaws.com`), and filling the
 * random part with `0000` does not make the whole a placeholder.
 */
const MOSTLY_RANDOM = 0.5;

// Path rules report files by name (a key store), not values: no placeholder can stand in for one.
const sourced = loadRuleDirectory(new URL('../../rules', import.meta.url).pathname).filter(({ spec }) => spec.path === undefined);
const compiled = sourced.map(({ spec, origin }) => compileRule(spec, origin));
const scanner = new Scanner(compiled);

const scan = (rule: CompiledRule, text: string, file = 'example.txt') => scanner.scan({ file, text }, rule.spec.environments?.[0] ?? 'unknown');
const show = (findings: Finding[]) => findings.map((f) => `${f.ruleId}: ${f.secret}`).join(', ');

interface Case {
  form: string;
  text: string;
  file?: string;
}

interface Original {
  text: string;
  file?: string;
  /** The secrets of the rule's regex matches, in order: all of them must be reported. */
  expected: string[];
}

/**
 * The match examples of `rule`, expanded, and the same lines with their random parts replaced by
 * each placeholder form that the rule's regex still captures as it captured the random value.
 */
function placeholderCases(rule: CompiledRule): { originals: Original[]; cases: Case[] } {
  const originals: Original[] = [];
  const cases: Case[] = [];
  (rule.spec.examples?.match ?? []).forEach((example, n) => {
    const raw = typeof example === 'string' ? { text: example } : example;
    const { text, slots } = expand(raw.text, `${rule.id}/match/${n}`);
    const found = candidates(rule, text);
    originals.push({ text, file: raw.file, expected: found.map((c) => c.secret) });
    if (slots.length === 0 || found.length === 0 || found.some((c) => randomShare(c, slots) < MOSTLY_RANDOM)) return;
    const spansOf = (matches: Array<{ start: number; end: number }>) => JSON.stringify(matches.map((c) => [c.start, c.end]));
    const spans = spansOf(found);
    // Same lengths, same places: the regex must capture the same spans.
    const fitted = (form: string, replaced: string | undefined) => {
      if (replaced !== undefined && spansOf(candidates(rule, replaced)) === spans) cases.push({ form, text: replaced, file: raw.file });
    };
    for (const [form, make] of Object.entries(STRUCTURE)) fitted(form, substitute(text, slots, make));
    for (const word of MARKERS) {
      const make = (chars: string, length: number) => {
        const written = fit(word, chars);
        return written && written.length <= length ? cycle(written, length) : undefined;
      };
      fitted(`${word} (fitted)`, substitute(text, slots, make));
    }
    // Written as they are, where the random part is the whole secret (a password, an `api_key=`
    // value), and where the regex captures all of it.
    const [only] = found;
    const slot = slots[0]!;
    if (slots.length === 1 && found.length === 1 && only!.start === slot.start && only!.end === slot.end) {
      for (const value of [...MARKERS, ...PASSWORDS]) {
        const replaced = substitute(text, slots, () => value)!;
        const [match, ...more] = candidates(rule, replaced);
        const whole = match && more.length === 0 && match.start === slot.start && match.secret === value;
        if (whole) cases.push({ form: value, text: replaced, file: raw.file });
      }
    }
  });
  return { originals, cases };
}

const withExamples = compiled.filter((rule) => (rule.spec.examples?.match?.length ?? 0) > 0);
const casesOf = new Map<CompiledRule, ReturnType<typeof placeholderCases>>();
const casesFor = (rule: CompiledRule) => casesOf.get(rule) ?? casesOf.set(rule, placeholderCases(rule)).get(rule)!;

describe('placeholders in the examples of every rule', () => {
  it('loads the rule pack', () => {
    expect(withExamples.length).toBe(compiled.length);
  });

  /**
   * Rules that skip the filter (`placeholders: false`) aside, only rules whose secret is mostly the
   * format itself (a URL or host name around a short random part, a JWT in base64) have no example
   * to turn into a placeholder, and rules whose examples are whole structures a validator checks
   * (a key, a basic-auth credential: `{{pem:…}}`, `{{basic:…}}`), which no placeholder has.
   */
  it('turns the examples of every other rule into placeholders', () => {
    const without = withExamples
      .filter((rule) => rule.spec.placeholders !== false && casesFor(rule).cases.length === 0)
      .map((rule) => rule.id);
    expect(without).toEqual([
      'claude-code-session-url',
      'http-basic-auth-header',
      'jwt-base64',
      'microsoft-teams-workflow-url',
      'private-key',
      'private-key-encrypted',
      'prod-host',
      'prod-host-managed-db',
    ]);
  });

  describe.each(withExamples.map((rule) => ({ id: rule.id, rule })))('$id', ({ rule }) => {
    it('reproduces the values of the rule example tests', () => {
      (rule.spec.examples?.match ?? []).forEach((example, n) => {
        const template = typeof example === 'string' ? example : example.text;
        expect(expand(template, `${rule.id}/match/${n}`).text).toBe(expandTemplates(template, seededRandom(`${rule.id}/match/${n}`)).text);
      });
    });

    it('reports every regex match of its match examples', () => {
      const { originals } = casesFor(rule);
      for (const { text, file, expected } of originals) {
        const mine = scan(rule, text, file).filter((f) => f.ruleId === rule.id);
        expect(mine.map((f) => f.secret), text).toEqual(expected);
      }
    });

    // A rule that opts out (`placeholders: false`: a seed phrase's words may be `example`) has no such test.
    if (rule.spec.placeholders === false) return;
    it('reports nothing once their random part is a placeholder', () => {
      const { cases } = casesFor(rule);
      const failures = cases.flatMap(({ form, text, file }) => {
        const findings = scan(rule, text, file);
        return findings.length === 0 ? [] : [`${form}: ${show(findings)} in ${text}`];
      });
      expect(failures).toEqual([]);
    });
  });
});

/**
 * Placeholder values as people write them, assembled at run time (nothing token-shaped committed):
 * each is put under names that the generic rules and the provider rules watch.
 */
const repeat = (c: string, n: number) => c.repeat(n);
const A1B2 = (n: number) => interleaved(CHARSETS.alnum!, n)!;
const GENERIC_PLACEHOLDERS = [
  ...MARKERS,
  'ENTER_YOUR_API_KEY',
  'EnterYourTokenHere',
  ...PASSWORDS,
  repeat('x', 24),
  repeat('X', 24),
  repeat('0', 24),
  repeat('*', 16),
  A1B2(20),
  cycle('abcdef123456', 24),
  '1234567890abcdef',
  'ABCDEFGHIJKLMNOP',
];
const prefixed = (prefix: string, n: number) => [repeat('x', n), repeat('X', n), repeat('0', n), A1B2(n), cycle('abcdef123456', n), cycle('1234567890abcdef', n)].map((tail) => prefix + tail);
const PROVIDER_PLACEHOLDERS: Array<[name: string, values: string[]]> = [
  ['STRIPE_SECRET_KEY', prefixed(['sk', 'live', ''].join('_'), 24)],
  ['GITHUB_TOKEN', prefixed(['ghp', ''].join('_'), 36)],
  ['AWS_ACCESS_KEY_ID', [repeat('X', 16), repeat('0', 16), 'ABCDEFGHIJKLMNOP', A1B2(16)].map((tail) => ['AK', 'IA', tail].join(''))],
  ['SLACK_BOT_TOKEN', [['xoxb', repeat('0', 12), repeat('0', 13), repeat('x', 24)].join('-'), ['xoxb', '123456789012', '1234567890123', A1B2(24)].join('-')]],
  ['GITLAB_TOKEN', prefixed(['glpat', ''].join('-'), 20)],
  ['NPM_TOKEN', prefixed(['npm', ''].join('_'), 36)],
];

/** The same settings with random values of the same shapes: each line is one finding. */
function realValues(random: Random): Array<[name: string, value: string]> {
  return [
    ['SERVICE_API_KEY', randomString(random, 'alnum', 32)],
    ['DB_PASSWORD', randomString(random, 'alnum', 18) + '9x'],
    ['STRIPE_SECRET_KEY', ['sk', 'live', randomString(random, 'alnum', 24)].join('_')],
    ['GITHUB_TOKEN', checksumToken(random, ['ghp', ''].join('_'), 30)],
    ['AWS_ACCESS_KEY_ID', ['AK', 'IA', randomString(random, 'uppernum', 16)].join('')],
    ['SLACK_BOT_TOKEN', ['xoxb', randomString(random, 'digits', 12), randomString(random, 'digits', 13), randomString(random, 'alnum', 24)].join('-')],
    ['GITLAB_TOKEN', ['glpat', randomString(random, 'alnum', 20)].join('-')],
    ['NPM_TOKEN', checksumToken(random, ['npm', ''].join('_'), 30)],
  ];
}

const placeholderSettings: Array<[name: string, value: string]> = [
  ...GENERIC_PLACEHOLDERS.flatMap((value): Array<[string, string]> => [
    ['SERVICE_API_KEY', value],
    ['DB_PASSWORD', value],
  ]),
  ...PROVIDER_PLACEHOLDERS.flatMap(([name, values]) => values.map((value): [string, string] => [name, value])),
];

/** One file per context: .env, YAML, JSON, JavaScript and Python, each holding every setting. */
function files(settings: Array<[name: string, value: string]>): Record<string, string> {
  const lower = (name: string) => name.toLowerCase();
  const camel = (name: string) => lower(name).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const env = (value: string) => (value.includes(' ') ? JSON.stringify(value) : value);
  return {
    '.env': settings.map(([name, value]) => `${name}=${env(value)}\n`).join(''),
    'config/settings.yaml': settings.map(([name, value], i) => `service${i}:\n  ${lower(name)}: "${value}"\n`).join(''),
    'config/settings.json': `[\n${settings.map(([name, value]) => `  {"${camel(name)}": "${value}"}`).join(',\n')}\n]\n`,
    'src/config.js': settings.map(([name, value]) => `export const ${name} = "${value}";\n`).join(''),
    'app/settings.py': settings.map(([name, value]) => `${name} = "${value}"\n`).join(''),
  };
}

describe('placeholders as written in .env, YAML, JSON and code', () => {
  it('are each judged placeholders by the shared filter', () => {
    const values = [...GENERIC_PLACEHOLDERS, ...PROVIDER_PLACEHOLDERS.flatMap(([, v]) => v)];
    expect(values.length).toBe(69);
    expect(values.filter((v) => !isPlaceholder(v))).toEqual([]);
  });

  it('are not reported by the engine, while random values in the same places are, once each', () => {
    const placeholders = files(placeholderSettings);
    expect(scanFiles(engineWith(), placeholders).map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
    const real = files(realValues(seededRandom('placeholders/contexts')));
    const findings = scanFiles(engineWith(), real);
    const perLine = new Map<string, number>();
    for (const f of findings) perLine.set(`${f.file}:${f.line}`, (perLine.get(`${f.file}:${f.line}`) ?? 0) + 1);
    expect(findings.length).toBe(5 * 8);
    expect([...perLine.values()].filter((n) => n !== 1)).toEqual([]);
  });

  it('are not reported by the CLI', () => {
    const dir = tempDir('keyfence-placeholders-');
    try {
      for (const [file, text] of Object.entries(files(placeholderSettings))) dir.write(file, text);
      const result = runCli(['scan', '--no-git', '.', '--format', 'json', '--fail-on', 'low'], dir.path);
      const report = JSON.parse(result.stdout) as {
        findings: Array<{ file: string; line: number; ruleId: string }>;
        stats: { files: number };
      };
      expect(report.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual([]);
      expect(report.stats.files).toBe(5);
      expect(result.code, result.stderr).toBe(0);
    } finally {
      dir.remove();
    }
  });
});

describe('what is not a placeholder', () => {
  it('keeps passwords that merely contain a marker word or a short run', () => {
    const real = [
      'Enterprise#2024Kx',
      'carpenter-9Qz!x7',
      'DataCenterKey#9q',
      'Exchange7$kLmQ2',
      'Hereford#48Qzw',
      'Yourk9$Lm2xQ',
      'hT9#qL2!vX',
      'Todos4Me!Xq9',
      'mq7Xk29abcQ!',
      'Admin2024!Qz',
      'Summer2024!',
    ];
    expect(real.filter((v) => isPlaceholder(v))).toEqual([]);
  });
});

/** Provider prefixes in front of random parts, as the rules see them. */
const PREFIXES = [
  ['sk', 'live', ''].join('_'),
  ['rk', 'live', ''].join('_'),
  ['ghp', ''].join('_'),
  ['github', 'pat', ''].join('_'),
  ['xoxb', ''].join('-'),
  ['AK', 'IA'].join(''),
  ['glpat', ''].join('-'),
  ['npm', ''].join('_'),
  ['SG', ''].join('.'),
  ['AI', 'za'].join(''),
  ['hf', ''].join('_'),
  ['sk', 'proj', ''].join('-'),
  ['dop', 'v1', ''].join('_'),
  ['shpat', ''].join('_'),
];
const TOKEN_CHARSETS = ['alnum', 'hex', 'HEX', 'base64', 'base64url'];

/**
 * A token of a shape rules produce: 16 to 64 random characters of one charset, half of them after a
 * provider prefix, and one in eight a GitHub-style checksummed token.
 */
function randomToken(random: Random): string {
  if (random() < 1 / 8) return checksumToken(random, PREFIXES[Math.floor(random() * PREFIXES.length)]!, 10 + Math.floor(random() * 49));
  const charset = TOKEN_CHARSETS[Math.floor(random() * TOKEN_CHARSETS.length)]!;
  const length = 16 + Math.floor(random() * 49);
  const prefix = random() < 0.5 ? '' : PREFIXES[Math.floor(random() * PREFIXES.length)]!;
  return prefix + randomString(random, charset, length);
}

describe('random tokens', () => {
  it('are not taken for placeholders: none of 100,000 seeded tokens of the shapes rules produce', () => {
    const random = seededRandom('placeholders/random-tokens');
    const judged: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const token = randomToken(random);
      if (isPlaceholder(token)) judged.push(token);
    }
    expect(judged).toEqual([]);
  });

  it('are seldom taken for placeholders in the worst shape, 16 hex digits: 2 in 100,000', () => {
    const random = seededRandom('placeholders/short-hex');
    let judged = 0;
    for (let i = 0; i < 100_000; i++) if (isPlaceholder(randomString(random, i % 2 ? 'hex' : 'HEX', 16))) judged++;
    expect(judged).toBe(2);
  });
});
