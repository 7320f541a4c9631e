import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { Engine } from '../../src/engine/engine.js';
import { randomString, seededRandom, type Random } from '../support/fakeSecrets.js';

/**
 * The assignment grammar (rules/macros.yml: {{assign}} for provider rules, {{assign-strict}} for the
 * generic ones) in every file type keyfence reads, run through the engine over the built rule pack:
 * each way code and config give a name a literal, hard-coded fallbacks included, finds exactly the
 * rule the name is for, with its secret and line; the shapes that hold no literal stay quiet.
 * Values are made here from a seeded generator: nothing token-shaped is committed.
 */

interface Target {
  rule: string;
  /** The name as an environment variable, as a config key, and as a dotted property. */
  NAME: string;
  name: string;
  dotted: string;
  value: (random: Random) => string;
}

const TARGETS: Target[] = [
  // keyword-anchored provider rules: two that had the loose separator, one the function-call one
  { rule: 'algolia-api-key', NAME: 'ALGOLIA_ADMIN_KEY', name: 'algolia_admin_key', dotted: 'algolia.admin-key', value: (r) => randomString(r, 'hex', 32) },
  { rule: 'datadog-api-key', NAME: 'DATADOG_API_KEY', name: 'datadog_api_key', dotted: 'datadog.api-key', value: (r) => randomString(r, 'hex', 32) },
  { rule: 'zendesk-api-token', NAME: 'ZENDESK_API_TOKEN', name: 'zendesk_api_token', dotted: 'zendesk.api-token', value: (r) => randomString(r, 'alnum', 40) },
  // the generic rules
  { rule: 'generic-password', NAME: 'DB_PASSWORD', name: 'db_password', dotted: 'db.password', value: (r) => `${randomString(r, 'alnum', 13)}7q` },
  { rule: 'generic-api-secret', NAME: 'BILLING_API_TOKEN', name: 'billing_api_token', dotted: 'billing.api-token', value: (r) => `${randomString(r, 'alnum', 26)}4x` },
];

const ASSIGNMENT_RULES = new Set(TARGETS.map((t) => t.rule));

/**
 * One file per form: the form's line (the one holding «V») among idiomatic neighbours, so the
 * reported line is checked too. «NAME», «name» and «dotted» are the target's names, «V» its value.
 */
interface Form {
  type: string;
  form: string;
  file: string;
  lines: string[];
  /**
   * Only for the provider rules: the generic rules take nothing but a quoted literal in source code
   * (`literal: true`, rules/generic.yml), and this value sits unquoted inside a string.
   */
  providerOnly?: boolean;
}

const FORMS: Form[] = [
  // code
  { type: 'JavaScript', form: 'process.env.X || "v"', file: 'src/config.js', lines: ["'use strict';", 'const key = process.env.«NAME» || "«V»";', 'module.exports = { key };'] },
  { type: 'JavaScript', form: 'process.env.X ??= "v"', file: 'src/env.mjs', lines: ['// defaults for local runs', 'process.env.«NAME» ??= "«V»";'] },
  { type: 'TypeScript', form: 'process.env["X"] ?? \'v\'', file: 'src/config.ts', lines: ['export const config = {', "  key: process.env['«NAME»'] ?? '«V»',", '};'] },
  { type: 'Python', form: 'os.environ.get("X") or "v"', file: 'app/settings.py', lines: ['import os', '', 'KEY = os.environ.get("«NAME»") or "«V»"'] },
  { type: 'Python', form: 'os.getenv("X", "v")', file: 'app/settings.py', lines: ['import os', 'KEY = os.getenv("«NAME»", "«V»")'] },
  { type: 'Python', form: 'os.environ.get("X", "v")', file: 'app/settings.py', lines: ['import os', 'KEY = os.environ.get("«NAME»", "«V»")'] },
  { type: 'Python', form: 'config.get("x", "v")', file: 'app/client.py', lines: ['def client(config):', '    key = config.get("«name»", "«V»")', '    return Client(key)'] },
  { type: 'Ruby', form: 'ENV.fetch("X", "v")', file: 'lib/acme/client.rb', lines: ['module Acme', '  KEY = ENV.fetch("«NAME»", "«V»")', 'end'] },
  { type: 'Ruby', form: 'ENV.fetch("X") { "v" }', file: 'lib/acme/client.rb', lines: ['module Acme', '  KEY = ENV.fetch("«NAME»") { "«V»" }', 'end'] },
  { type: 'Ruby', form: 'ENV["X"] || "v"', file: 'lib/acme/client.rb', lines: ['module Acme', "  KEY = ENV['«NAME»'] || '«V»'", 'end'] },
  { type: 'Go', form: 'cmp.Or(os.Getenv("X"), "v")', file: 'cmd/server/main.go', lines: ['func main() {', '\tkey := cmp.Or(os.Getenv("«NAME»"), "«V»")', '\trun(key)', '}'] },
  { type: 'Java', form: 'System.getenv().getOrDefault("X", "v")', file: 'src/main/java/com/acme/App.java', lines: ['class App {', '  static final String KEY = System.getenv().getOrDefault("«NAME»", "«V»");', '}'] },
  { type: 'Java', form: 'Optional.ofNullable(System.getenv("X")).orElse("v")', file: 'src/main/java/com/acme/App.java', lines: ['class App {', '  String key = Optional.ofNullable(System.getenv("«NAME»")).orElse("«V»");', '}'] },
  { type: 'Java', form: '@Value("${x:v}") (Spring)', file: 'src/main/java/com/acme/Client.java', lines: ['class Client {', '  @Value("${«dotted»:«V»}")', '  private String key;', '}'], providerOnly: true },
  { type: 'Kotlin', form: 'System.getenv("X") ?: "v"', file: 'src/main/kotlin/App.kt', lines: ['object Settings {', '    val key = System.getenv("«NAME»") ?: "«V»"', '}'] },
  { type: 'PHP', form: "getenv('X') ?: 'v'", file: 'src/config.php', lines: ['<?php', "$key = getenv('«NAME»') ?: '«V»';"] },
  { type: 'PHP', form: "$_ENV['X'] ?? 'v'", file: 'src/config.php', lines: ['<?php', "$key = $_ENV['«NAME»'] ?? '«V»';"] },
  { type: 'PHP', form: "env('X', 'v') (Laravel)", file: 'config/services.php', lines: ['<?php', 'return [', "    'key' => env('«NAME»', '«V»'),", '];'] },
  { type: 'C#', form: 'Environment.GetEnvironmentVariable("X") ?? "v"', file: 'src/Program.cs', lines: ['var key = Environment.GetEnvironmentVariable("«NAME»") ?? "«V»";'] },
  { type: 'Rust', form: 'env::var("X").unwrap_or("v".to_string())', file: 'src/main.rs', lines: ['fn main() {', '    let key = env::var("«NAME»").unwrap_or("«V»".to_string());', '}'] },
  { type: 'Rust', form: 'env::var("X").unwrap_or_else(|_| "v".into())', file: 'src/main.rs', lines: ['fn main() {', '    let key: String = env::var("«NAME»").unwrap_or_else(|_| "«V»".into());', '}'] },
  { type: 'TypeScript', form: 'const X: string = "v"', file: 'src/keys.ts', lines: ['// keys', 'export const «NAME»: string = "«V»";'] },
  { type: 'Rust', form: 'const X: &str = "v"', file: 'src/keys.rs', lines: ['// keys', 'pub const «NAME»: &str = "«V»";'] },
  { type: 'Kotlin', form: 'const val X: String = "v"', file: 'src/main/kotlin/Keys.kt', lines: ['object Keys {', '    const val «NAME»: String = "«V»"', '}'] },
  { type: 'Python', form: 'X: Final[str] = "v"', file: 'app/keys.py', lines: ['from typing import Final', '«NAME»: Final[str] = "«V»"'] },
  { type: 'Go', form: 'var X string = "v"', file: 'internal/keys/keys.go', lines: ['package keys', '', 'var «NAME» string = "«V»"'] },
  // configuration
  { type: '.env', form: 'X=v', file: '.env', lines: ['# local settings', '«NAME»=«V»'] },
  { type: '.env', form: 'X=${X:-v}', file: '.env', lines: ['PORT=8080', '«NAME»=${«NAME»:-«V»}'] },
  { type: 'YAML', form: 'x: v', file: 'config/app.yml', lines: ['acme:', '  «name»: «V»'] },
  { type: 'YAML', form: 'x: "v"', file: 'config/app.yml', lines: ['acme:', '  «name»: "«V»"'] },
  { type: 'docker-compose', form: 'X: ${X:-v}', file: 'docker-compose.yml', lines: ['services:', '  app:', '    environment:', '      «NAME»: ${«NAME»:-«V»}'] },
  { type: 'docker-compose', form: '- X=${X-v}', file: 'docker-compose.yml', lines: ['services:', '  app:', '    environment:', '      - «NAME»=${«NAME»-«V»}'] },
  { type: 'Helm', form: '{{ .Values.x | default "v" }}', file: 'charts/app/templates/secret.yaml', lines: ['stringData:', '  «name»: {{ .Values.«name» | default "«V»" | quote }}'] },
  { type: 'JSON', form: '"x": "v"', file: 'config/app.json', lines: ['{', '  "«name»": "«V»",', '  "port": 8080', '}'] },
  { type: 'TOML', form: 'x = "v"', file: 'config/app.toml', lines: ['[acme]', '«name» = "«V»"'] },
  { type: 'properties', form: 'x.y=v', file: 'src/main/resources/application.properties', lines: ['server.port=8080', '«dotted»=«V»'] },
  { type: 'properties', form: 'x.y=${X:v} (Spring)', file: 'src/main/resources/application.properties', lines: ['server.port=8080', '«dotted»=${«NAME»:«V»}'] },
  { type: 'Makefile', form: 'X ?= v', file: 'Makefile', lines: ['«NAME» ?= «V»', '', 'deploy:', '\t./deploy.sh'] },
  { type: 'Makefile', form: 'X := v', file: 'Makefile', lines: ['«NAME» := «V»', '', 'deploy:', '\t./deploy.sh'] },
  { type: 'shell', form: 'export X="v"', file: 'scripts/deploy.sh', lines: ['#!/bin/sh', 'export «NAME»="«V»"'] },
  { type: 'shell', form: ': "${X:=v}"', file: 'scripts/deploy.sh', lines: ['#!/bin/sh', ': "${«NAME»:=«V»}"', 'exec ./deploy'] },
  { type: 'shell', form: '"${X:-v}"', file: 'scripts/deploy.sh', lines: ['#!/bin/sh', 'exec ./deploy --key "${«NAME»:-«V»}"'] },
  { type: 'Dockerfile', form: 'ENV X=v', file: 'Dockerfile', lines: ['FROM node:20', 'ENV «NAME»=«V»'] },
  { type: 'Dockerfile', form: 'ENV X v', file: 'Dockerfile', lines: ['FROM node:20', 'ENV «NAME» «V»'] },
  { type: 'Dockerfile', form: 'ARG X=v', file: 'Dockerfile', lines: ['FROM node:20', 'ARG «NAME»=«V»'] },
  { type: 'Terraform', form: 'x = "v"', file: 'infra/main.tf', lines: ['provider "acme" {', '  «name» = "«V»"', '}'] },
  { type: 'GitHub Actions', form: "${{ secrets.X || 'v' }}", file: '.github/workflows/deploy.yml', lines: ['    env:', "      «NAME»: ${{ secrets.«NAME» || '«V»' }}"] },
];

/** Forms that hold no literal: a fallback to another reference, an empty default, a command. */
const QUIET: Form[] = [
  { type: 'Python', form: 'os.getenv("X") or default_key', file: 'app/settings.py', lines: ['KEY = os.getenv("«NAME»") or default_key'] },
  { type: 'JavaScript', form: 'process.env.X || ""', file: 'src/config.js', lines: ['const key = process.env.«NAME» || "";'] },
  { type: 'JavaScript', form: 'process.env.X || process.env.Y', file: 'src/config.js', lines: ['const key = process.env.«NAME» || process.env.«NAME»_FALLBACK;'] },
  { type: 'JavaScript', form: 'x || "Authorization"', file: 'src/headers.js', lines: ['const header = «name» || "Authorization";'] },
  { type: 'Rust', form: 'unwrap_or_default()', file: 'src/main.rs', lines: ['let key = env::var("«NAME»").unwrap_or_default();'] },
  { type: 'Ruby', form: 'ENV.fetch("X") { raise … }', file: 'lib/acme/client.rb', lines: ['KEY = ENV.fetch("«NAME»") { raise "«NAME» is missing" }'] },
  { type: 'Go', form: 'cmp.Or(os.Getenv("X"), fallback)', file: 'cmd/server/main.go', lines: ['\tkey := cmp.Or(os.Getenv("«NAME»"), defaultKey)'] },
  { type: 'Makefile', form: 'X ?= $(shell …)', file: 'Makefile', lines: ['«NAME» ?= $(shell cat secrets/«name».txt)'] },
  { type: 'Makefile', form: 'X != …', file: 'Makefile', lines: ['«NAME» != cat secrets/«name».txt'] },
  { type: '.env', form: 'X=${X:-}', file: '.env', lines: ['«NAME»=${«NAME»:-}'] },
  { type: 'shell', form: '${X:?message}', file: 'scripts/deploy.sh', lines: [': "${«NAME»:?«NAME» must be set}"'] },
  { type: 'shell', form: '${X:+alternative}', file: 'scripts/deploy.sh', lines: ['exec ./deploy ${«NAME»:+--key "$«NAME»"}'] },
  { type: 'docker-compose', form: 'X: ${X}', file: 'docker-compose.yml', lines: ['      «NAME»: ${«NAME»}'] },
  { type: 'Java', form: '@Value("${x}")', file: 'src/main/java/com/acme/Client.java', lines: ['  @Value("${«dotted»}")'] },
  { type: 'Dockerfile', form: 'ENV X ""', file: 'Dockerfile', lines: ['ENV «NAME»=""'] },
  { type: 'GitHub Actions', form: '${{ secrets.X || github.token }}', file: '.github/workflows/deploy.yml', lines: ['      «NAME»: ${{ secrets.«NAME» || github.token }}'] },
  { type: 'TypeScript', form: 'x: string;', file: 'src/keys.ts', lines: ['interface Keys {', '  «name»: string;', '}'] },
  { type: 'TypeScript', form: 'const x: string = process.env.X ?? ""', file: 'src/keys.ts', lines: ['export const «name»: string = process.env.«NAME» ?? "";'] },
];

const engine = new Engine(defaultConfig());

function fill(line: string, target: Target, value: string): string {
  return line.replaceAll('«NAME»', target.NAME).replaceAll('«name»', target.name).replaceAll('«dotted»', target.dotted).replaceAll('«V»', value);
}

/** `rule secret line` for each finding of the rules under test. */
function scan(file: string, text: string): string[] {
  return engine
    .scan({ file, text, firstLine: 1 })
    .filter((f) => ASSIGNMENT_RULES.has(f.ruleId))
    .map((f) => `${f.ruleId} ${f.secret} ${f.line}`);
}

const GENERIC = new Set(['generic-password', 'generic-api-secret']);
const cases = (forms: Form[]) =>
  TARGETS.flatMap((target) =>
    forms.filter((form) => !(form.providerOnly && GENERIC.has(target.rule))).map((form) => ({ ...form, target, rule: target.rule })),
  );

describe('a literal given to a name is found in every assignment form', () => {
  it.each(cases(FORMS))('$rule: $type $form', ({ file, lines, target, rule, type, form }) => {
    const value = target.value(seededRandom(`${rule}/${type}/${form}`));
    const line = lines.findIndex((l) => l.includes('«V»')) + 1;
    const text = `${lines.map((l) => fill(l, target, value)).join('\n')}\n`;
    expect(scan(file, text), text).toEqual([`${rule} ${value} ${line}`]);
  });
});

describe('a name given no literal stays quiet', () => {
  it.each(cases(QUIET))('$rule: $type $form', ({ file, lines, target, rule, type, form }) => {
    const value = target.value(seededRandom(`${rule}/${type}/${form}`));
    const text = `${lines.map((l) => fill(l, target, value)).join('\n')}\n`;
    expect(scan(file, text), text).toEqual([]);
  });
});
