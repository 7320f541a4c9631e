/**
 * Values that stand in for a secret rather than being one: documentation placeholders, template
 * references and documented example keys. Shared by every rule (unless a rule opts out), so that a
 * README or a config template never raises an alarm.
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

/** Words that mark a value as a placeholder wherever they appear in it. */
const PLACEHOLDER_WORDS =
  /(?:\{\{|\}\}|\$\{|example|sample|dummy|placeholder|redacted|changeme|change_me|replace[_-]?me|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|secret|token|password|pass)|insert[_-]?(?:your|key|token|here)|put[_-]?your|enter[_-]?your|fill[_-]?me|todo|fixme|xxxxx|\*\*\*\*|<[a-z_ -]+>|\.{3}|…|notarealkey|not[_-]?a[_-]?real|fake[_-]?(?:key|token|secret|password))/i;

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

/**
 * True when `secret` is a placeholder. `randomPart` is the portion after a fixed provider prefix
 * (e.g. the part after `sk_live_`), where repeated characters give a fake away.
 */
export function isPlaceholder(secret: string): boolean {
  if (KNOWN_EXAMPLES.has(secret)) return true;
  if (REFERENCE.some((re) => re.test(secret))) return true;
  if (PLACEHOLDER_WORDS.test(secret)) return true;
  // Judge the variety of the tail: provider prefixes (sk_live_, ghp_) are not random.
  const tail = secret.replace(/^[A-Za-z]{2,12}[_-](?:[A-Za-z]{2,8}[_-])?/, '');
  if (tail.length >= 6 && isLowVariety(tail)) return true;
  if (hasLongSequentialRun(secret)) return true;
  return false;
}
