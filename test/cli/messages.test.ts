/**
 * Messages that fit the finding: the pre-commit hook's block message names what was found and shows
 * the allow comment in each file's own comment syntax (keyfence.yml `allow:` for JSON), and an allow
 * comment that misspells its rule id gets a "did you mean" warning with file:line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allowComment, commentSyntax } from '../../src/suppressions/commentSyntax.js';
import { runCli } from '../support/cli.js';
import { fake } from '../support/secrets.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';
import { ISOLATED_GIT_ENV } from '../git/gitHelpers.js';

let repo: TempDir | undefined;
afterEach(() => {
  repo?.remove();
  repo = undefined;
});

describe('the allow comment for a file', () => {
  it('uses the comment syntax of the file, and none for files that take no comment', () => {
    const files = ['src/pay.ts', 'app/main.go', 'config/.env.production', 'deploy/values.yaml', 'docs/setup.md', 'db/seed.sql', 'web/site.css', 'scripts/run.bat', 'config/settings.ini', 'Jenkinsfile', 'Dockerfile', 'config/app.json', 'certs/release.p12'];
    expect(Object.fromEntries(files.map((f) => [f, allowComment(f, 'rule-x')]))).toEqual({
      'src/pay.ts': '// keyfence:allow[rule-x] reason',
      'app/main.go': '// keyfence:allow[rule-x] reason',
      'config/.env.production': '# keyfence:allow[rule-x] reason',
      'deploy/values.yaml': '# keyfence:allow[rule-x] reason',
      'docs/setup.md': '<!-- keyfence:allow[rule-x] reason -->',
      'db/seed.sql': '-- keyfence:allow[rule-x] reason',
      'web/site.css': '/* keyfence:allow[rule-x] reason */',
      'scripts/run.bat': 'REM keyfence-ignore-next-line[rule-x] reason',
      'config/settings.ini': '; keyfence:allow[rule-x] reason',
      Jenkinsfile: '// keyfence:allow[rule-x] reason',
      Dockerfile: '# keyfence:allow[rule-x] reason',
      'config/app.json': undefined,
      'certs/release.p12': undefined,
    });
    expect(commentSyntax('package-lock.json')).toEqual({ kind: 'none' });
  });

  it('each suggested comment silences the finding it is suggested for', () => {
    repo = tempRepo();
    const key = fake.stripeLive();
    const lines: Record<string, (marker: string) => string> = {
      'src/pay.ts': (m) => `const key = '${key}'; ${m}`,
      'docs/setup.md': (m) => `Key: ${key} ${m}`,
      'db/seed.sql': (m) => `INSERT INTO keys VALUES ('${key}'); ${m}`,
      'web/site.css': (m) => `.x { --key: "${key}"; } ${m}`,
      'config/settings.ini': (m) => `key = ${key} ${m}`,
      'scripts/run.bat': (m) => `${m}\nset KEY=${key}`,
    };
    for (const [file, line] of Object.entries(lines)) repo.write(file, `${line(allowComment(file, 'stripe-live-secret-key')!)}\n`);
    const r = runCli(['scan', '--format', 'json'], repo.path);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(JSON.parse(r.stdout).stats.suppressed.inline).toBe(Object.keys(lines).length);
  });
});

describe('keyfence staged, when it blocks', () => {
  it('names what the staged changes add and how to silence each in its own syntax', () => {
    repo = tempRepo();
    const key = fake.stripeLive();
    repo.write('src/pay.ts', `const key = '${key}';\n`);
    repo.write('config/app.json', `{\n  "stripe": "${key}"\n}\n`);
    repo.write('.env.test', 'REDIS_HOST=cache.prod.acme-shop.internal\n');
    repo.git('add', '-A');
    const r = runCli(['staged'], repo.path, ISOLATED_GIT_ENV);
    expect(r.code).toBe(1);
    const tail = `${key.slice(0, 8)}…${key.slice(-4)}`;
    expect(r.stderr).toBe(
      [
        '',
        `keyfence: this commit is blocked: the staged changes add a production host cache.prod.acme-shop.internal (prod-host, .env.test:1), a live key ${tail} (stripe-live-secret-key, config/app.json:2), a live key ${tail} (stripe-live-secret-key, src/pay.ts:1) (values redacted).`,
        '  - a real secret: take it out of the file (read it from the environment or a secret store), stage, commit again',
        '  - a false alarm: say so where it is, with a reason:',
        '      .env.test:1  # keyfence:allow[prod-host] reason',
        '      config/app.json: takes no comments; in keyfence.yml: allow: [{ rules: [stripe-live-secret-key], paths: ["config/app.json"], reason: ... }]',
        '      src/pay.ts:1  // keyfence:allow[stripe-live-secret-key] reason',
        '    or record it in a baseline (keyfence baseline FILE --output .keyfence-baseline.json) and add',
        "    `--baseline .keyfence-baseline.json` to the hook's `keyfence staged`",
        '  - to commit anyway, knowingly: git commit --no-verify',
        '',
      ].join('\n'),
    );
  });
});

describe('an allow comment with a misspelled rule id', () => {
  it('warns on stderr with file:line and the rule it most likely meant; the finding stays', () => {
    repo = tempRepo();
    const key = fake.stripeLive();
    repo.write('config/deploy.env', `A=1\nKEY=${key} # keyfence:allow[strpie-live-secret-key] test account\n`);
    repo.write('src/pay.ts', `// keyfence-ignore-next-line[stripe-live-secret-ky]\nconst key = '${key}';\n`);
    // Another rule's id, far from this one: not a typo, no warning.
    repo.write('src/other.ts', `const key = '${key}'; // keyfence:allow[generic-password]\n`);
    const r = runCli(['scan', '--format', 'json'], repo.path);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'keyfence: warning: config/deploy.env:2: `keyfence:allow[strpie-live-secret-key]` names no rule found here: did you mean stripe-live-secret-key? The finding is still reported',
        'keyfence: warning: src/pay.ts:2: `keyfence-ignore-next-line[stripe-live-secret-ky]` names no rule found here: did you mean stripe-live-secret-key? The finding is still reported',
        '',
      ].join('\n'),
    );
    expect((JSON.parse(r.stdout) as { findings: Array<{ file: string }> }).findings.map((f) => f.file)).toEqual(['config/deploy.env', 'src/other.ts', 'src/pay.ts']);
  });
});
