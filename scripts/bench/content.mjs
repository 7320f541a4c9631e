// Generators for real-looking file contents: source in several languages, config, lockfiles,
// minified bundles, source maps and docs. Deterministic given the Rng. The aim is the statistics of
// real code a scanner meets (line lengths, identifier and keyword density, the words "token",
// "password" and "key" at ordinary rates, hashes and base64 in lockfiles and bundles), not code that
// compiles.

const NOUNS = ('user account order invoice payment session token cache config request response handler service client ' +
  'repository event message queue worker job metric logger permission role tenant product cart price currency address ' +
  'email notification report file upload image search index query filter page limit offset status state retry timeout ' +
  'schema model record batch stream buffer chunk key url path host port connection pool transaction lock version ' +
  'migration feature flag audit webhook signature hash item entry node tree graph route context result error value name ' +
  'id count total size date time region bucket credential header body payload profile team project task comment ' +
  'subscription plan customer shipment warehouse inventory discount coupon review rating channel thread document ' +
  'template asset download export summary snapshot backup policy rule scope secret password label tag category vendor ' +
  'cursor locale theme layout widget panel dialog form field option setting preference device browser agent').split(' ');
const VERBS = ('get set load save create update delete find fetch build parse format validate normalize serialize handle ' +
  'process send receive render compute resolve register apply merge sync refresh verify encode decode map filter reduce ' +
  'sort group emit dispatch schedule cancel retry open close read write flush reset init start stop check ensure convert ' +
  'extract transform publish subscribe notify lookup match split join wrap track log measure prepare commit rollback').split(' ');
const ADJ = ('active pending default current next previous max min raw parsed cached local remote new old primary secondary ' +
  'internal public private temp final base total last first valid invalid enabled disabled').split(' ');
const ENGLISH = ('the a of to and in is for that this we it with on be as not are by when if from or an should will can each ' +
  'all only before after so then which returns called used new first case value because otherwise here also note until ' +
  'once every same other than no must may still keeps avoids handles makes sure order time data list request user error ' +
  'cache state file result older newer the the a a to of in is it is').split(' ');
const SYLLABLES = 'ba be bi bo bu da de di do ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi vo za ze zi zo ex ly ify ar or en on in ax ix'.split(' ');
const LICENSES = ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC', 'MPL-2.0'];
const LOG_LEVELS = ['info', 'debug', 'warn', 'error'];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const camel = (parts) => parts[0] + parts.slice(1).map(cap).join('');
const pascal = (parts) => parts.map(cap).join('');
const snake = (parts) => parts.join('_');

export function words(r, lo = 1, hi = 3) {
  const n = r.int(lo, hi);
  const out = [];
  if (r.chance(0.3)) out.push(r.pick(ADJ));
  while (out.length < n) out.push(r.pick(NOUNS));
  return out.map((w) => w.replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

export const ident = {
  camel: (r) => camel(words(r)),
  pascal: (r) => pascal(words(r)),
  snake: (r) => snake(words(r)),
  upper: (r) => snake(words(r)).toUpperCase(),
  fn: (r) => camel([r.pick(VERBS), ...words(r, 1, 2)]),
  fnSnake: (r) => snake([r.pick(VERBS), ...words(r, 1, 2)]),
};

export function sentence(r, lo = 6, hi = 16) {
  const n = r.int(lo, hi);
  const out = [];
  for (let i = 0; i < n; i++) out.push(r.chance(0.25) ? r.pick(NOUNS) : r.chance(0.08) ? r.pick(VERBS) : r.pick(ENGLISH));
  return `${cap(out.join(' '))}.`;
}

export function projectName(r) {
  let s = '';
  const n = r.int(2, 3);
  for (let i = 0; i < n; i++) s += r.pick(SYLLABLES);
  return s;
}

function semver(r) {
  return `${r.int(0, 12)}.${r.int(0, 30)}.${r.int(0, 20)}`;
}

function literal(r) {
  return r.weighted([
    [5, () => String(r.int(0, 1000))],
    [2, () => String(r.pick([30, 60, 100, 250, 500, 1000, 3000, 5000, 30000, 86400]))],
    [6, () => `'${sentence(r, 2, 6).slice(0, -1).toLowerCase()}'`],
    [3, () => `'${words(r, 1, 2).join('-')}'`],
    [2, () => `'/api/v${r.int(1, 3)}/${words(r, 1, 2).join('/')}'`],
    [1, () => `'https://${projectName(r)}.example.com/${words(r, 1, 2).join('/')}'`],
    [2, () => r.pick(['true', 'false', 'null'])],
    [1, () => `'${r.uuid()}'`],
    [1, () => `'#${r.hex(6)}'`],
    [1, () => `'${r.hex(40)}'`],
  ])();
}

// ---------------------------------------------------------------------------------------------
// JavaScript / TypeScript

function jsExpr(r) {
  return r.weighted([
    [4, () => `${ident.fn(r)}(${ident.camel(r)})`],
    [3, () => `await ${ident.camel(r)}.${ident.fn(r)}(${ident.camel(r)}, ${literal(r)})`],
    [2, () => `${ident.camel(r)}.${ident.camel(r)} ?? ${literal(r)}`],
    [2, () => `{ ${ident.camel(r)}, ${ident.camel(r)}: ${literal(r)} }`],
    [2, () => `${ident.camel(r)}.filter((${words(r, 1, 1)[0]}) => ${words(r, 1, 1)[0]}.${ident.camel(r)} !== ${literal(r)})`],
    [1, () => `\`${words(r, 1, 1)[0]}:\${${ident.camel(r)}}:\${${ident.camel(r)}.id}\``],
    [2, () => literal(r)],
    [1, () => `process.env.${ident.upper(r)}`],
    [1, () => `new ${ident.pascal(r)}(${ident.camel(r)})`],
  ])();
}

function jsStatements(r, depth, out, indent, ts) {
  const n = r.int(2, depth > 1 ? 4 : 9);
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([
      [6, 'const'],
      [3, 'call'],
      [2, depth < 3 ? 'if' : 'call'],
      [1, depth < 3 ? 'for' : 'const'],
      [2, 'log'],
      [1, 'comment'],
      [1, depth < 3 ? 'try' : 'const'],
    ]);
    switch (kind) {
      case 'const':
        out.push(`${indent}${r.chance(0.8) ? 'const' : 'let'} ${ident.camel(r)}${ts && r.chance(0.2) ? `: ${ident.pascal(r)}` : ''} = ${jsExpr(r)};`);
        break;
      case 'call':
        out.push(`${indent}${r.chance(0.4) ? 'await ' : ''}${r.chance(0.5) ? `this.${ident.camel(r)}.` : ''}${ident.fn(r)}(${jsExpr(r)});`);
        break;
      case 'log':
        out.push(`${indent}logger.${r.pick(LOG_LEVELS)}('${sentence(r, 3, 8).slice(0, -1).toLowerCase()}', { ${ident.camel(r)}, ${ident.camel(r)} });`);
        break;
      case 'comment':
        out.push(`${indent}// ${sentence(r)}`);
        break;
      case 'if':
        out.push(`${indent}if (${r.chance(0.5) ? '!' : ''}${ident.camel(r)}${r.chance(0.5) ? `.${ident.camel(r)} > ${r.int(0, 100)}` : ''}) {`);
        jsStatements(r, depth + 1, out, `${indent}  `, ts);
        if (r.chance(0.3)) out.push(`${indent}  return ${jsExpr(r)};`);
        out.push(`${indent}}${r.chance(0.3) ? ' else {' : ''}`);
        if (out[out.length - 1].endsWith('{')) {
          jsStatements(r, depth + 1, out, `${indent}  `, ts);
          out.push(`${indent}}`);
        }
        break;
      case 'for':
        out.push(`${indent}for (const ${words(r, 1, 1)[0]} of ${ident.camel(r)}) {`);
        jsStatements(r, depth + 1, out, `${indent}  `, ts);
        out.push(`${indent}}`);
        break;
      case 'try':
        out.push(`${indent}try {`);
        jsStatements(r, depth + 1, out, `${indent}  `, ts);
        out.push(`${indent}} catch (error) {`);
        out.push(`${indent}  logger.error('${sentence(r, 3, 7).slice(0, -1).toLowerCase()}', { error });`);
        out.push(`${indent}  throw new ${pascal(words(r, 1, 2))}Error(\`${sentence(r, 3, 6).slice(0, -1)}: \${error.message}\`);`);
        out.push(`${indent}}`);
        break;
    }
  }
}

export function jsFile(r, target, { ts = true, test = false } = {}) {
  const out = [];
  if (r.chance(0.2)) out.push(`// Copyright ${r.int(2015, 2026)} ${cap(projectName(r))} Inc. SPDX-License-Identifier: ${r.pick(LICENSES)}`);
  const imports = r.int(2, 9);
  for (let i = 0; i < imports; i++) {
    out.push(r.weighted([
      [3, () => `import { ${ident.camel(r)}, ${ident.fn(r)} } from '${r.pick(['.', '..', '../..'])}/${words(r, 1, 2).join('/')}';`],
      [2, () => `import ${projectName(r)} from '${projectName(r)}';`],
      [ts ? 1 : 0, () => `import type { ${ident.pascal(r)} } from '../types/${words(r, 1, 1)[0]}';`],
      [1, () => `import * as ${words(r, 1, 1)[0]} from 'node:${r.pick(['fs', 'path', 'crypto', 'http', 'url', 'os'])}';`],
    ])());
  }
  out.push('');
  if (test) {
    out.push(`describe('${ident.pascal(r)}', () => {`);
    while (byteLen(out) < target) {
      out.push(`  it('${sentence(r, 4, 10).slice(0, -1).toLowerCase()}', async () => {`);
      jsStatements(r, 2, out, '    ', ts);
      out.push(`    expect(${ident.camel(r)}).${r.pick(['toEqual', 'toBe', 'toMatchObject', 'toHaveLength'])}(${jsExpr(r)});`);
      out.push('  });', '');
    }
    out.push('});');
    return out.join('\n') + '\n';
  }
  for (let i = 0, n = r.int(1, 4); i < n; i++) out.push(`${r.chance(0.5) ? 'export ' : ''}const ${ident.upper(r)} = ${literal(r)};`);
  out.push('');
  while (byteLen(out) < target) {
    const kind = r.weighted([[4, 'fn'], [2, 'class'], [ts ? 2 : 0, 'iface']]);
    if (kind === 'iface') {
      out.push(`export interface ${ident.pascal(r)} {`);
      for (let i = 0, n = r.int(2, 9); i < n; i++) out.push(`  ${ident.camel(r)}${r.chance(0.3) ? '?' : ''}: ${r.pick(['string', 'number', 'boolean', 'Date', `${ident.pascal(r)}[]`, 'Record<string, unknown>'])};`);
      out.push('}', '');
    } else if (kind === 'fn') {
      if (r.chance(0.6)) out.push('/**', ` * ${sentence(r)}`, ...(r.chance(0.5) ? [` * @param ${ident.camel(r)} ${sentence(r, 3, 8)}`] : []), ' */');
      const params = Array.from({ length: r.int(0, 3) }, () => `${ident.camel(r)}${ts ? `: ${r.pick(['string', 'number', ident.pascal(r)])}` : ''}`);
      out.push(`${r.chance(0.6) ? 'export ' : ''}${r.chance(0.5) ? 'async ' : ''}function ${ident.fn(r)}(${params.join(', ')})${ts ? `: ${r.pick(['void', 'Promise<void>', ident.pascal(r), 'string'])}` : ''} {`);
      jsStatements(r, 1, out, '  ', ts);
      out.push(`  return ${jsExpr(r)};`, '}', '');
    } else {
      out.push(`export class ${ident.pascal(r)}${r.chance(0.3) ? ` extends ${ident.pascal(r)}` : ''} {`);
      for (let i = 0, n = r.int(1, 4); i < n; i++) out.push(`  ${ts ? 'private readonly ' : ''}${ident.camel(r)}${ts ? `: ${ident.pascal(r)}` : ''};`);
      out.push('');
      for (let m = 0, n = r.int(1, 5); m < n; m++) {
        out.push(`  ${r.chance(0.5) ? 'async ' : ''}${ident.fn(r)}(${ident.camel(r)}${ts ? `: ${ident.pascal(r)}` : ''}) {`);
        jsStatements(r, 2, out, '    ', ts);
        out.push('  }', '');
      }
      out.push('}', '');
    }
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Python

function pyStatements(r, depth, out, indent) {
  const n = r.int(2, depth > 1 ? 4 : 8);
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([[6, 'assign'], [3, 'call'], [2, depth < 3 ? 'if' : 'call'], [1, depth < 3 ? 'for' : 'assign'], [2, 'log'], [1, 'comment']]);
    switch (kind) {
      case 'assign':
        out.push(`${indent}${ident.snake(r)} = ${r.weighted([
          [3, () => `${ident.fnSnake(r)}(${ident.snake(r)})`],
          [2, () => `self.${ident.snake(r)}.get(${literal(r)}, ${literal(r).replace(/^(true|false|null)$/, 'None')})`],
          [2, () => `[${words(r, 1, 1)[0]}.${ident.snake(r)} for ${words(r, 1, 1)[0]} in ${ident.snake(r)} if ${words(r, 1, 1)[0]}]`],
          [1, () => `os.environ.get("${ident.upper(r)}", ${literal(r)})`],
          [2, () => `f"{${ident.snake(r)}}:{${ident.snake(r)}}"`],
          [2, () => literal(r).replace(/^true$/, 'True').replace(/^false$/, 'False').replace(/^null$/, 'None')],
        ])()}`);
        break;
      case 'call':
        out.push(`${indent}${r.chance(0.4) ? 'await ' : ''}${r.chance(0.5) ? 'self.' : ''}${ident.fnSnake(r)}(${ident.snake(r)}, ${ident.snake(r)}=${literal(r).replace(/^null$/, 'None')})`);
        break;
      case 'log':
        out.push(`${indent}logger.${r.pick(LOG_LEVELS)}("${sentence(r, 3, 8).slice(0, -1).toLowerCase()}: %s", ${ident.snake(r)})`);
        break;
      case 'comment':
        out.push(`${indent}# ${sentence(r)}`);
        break;
      case 'if':
        out.push(`${indent}if ${r.chance(0.4) ? 'not ' : ''}${ident.snake(r)}${r.chance(0.5) ? ` and ${ident.snake(r)} > ${r.int(0, 100)}` : ''}:`);
        pyStatements(r, depth + 1, out, `${indent}    `);
        if (r.chance(0.3)) {
          out.push(`${indent}else:`);
          pyStatements(r, depth + 1, out, `${indent}    `);
        }
        break;
      case 'for':
        out.push(`${indent}for ${words(r, 1, 1)[0]} in ${ident.snake(r)}:`);
        pyStatements(r, depth + 1, out, `${indent}    `);
        break;
    }
  }
}

export function pyFile(r, target, { test = false } = {}) {
  const out = [];
  if (r.chance(0.5)) out.push(`"""${sentence(r)}"""`, '');
  out.push('from __future__ import annotations', '');
  for (let i = 0, n = r.int(2, 8); i < n; i++) {
    out.push(r.chance(0.5) ? `import ${r.pick(['os', 'json', 'logging', 'typing', 'datetime', 're', 'asyncio', 'dataclasses'])}` : `from ${projectName(r)}.${words(r, 1, 2).join('.')} import ${ident.pascal(r)}, ${ident.fnSnake(r)}`);
  }
  out.push('', 'logger = logging.getLogger(__name__)', '');
  while (byteLen(out) < target) {
    if (test || r.chance(0.6)) {
      if (r.chance(0.3)) out.push(`@${r.pick(['pytest.fixture', 'lru_cache(maxsize=128)', 'retry(times=3)', 'staticmethod'])}`);
      out.push(`${r.chance(0.3) ? 'async ' : ''}def ${test ? 'test_' : ''}${ident.fnSnake(r)}(${Array.from({ length: r.int(0, 3) }, () => `${ident.snake(r)}: ${r.pick(['str', 'int', 'dict', ident.pascal(r)])}`).join(', ')}) -> ${r.pick(['None', 'str', 'bool', ident.pascal(r)])}:`);
      if (r.chance(0.5)) out.push(`    """${sentence(r)}"""`);
      pyStatements(r, 1, out, '    ');
      out.push(test ? `    assert ${ident.snake(r)} == ${literal(r).replace(/^null$/, 'None')}` : `    return ${ident.snake(r)}`, '', '');
    } else {
      out.push(`class ${ident.pascal(r)}(${r.pick(['', 'BaseModel', 'Exception', ident.pascal(r)])}):`);
      out.push(`    """${sentence(r)}"""`, '');
      for (let m = 0, n = r.int(1, 5); m < n; m++) {
        out.push(`    def ${m === 0 ? '__init__' : ident.fnSnake(r)}(self, ${ident.snake(r)}: ${r.pick(['str', 'int', ident.pascal(r)])}) -> None:`);
        pyStatements(r, 2, out, '        ');
        out.push('');
      }
      out.push('');
    }
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Go

function goStatements(r, depth, out, indent) {
  const n = r.int(2, depth > 1 ? 4 : 8);
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([[5, 'assign'], [3, 'errcheck'], [2, depth < 3 ? 'if' : 'assign'], [1, depth < 3 ? 'for' : 'assign'], [2, 'log'], [1, 'comment']]);
    switch (kind) {
      case 'assign':
        out.push(`${indent}${ident.camel(r)} := ${r.weighted([
          [3, () => `${ident.camel(r)}.${pascal([r.pick(VERBS), ...words(r, 1, 2)])}(ctx, ${ident.camel(r)})`],
          [2, () => `fmt.Sprintf("%s/%d", ${ident.camel(r)}, ${ident.camel(r)}.ID)`],
          [1, () => `os.Getenv("${ident.upper(r)}")`],
          [2, () => `&${ident.pascal(r)}{${pascal(words(r, 1, 1))}: ${literal(r).replace(/'/g, '"')}}`],
          [2, () => literal(r).replace(/'/g, '"').replace(/^null$/, 'nil')],
        ])()}`);
        break;
      case 'errcheck':
        out.push(`${indent}if err := ${ident.camel(r)}.${pascal([r.pick(VERBS), ...words(r, 1, 2)])}(ctx); err != nil {`);
        out.push(`${indent}\treturn fmt.Errorf("${sentence(r, 2, 5).slice(0, -1).toLowerCase()}: %w", err)`);
        out.push(`${indent}}`);
        break;
      case 'log':
        out.push(`${indent}log.${r.pick(['Printf', 'Debugf', 'Infof', 'Warnf'])}("${sentence(r, 3, 8).slice(0, -1).toLowerCase()}: %v", ${ident.camel(r)})`);
        break;
      case 'comment':
        out.push(`${indent}// ${sentence(r)}`);
        break;
      case 'if':
        out.push(`${indent}if ${ident.camel(r)} ${r.pick(['==', '!=', '>'])} ${r.pick(['nil', '0', '""', String(r.int(1, 99))])} {`);
        goStatements(r, depth + 1, out, `${indent}\t`);
        out.push(`${indent}}`);
        break;
      case 'for':
        out.push(`${indent}for _, ${words(r, 1, 1)[0]} := range ${ident.camel(r)} {`);
        goStatements(r, depth + 1, out, `${indent}\t`);
        out.push(`${indent}}`);
        break;
    }
  }
}

export function goFile(r, target, { pkg = 'main', test = false } = {}) {
  const out = [`package ${pkg}`, '', 'import (', '\t"context"', '\t"fmt"'];
  for (let i = 0, n = r.int(1, 5); i < n; i++) out.push(`\t"${r.pick(['os', 'time', 'errors', 'strings', 'net/http', 'encoding/json', 'sync'])}"`);
  if (r.chance(0.6)) out.push('', `\t"github.com/${projectName(r)}/${projectName(r)}/internal/${words(r, 1, 1)[0]}"`);
  out.push(')', '');
  while (byteLen(out) < target) {
    if (!test && r.chance(0.3)) {
      out.push(`// ${ident.pascal(r)} ${sentence(r).toLowerCase()}`, `type ${ident.pascal(r)} struct {`);
      for (let i = 0, n = r.int(2, 8); i < n; i++) {
        const f = words(r, 1, 2);
        out.push(`\t${pascal(f)} ${r.pick(['string', 'int64', 'bool', 'time.Time', `*${ident.pascal(r)}`, '[]string'])} \`json:"${snake(f)}${r.chance(0.3) ? ',omitempty' : ''}"\``);
      }
      out.push('}', '');
    }
    const name = test ? `Test${ident.pascal(r)}` : pascal([r.pick(VERBS), ...words(r, 1, 2)]);
    out.push(`// ${name} ${sentence(r).toLowerCase()}`);
    out.push(test ? `func ${name}(t *testing.T) {` : `func ${r.chance(0.5) ? `(s *${ident.pascal(r)}) ` : ''}${name}(ctx context.Context, ${ident.camel(r)} ${r.pick(['string', 'int', `*${ident.pascal(r)}`])}) error {`);
    goStatements(r, 1, out, '\t');
    out.push(test ? '' : '\treturn nil', '}', '');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Java

function javaStatements(r, depth, out, indent) {
  const n = r.int(2, depth > 2 ? 4 : 7);
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([[5, 'var'], [3, 'call'], [2, depth < 4 ? 'if' : 'call'], [1, depth < 4 ? 'for' : 'var'], [2, 'log']]);
    switch (kind) {
      case 'var':
        out.push(`${indent}${r.pick(['final var', 'String', 'long', ident.pascal(r)])} ${ident.camel(r)} = ${r.weighted([
          [3, () => `${ident.camel(r)}.${ident.fn(r)}(${ident.camel(r)})`],
          [1, () => `System.getenv("${ident.upper(r)}")`],
          [2, () => `new ${ident.pascal(r)}(${ident.camel(r)}, ${literal(r).replace(/'/g, '"')})`],
          [2, () => literal(r).replace(/'/g, '"')],
        ])()};`);
        break;
      case 'call':
        out.push(`${indent}${ident.camel(r)}.${ident.fn(r)}(${ident.camel(r)});`);
        break;
      case 'log':
        out.push(`${indent}LOG.${r.pick(LOG_LEVELS)}("${sentence(r, 3, 8).slice(0, -1).toLowerCase()}: {}", ${ident.camel(r)});`);
        break;
      case 'if':
        out.push(`${indent}if (${ident.camel(r)} ${r.pick(['== null', '!= null', '.isEmpty()'].map((x) => (x.startsWith('.') ? x : ` ${x}`)).map((x) => x.trim()))}) {`);
        javaStatements(r, depth + 1, out, `${indent}    `);
        out.push(`${indent}}`);
        break;
      case 'for':
        out.push(`${indent}for (${ident.pascal(r)} ${words(r, 1, 1)[0]} : ${ident.camel(r)}) {`);
        javaStatements(r, depth + 1, out, `${indent}    `);
        out.push(`${indent}}`);
        break;
    }
  }
}

export function javaFile(r, target, { pkg = 'com.acme.app', cls = 'Service', test = false } = {}) {
  const out = [`package ${pkg};`, ''];
  for (let i = 0, n = r.int(3, 12); i < n; i++) out.push(`import ${r.pick(['java.util', 'java.time', 'org.slf4j', 'org.springframework.stereotype', 'com.acme.common'])}.${ident.pascal(r)};`);
  out.push('', '/**', ` * ${sentence(r)}`, ' */');
  if (!test) out.push(`@${r.pick(['Service', 'Component', 'RestController', 'Repository'])}`);
  out.push(`public class ${cls} {`, `    private static final Logger LOG = LoggerFactory.getLogger(${cls}.class);`, '');
  for (let i = 0, n = r.int(1, 5); i < n; i++) out.push(`    private final ${ident.pascal(r)} ${ident.camel(r)};`);
  out.push('');
  while (byteLen(out) < target) {
    if (test) out.push('    @Test');
    else if (r.chance(0.3)) out.push(`    @${r.pick(['Override', 'Transactional', 'GetMapping("/' + words(r, 1, 2).join('/') + '")', 'Cacheable("' + words(r, 1, 1)[0] + '")'])}`);
    out.push(`    ${test ? 'void' : `public ${r.pick(['void', 'String', 'Optional<' + ident.pascal(r) + '>', ident.pascal(r), 'List<' + ident.pascal(r) + '>'])}`} ${ident.fn(r)}(${test ? '' : `${ident.pascal(r)} ${ident.camel(r)}`}) {`);
    javaStatements(r, 2, out, '        ');
    out.push('    }', '');
  }
  out.push('}', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Ruby

export function rubyFile(r, target, { test = false } = {}) {
  const out = ["# frozen_string_literal: true", ''];
  for (let i = 0, n = r.int(0, 4); i < n; i++) out.push(`require '${r.pick(['json', 'net/http', 'securerandom', projectName(r) + '/' + words(r, 1, 1)[0]])}'`);
  out.push('');
  if (test) out.push(`RSpec.describe ${ident.pascal(r)} do`);
  else out.push(`class ${ident.pascal(r)}${r.chance(0.5) ? ` < ${r.pick(['ApplicationRecord', 'ApplicationController', 'BaseService'])}` : ''}`);
  if (!test) for (let i = 0, n = r.int(0, 4); i < n; i++) out.push(`  ${r.pick(['has_many', 'belongs_to', 'validates', 'attr_reader', 'before_action'])} :${ident.snake(r)}`);
  out.push('');
  while (byteLen(out) < target) {
    out.push(test ? `  it '${sentence(r, 4, 9).slice(0, -1).toLowerCase()}' do` : `  def ${ident.fnSnake(r)}${r.chance(0.6) ? `(${ident.snake(r)}${r.chance(0.4) ? `, ${ident.snake(r)}: nil` : ''})` : ''}`);
    for (let i = 0, n = r.int(2, 9); i < n; i++) {
      out.push(r.weighted([
        [4, () => `    ${ident.snake(r)} = ${ident.snake(r)}.${ident.fnSnake(r)}(${literal(r).replace(/^null$/, 'nil')})`],
        [2, () => `    return ${ident.snake(r)} if ${ident.snake(r)}.nil?`],
        [2, () => `    Rails.logger.${r.pick(LOG_LEVELS)}("${sentence(r, 3, 7).slice(0, -1).toLowerCase()} #{${ident.snake(r)}}")`],
        [1, () => `    # ${sentence(r)}`],
        [1, () => `    ${ident.snake(r)} = ENV.fetch('${ident.upper(r)}', ${literal(r).replace(/^null$/, 'nil')})`],
        [test ? 3 : 0, () => `    expect(${ident.snake(r)}).to eq(${literal(r).replace(/^null$/, 'nil')})`],
      ])());
    }
    out.push('  end', '');
  }
  out.push('end', '');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Docs and config

export function markdownFile(r, target, title) {
  const out = [`# ${title}`, '', sentence(r, 10, 24) + ' ' + sentence(r), ''];
  while (byteLen(out) < target) {
    out.push(`## ${cap(words(r, 1, 3).join(' '))}`, '');
    for (let i = 0, n = r.int(1, 4); i < n; i++) out.push(Array.from({ length: r.int(2, 6) }, () => sentence(r)).join(' '), '');
    const extra = r.weighted([[3, 'list'], [2, 'code'], [1, 'table'], [1, 'env'], [2, 'none']]);
    if (extra === 'list') {
      for (let i = 0, n = r.int(2, 7); i < n; i++) out.push(`- ${r.chance(0.3) ? `\`${ident.camel(r)}\`: ` : ''}${sentence(r, 4, 12)}`);
      out.push('');
    } else if (extra === 'code') {
      out.push('```bash', `npm install ${projectName(r)}`, `${projectName(r)} ${r.pick(VERBS)} --${words(r, 1, 1)[0]} ${words(r, 1, 1)[0]}.json`, '```', '');
    } else if (extra === 'table') {
      out.push('| option | default | meaning |', '|---|---|---|');
      for (let i = 0, n = r.int(2, 8); i < n; i++) out.push(`| \`${ident.camel(r)}\` | \`${literal(r).replace(/'/g, '')}\` | ${sentence(r, 4, 10)} |`);
      out.push('');
    } else if (extra === 'env') {
      out.push('```sh', `export ${ident.upper(r)}=your_${words(r, 1, 1)[0]}_here`, `export API_TOKEN=<your token>`, `export DATABASE_URL=postgres://user:password@localhost:5432/${projectName(r)}`, '```', '');
    }
  }
  return out.join('\n');
}

export function yamlFile(r, target, kind) {
  const out = [];
  const app = projectName(r);
  if (kind === 'workflow') {
    out.push(`name: ${cap(r.pick(['ci', 'release', 'deploy', 'lint']))}`, 'on:', '  push:', '    branches: [main]', '  pull_request:', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4');
    for (let i = 0, n = r.int(2, 8); i < n; i++) {
      out.push(`      - name: ${cap(sentence(r, 2, 5).slice(0, -1))}`, `        run: ${r.pick(['npm ci', 'npm test', 'make build', 'go test ./...', 'pytest -q', 'bundle exec rspec'])}`);
      if (r.chance(0.3)) out.push('        env:', `          ${ident.upper(r)}: \${{ secrets.${ident.upper(r)} }}`);
    }
    return out.join('\n') + '\n';
  }
  if (kind === 'k8s') {
    out.push('apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${app}`, '  labels:', `    app: ${app}`, 'spec:', `  replicas: ${r.int(1, 6)}`, '  template:', '    spec:', '      containers:', `        - name: ${app}`, `          image: registry.acme-corp.net/${app}:${semver(r)}`, '          env:');
    for (let i = 0, n = r.int(3, 12); i < n; i++) {
      const name = ident.upper(r);
      out.push(`            - name: ${name}`, r.chance(0.4) ? `              valueFrom:\n                secretKeyRef:\n                  name: ${app}-secrets\n                  key: ${name.toLowerCase()}` : `              value: "${literal(r).replace(/'/g, '')}"`);
    }
    out.push('          resources:', `            limits: { cpu: "${r.int(1, 4)}", memory: ${r.pick(['256Mi', '512Mi', '1Gi'])} }`);
    return out.join('\n') + '\n';
  }
  // app config: nested maps
  const section = (indent, depth) => {
    for (let i = 0, n = r.int(2, 7); i < n && byteLen(out) < target; i++) {
      const key = ident.snake(r);
      if (depth < 3 && r.chance(0.35)) {
        out.push(`${indent}${key}:`);
        section(`${indent}  `, depth + 1);
      } else if (r.chance(0.1)) {
        out.push(`${indent}${key}: \${${ident.upper(r)}}`);
      } else {
        out.push(`${indent}${key}: ${literal(r).replace(/'/g, '"')}`);
      }
    }
  };
  while (byteLen(out) < target) {
    out.push(`${ident.snake(r)}:`);
    section('  ', 1);
  }
  return out.join('\n') + '\n';
}

export function jsonFile(r, target, kind) {
  if (kind === 'i18n') {
    const obj = {};
    let size = 0;
    while (size < target) {
      const key = `${words(r, 1, 1)[0]}.${ident.camel(r)}`;
      const value = sentence(r, 2, 12);
      obj[key] = value;
      size += key.length + value.length + 10;
    }
    return JSON.stringify(obj, null, 2) + '\n';
  }
  if (kind === 'fixture') {
    const rows = [];
    let size = 0;
    while (size < target) {
      const row = { id: r.uuid(), [ident.camel(r)]: sentence(r, 2, 5), email: `${words(r, 1, 1)[0]}.${projectName(r)}@example.com`, createdAt: new Date(1.6e12 + r.int(0, 1e11)).toISOString(), amount: r.int(0, 100000) / 100, [ident.camel(r)]: r.chance(0.5), sha: r.hex(40) };
      rows.push(row);
      size += JSON.stringify(row).length + 20;
    }
    return JSON.stringify(rows, null, 2) + '\n';
  }
  const obj = {};
  let size = 0;
  const fill = (o, depth) => {
    for (let i = 0, n = r.int(2, 8); i < n; i++) {
      const key = ident.camel(r);
      if (depth < 3 && r.chance(0.3)) fill((o[key] = {}), depth + 1);
      else {
        o[key] = r.weighted([
          [3, () => sentence(r, 1, 4).slice(0, -1)],
          [2, () => r.int(0, 5000)],
          [1, () => r.chance(0.5)],
          [1, () => words(r, 2, 4)],
        ])();
      }
      size += key.length + 2 * depth + 24;
    }
  };
  while (size < target) fill((obj[ident.camel(r)] = {}), 1);
  return JSON.stringify(obj, null, 2) + '\n';
}

export function packageJson(r, name, deps) {
  const d = {};
  for (const dep of deps.slice(0, 20)) d[dep.name] = `^${dep.version}`;
  return JSON.stringify({ name: `@acme/${name}`, version: semver(r), private: true, type: 'module', scripts: { build: 'tsc -p .', test: 'vitest run', lint: 'eslint .' }, dependencies: d, devDependencies: { typescript: '^5.4.0', vitest: '^1.6.0', eslint: '^9.0.0' } }, null, 2) + '\n';
}

export function envFile(r, env) {
  const out = [`# ${cap(env)} settings. ${sentence(r)}`];
  for (let i = 0, n = r.int(4, 14); i < n; i++) {
    out.push(`${ident.upper(r)}=${r.weighted([
      [3, () => literal(r).replace(/'/g, '')],
      [2, () => `your_${words(r, 1, 1)[0]}_here`],
      [1, () => ''],
      [1, () => `\${${ident.upper(r)}}`],
    ])()}`);
  }
  return out.join('\n') + '\n';
}

export function propertiesFile(r, target) {
  const out = [`# ${sentence(r)}`];
  while (byteLen(out) < target) out.push(`${words(r, 2, 4).join('.')}=${literal(r).replace(/'/g, '')}`);
  return out.join('\n') + '\n';
}

export function dockerfile(r) {
  return [`FROM ${r.pick(['node:20-slim', 'python:3.12-slim', 'golang:1.22', 'eclipse-temurin:21', 'ruby:3.3'])}`, 'WORKDIR /app', 'COPY . .', `RUN ${r.pick(['npm ci && npm run build', 'pip install -r requirements.txt', 'go build ./cmd/server', './mvnw package -DskipTests', 'bundle install'])}`, `ENV ${ident.upper(r)}=${literal(r).replace(/'/g, '')}`, `EXPOSE ${r.int(3000, 9000)}`, `CMD ["${r.pick(['node', 'python', './server', 'java'])}", "${words(r, 1, 1)[0]}"]`, ''].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Lockfiles: large, regular, full of hashes.

export function depList(r, n) {
  const seen = new Set();
  const out = [];
  while (out.length < n) {
    const name = r.chance(0.2) ? `@${projectName(r)}/${projectName(r)}` : `${projectName(r)}${r.chance(0.4) ? `-${r.pick(NOUNS).toLowerCase()}` : ''}`;
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, version: semver(r) });
  }
  return out;
}

export function packageLock(r, target, name) {
  const deps = depList(r, Math.max(10, Math.round(target / 420)));
  const packages = { '': { name, version: '1.0.0' } };
  for (const d of deps) {
    const entry = { version: d.version, resolved: `https://registry.example.com/${d.name}/-/${d.name.split('/').pop()}-${d.version}.tgz`, integrity: `sha512-${r.base64(86)}==` };
    if (r.chance(0.2)) entry.dev = true;
    if (r.chance(0.4)) entry.dependencies = Object.fromEntries(deps.slice(0, r.int(1, 4)).map((x) => [x.name, `^${x.version}`]));
    if (r.chance(0.2)) entry.engines = { node: `>=${r.int(10, 18)}` };
    if (r.chance(0.1)) entry.license = r.pick(LICENSES);
    packages[`node_modules/${d.name}`] = entry;
  }
  return JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2) + '\n';
}

export function yarnLock(r, target) {
  const out = ['# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.', '# yarn lockfile v1', ''];
  const deps = depList(r, Math.max(10, Math.round(target / 330)));
  for (const d of deps) {
    out.push(`"${d.name}@^${d.version}":`, `  version "${d.version}"`, `  resolved "https://registry.example.com/${d.name}/-/${d.name.split('/').pop()}-${d.version}.tgz#${r.hex(40)}"`, `  integrity sha512-${r.base64(86)}==`);
    if (r.chance(0.4)) {
      out.push('  dependencies:');
      for (const x of deps.slice(0, r.int(1, 4))) out.push(`    ${x.name} "^${x.version}"`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function goSum(r, target) {
  const out = [];
  while (byteLen(out) < target) {
    const mod = `github.com/${projectName(r)}/${projectName(r)}`;
    const v = `v${semver(r)}`;
    out.push(`${mod} ${v} h1:${r.base64(43)}=`, `${mod} ${v}/go.mod h1:${r.base64(43)}=`);
  }
  return out.join('\n') + '\n';
}

export function gemfileLock(r, target) {
  const out = ['GEM', '  remote: https://gems.example.com/', '  specs:'];
  while (byteLen(out) < target - 200) {
    out.push(`    ${projectName(r)}${r.chance(0.3) ? '-' + words(r, 1, 1)[0] : ''} (${semver(r)})`);
    for (let i = 0, n = r.int(0, 4); i < n; i++) out.push(`      ${projectName(r)} (>= ${semver(r)})`);
  }
  out.push('', 'PLATFORMS', '  ruby', '  x86_64-linux', '', 'BUNDLED WITH', '   2.5.6', '');
  return out.join('\n');
}

export function poetryLock(r, target) {
  const out = ['# This file is automatically @generated by Poetry and should not be changed by hand.', ''];
  while (byteLen(out) < target) {
    const name = projectName(r);
    const v = semver(r);
    out.push('[[package]]', `name = "${name}"`, `version = "${v}"`, `description = "${sentence(r, 3, 8).slice(0, -1)}"`, 'optional = false', `python-versions = ">=3.${r.int(7, 10)}"`, 'files = [');
    for (let i = 0, n = r.int(1, 4); i < n; i++) out.push(`    {file = "${name}-${v}-py3-none-any.whl", hash = "sha256:${r.hex(64)}"},`);
    out.push(']', '');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Minified bundles and source maps: long lines, short identifiers, embedded base64.

export function minifiedBundle(r, target, { lineBreakEvery = 0 } = {}) {
  const parts = [`/*! ${projectName(r)} v${semver(r)} | (c) ${cap(projectName(r))} | ${r.pick(LICENSES)} */`, '!function(e,t){"use strict";'];
  let size = parts[0].length + 30;
  let sinceBreak = 0;
  const v = () => r.chars('abcdefghijklmnopqrstuvwxyz', 1) + (r.chance(0.3) ? r.chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 1) : '');
  while (size < target) {
    const piece = r.weighted([
      [6, () => `var ${v()}=${v()}(${r.int(0, 999)}),${v()}=${v()}.${words(r, 1, 1)[0]}||{};`],
      [5, () => `function ${v()}(${v()},${v()}){return ${v()}.${ident.camel(r)}(${v()})?${v()}:"${sentence(r, 1, 4).slice(0, -1).toLowerCase()}"}`],
      [4, () => `${v()}.prototype.${ident.fn(r)}=function(${v()}){var ${v()}=this;return ${v()}&&${v()}.${ident.camel(r)}!==void 0?${v()}(${v()}):null};`],
      [2, () => `if(!${v()})throw new Error("${sentence(r, 2, 6).slice(0, -1)}");`],
      [2, () => `${v()}={${Array.from({ length: r.int(2, 6) }, () => `${ident.camel(r)}:${r.chance(0.5) ? `"${words(r, 1, 2).join('-')}"` : r.int(0, 99)}`).join(',')}};`],
      [1, () => `${v()}["${ident.camel(r)}"]=${v()};`],
      [0.05, () => `var ${v()}="data:image/png;base64,${r.base64(r.int(200, 3000))}=";`],
      [0.05, () => `"${r.hex(64)}"===${v()}&&${v()}();`],
    ])();
    parts.push(piece);
    size += piece.length;
    sinceBreak += piece.length;
    if (lineBreakEvery && sinceBreak > lineBreakEvery) {
      parts.push('\n');
      sinceBreak = 0;
    }
  }
  parts.push('}(this);\n');
  return parts.join('');
}

export function sourceMap(r, target, file) {
  const sources = Array.from({ length: r.int(5, 40) }, () => `webpack:///./src/${words(r, 1, 2).join('/')}.ts`);
  const names = Array.from({ length: r.int(50, 400) }, () => ident.camel(r));
  const VLQ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const parts = [];
  let size = 0;
  while (size < target * 0.6) {
    const seg = r.chars(VLQ, r.int(4, 8)) + (r.chance(0.1) ? ';' : ',');
    parts.push(seg);
    size += seg.length;
  }
  const content = [];
  let cs = 0;
  while (cs < target * 0.4) {
    const src = jsFile(r, r.int(400, 3000), { ts: true });
    content.push(src);
    cs += src.length * 1.1;
  }
  return JSON.stringify({ version: 3, file, sources, names, mappings: parts.join(''), sourcesContent: content }) + '\n';
}

const SIZES = new WeakMap();

/** Running size of an array of lines (characters plus newlines), counted incrementally. */
function byteLen(lines) {
  let seen = SIZES.get(lines);
  if (!seen) SIZES.set(lines, (seen = { count: 0, size: 0 }));
  for (let i = seen.count; i < lines.length; i++) seen.size += lines[i].length + 1;
  seen.count = lines.length;
  return seen.size;
}
