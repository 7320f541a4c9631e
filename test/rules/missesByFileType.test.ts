import { describe, expect, it } from 'vitest';
import { loadRuleDirectory } from '../../src/engine/ruleFiles.js';
import { compileRule } from '../../src/engine/compiledRule.js';
import { Scanner } from '../../src/engine/scanner.js';
import { randomString, seededRandom } from '../support/fakeSecrets.js';

/**
 * The leak shapes real code has and keyfence used to miss, each written the way every kind of file
 * keyfence classifies would hold it: one exact finding per file, with the whole value as the secret.
 * Values are generated here; none is committed.
 */
const scanner = new Scanner(loadRuleDirectory(new URL('../../rules', import.meta.url).pathname).map(({ spec, origin }) => compileRule(spec, origin)));
const random = seededRandom('misses-by-file-type');

/** A Discord bot token: the base64 of a snowflake id minted between 2019 and 2025, then two random parts. */
function discordToken(): string {
  const minted = BigInt(Date.UTC(2019, 0, 1) + Math.floor(random() * 6 * 365 * 86400000) - 1420070400000);
  const id = (minted << 22n) | BigInt(Math.floor(random() * 2 ** 22));
  return `${Buffer.from(id.toString()).toString('base64').replace(/=+$/, '')}.${randomString(random, 'base64url', 6)}.${randomString(random, 'base64url', 38)}`;
}

/** A miss: the rule that must find it, a name the value is assigned to, and the value. */
interface Miss {
  rule: string;
  name: string;
  value: () => string;
}

const MISSES: Record<string, Miss> = {
  'a short Vault token (hvs.)': { rule: 'vault-service-token', name: 'VAULT_TOKEN', value: () => `hvs.${randomString(random, 'alnum', 24)}` },
  'a Discord bot token under a name that says nothing': { rule: 'discord-bot-token', name: 'CLIENT_CONFIG', value: discordToken },
  'a wallet private key': { rule: 'ethereum-private-key', name: 'DEPLOYER_PRIVATE_KEY', value: () => `0x${randomString(random, 'hex', 64)}` },
  'a legacy 40-hex token under an unmistakable name': { rule: 'generic-api-secret', name: 'SOURCEGRAPH_ACCESS_TOKEN', value: () => randomString(random, 'hex', 40) },
  'a password of random letters only': { rule: 'generic-password', name: 'DB_PASSWORD', value: () => randomString(random, 'alpha', 16) },
  'a dotted random password': { rule: 'generic-password', name: 'DB_PASSWORD', value: () => `pw.${randomString(random, 'alnum', 8)}7${randomString(random, 'alnum', 16)}` },
};

/** One line of each kind of file, holding NAME = VALUE as that file would. */
const FILE_TYPES: Record<string, [file: string, line: (name: string, value: string) => string]> = {
  '.env': ['.env', (n, v) => `${n}=${v}`],
  YAML: ['deploy/values.yaml', (n, v) => `  ${n.toLowerCase()}: "${v}"`],
  JSON: ['config/settings.json', (n, v) => `  "${n}": "${v}",`],
  TOML: ['config/app.toml', (n, v) => `${n.toLowerCase()} = "${v}"`],
  properties: ['src/main/resources/application.properties', (n, v) => `app.${n.toLowerCase().replaceAll('_', '-')}=${v}`],
  Makefile: ['Makefile', (n, v) => `${n} ?= ${v}`],
  shell: ['scripts/deploy.sh', (n, v) => `export ${n}="${v}"`],
  Dockerfile: ['Dockerfile', (n, v) => `ENV ${n}=${v}`],
  Terraform: ['infra/main.tf', (n, v) => `  ${n.toLowerCase()} = "${v}"`],
  JavaScript: ['src/config.js', (n, v) => `const ${n} = '${v}';`],
  TypeScript: ['src/config.ts', (n, v) => `export const ${n}: string = "${v}";`],
  Python: ['app/settings.py', (n, v) => `${n} = "${v}"`],
  Ruby: ['config/initializers/keys.rb', (n, v) => `${n} = '${v}'.freeze`],
  Go: ['internal/config/config.go', (n, v) => `\t${n} = "${v}"`],
  Java: ['src/main/java/App.java', (n, v) => `    private static final String ${n} = "${v}";`],
  PHP: ['config/app.php', (n, v) => `define('${n}', '${v}');`],
  'C#': ['src/Settings.cs', (n, v) => `    public const string ${n} = "${v}";`],
  Rust: ['src/config.rs', (n, v) => `const ${n}: &str = "${v}";`],
};

describe.each(Object.entries(MISSES))('%s', (_, miss) => {
  it.each(Object.entries(FILE_TYPES))('is found in %s', (_type, [file, line]) => {
    const value = miss.value();
    const text = `# settings\n${line(miss.name, value)}\n`;
    const found = scanner.scan({ file, text }, 'unknown').map((f) => `${f.line} ${f.ruleId} ${f.secret}`);
    // A Dockerfile's ENV bakes a secret-named value into the image as well: that is a finding of its own.
    const baked = file === 'Dockerfile' && /(?:TOKEN|SECRET|PASSWORD|KEY)$/.test(miss.name) ? [`2 echo-leak-docker-build-arg ${miss.name}`] : [];
    expect(found.sort()).toEqual([`2 ${miss.rule} ${value}`, ...baked].sort());
  });
});
