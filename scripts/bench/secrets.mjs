// Credentials planted in the generated corpus and history. Every token is assembled at run time from
// pieces, so this file holds nothing a scanner (or a reviewer) would take for a real credential.
// The planted set is written to the corpus manifest, never committed.

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(text) {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(value, width) {
  let out = '';
  let v = value;
  while (v > 0) {
    out = B62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

const b64url = (text) => Buffer.from(text).toString('base64url');

/** Joins pieces so no literal in this file has a credential's shape. */
const j = (...parts) => parts.join('');

/**
 * Each kind: a value factory and the environment variable / key name it usually travels under.
 * `live: true` kinds are what a scanner is expected to report.
 */
const SECRET_KINDS = {
  'stripe-live': { name: 'STRIPE_SECRET_KEY', live: true, make: (r) => j('sk', '_li', 've_', r.base62(r.pick([24, 34, 99]))) },
  'stripe-restricted': { name: 'STRIPE_RESTRICTED_KEY', live: true, make: (r) => j('rk', '_li', 've_', r.base62(r.pick([24, 34, 99]))) },
  'aws-access-key': { name: 'AWS_ACCESS_KEY_ID', live: true, make: (r) => j('AK', 'IA', r.upperNum(16)) },
  'aws-secret-key': { name: 'AWS_SECRET_ACCESS_KEY', live: true, make: (r) => r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+', 40) },
  'github-pat': {
    name: 'GITHUB_TOKEN',
    live: true,
    make: (r) => {
      const body = r.base62(30);
      return j('gh', 'p_', body, base62(crc32(body), 6));
    },
  },
  'npm-token': {
    name: 'NPM_TOKEN',
    live: true,
    make: (r) => {
      const body = r.base62(30);
      return j('np', 'm_', body, base62(crc32(body), 6));
    },
  },
  'slack-bot': { name: 'SLACK_BOT_TOKEN', live: true, make: (r) => j('xo', 'xb-', String(r.int(1e11, 9e11)), '-', String(r.int(1e12, 9e12)), '-', r.base62(24)) },
  'google-api': { name: 'GOOGLE_API_KEY', live: true, make: (r) => j('AI', 'za', 'Sy', r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 33)) },
  'sendgrid': { name: 'SENDGRID_API_KEY', live: true, make: (r) => j('S', 'G.', r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 22), '.', r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 43)) },
  'postgres-url': {
    name: 'DATABASE_URL',
    live: true,
    make: (r) => j('post', 'gres', '://', r.pick(['app', 'svc_orders', 'billing', 'api']), ':', r.base62(r.int(16, 24)), '@', r.pick(['db-main', 'pg-primary', 'orders-db']), '.internal.acme-corp.net:5432/', r.pick(['app', 'orders', 'billing'])),
  },
  'jwt': {
    name: 'SERVICE_JWT',
    live: true,
    make: (r) =>
      j(
        b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
        '.',
        b64url(JSON.stringify({ sub: r.uuid(), iss: 'auth.acme-corp.net', iat: 1700000000 + r.int(0, 3e7), scope: 'orders:write' })),
        '.',
        r.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 43),
      ),
  },
  'generic-password': { name: 'DB_PASSWORD', live: true, make: (r) => r.chars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%*', r.int(18, 28)) },
};

/** Values that look like credentials to a naive scanner but are not: a good scanner stays quiet. */
const DECOYS = {
  'stripe-test': (r) => j('sk', '_te', 'st_', r.base62(24)),
  'aws-example': () => j('AK', 'IA', 'IOSFODNN7', 'EXAM', 'PLE'),
  placeholder: (r) => r.pick(['your_api_key_here', '<redacted>', 'changeme', 'XXXXXXXXXXXXXXXXXXXX', '${API_KEY}', '{{ .Values.apiKey }}', 'REPLACE_ME']),
};

const LIVE_KINDS = Object.keys(SECRET_KINDS);

/** A PEM private key block, as lines. */
export function pemBlock(r) {
  const label = r.pick(['RSA PRIVATE', 'PRIVATE', 'EC PRIVATE', 'OPENSSH PRIVATE']);
  const lines = [j('-----BEG', 'IN ', label, ' KEY-----')];
  const n = r.int(12, 26);
  for (let i = 0; i < n; i++) lines.push(r.base64(i === n - 1 ? r.int(20, 60) : 64));
  lines.push(j('-----EN', 'D ', label, ' KEY-----'));
  return lines;
}

/** One credential line for a file of the given syntax. Returns { kind, value, line }. */
export function secretLine(r, syntax, kindName = r.pick(LIVE_KINDS)) {
  const kind = SECRET_KINDS[kindName];
  const value = kind.make(r);
  const key = kind.name;
  const camel = key.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const snake = key.toLowerCase();
  let line;
  switch (syntax) {
    case 'env':
      line = `${key}=${value}`;
      break;
    case 'yaml':
      line = `  ${snake}: "${value}"`;
      break;
    case 'json':
      line = `  "${camel}": "${value}",`;
      break;
    case 'py':
      line = `${key} = "${value}"`;
      break;
    case 'go':
      line = `\t${camel} = "${value}"`;
      break;
    case 'java':
      line = `    private static final String ${key} = "${value}";`;
      break;
    case 'rb':
      line = `  ${key} = '${value}'`;
      break;
    case 'properties':
      line = `${snake.replace(/_/g, '.')}=${value}`;
      break;
    case 'md':
      line = `    export ${key}=${value}`;
      break;
    default:
      line = `const ${camel} = '${value}';`;
  }
  return { kind: kindName, value, line };
}

/** A decoy line (test key, documented example, placeholder) for the given syntax. */
export function decoyLine(r, syntax) {
  const which = r.pick(Object.keys(DECOYS));
  const value = DECOYS[which](r);
  const key = which === 'aws-example' ? 'AWS_ACCESS_KEY_ID' : which === 'stripe-test' ? 'STRIPE_SECRET_KEY' : 'API_KEY';
  switch (syntax) {
    case 'env':
      return `${key}=${value}`;
    case 'yaml':
      return `  ${key.toLowerCase()}: "${value}"`;
    case 'json':
      return `  "${key.toLowerCase()}": "${value}",`;
    case 'py':
    case 'rb':
      return `${key} = "${value}"`;
    case 'md':
      return `    ${key}=${value}`;
    default:
      return `const ${key} = "${value}";`;
  }
}
