/**
 * Golden tests over fixtures/workflows/<check-id>/: every `ok-*.yml` must produce no finding of any
 * check; every `err-*.yml` must produce exactly the lines of the `err-*.out` beside it (all checks,
 * actionlint style: `<file>:<line>:<col>: <message> [<check-id>]`), including at least one finding
 * of its own check. A fixture may pin the severities it expects with a `# expect-severity: low`
 * comment (used by the guarded and label-gated cases, which must stay low notes).
 *
 * Files named `*.action.yml` are audited as a local action (`action.yml`), others as
 * `.github/workflows/<name>`. Set UPDATE_GOLDEN=1 to rewrite the `.out` files (then review the diff).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';
import { WORKFLOW_CHECKS } from '../../src/workflows/checks/index.js';
import type { Finding } from '../../src/findings/finding.js';

const ROOT = path.resolve(__dirname, '../../fixtures/workflows');
const DOCS = path.resolve(__dirname, '../../docs/workflows');

export function auditedPath(name: string): string {
  return name.endsWith('.action.yml') || name.endsWith('.action.yaml') ? `${name.replace(/\.action\.ya?ml$/, '')}/action.yml` : `.github/workflows/${name}`;
}

export function formatFindings(name: string, findings: Finding[]): string {
  return findings.map((f) => `${name}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]`).join('\n') + (findings.length ? '\n' : '');
}

const checkDirs = existsSync(ROOT)
  ? readdirSync(ROOT, { withFileTypes: true })
      // gitlab/ holds the GitLab checks' fixtures (test/workflows/gitlab/fixtures.test.ts).
      .filter((d) => d.isDirectory() && d.name !== 'gitlab')
      .map((d) => d.name)
      .sort()
  : [];

describe('workflow check fixtures', () => {
  for (const id of checkDirs) {
    const dir = path.join(ROOT, id);
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
    describe(id, () => {
      for (const name of files) {
        const text = readFileSync(path.join(dir, name), 'utf8');
        const findings = auditWorkflowFile(auditedPath(name), text);
        if (name.startsWith('ok-')) {
          it(`${name} has no findings`, () => {
            expect(formatFindings(name, findings)).toBe('');
          });
        } else if (name.startsWith('err-')) {
          it(`${name} matches its golden file`, () => {
            const outFile = path.join(dir, name.replace(/\.ya?ml$/, '.out'));
            const actual = formatFindings(name, findings);
            if (process.env.UPDATE_GOLDEN) writeFileSync(outFile, actual);
            expect(existsSync(outFile), `${outFile} is missing`).toBe(true);
            expect(actual).toBe(readFileSync(outFile, 'utf8'));
            expect(findings.some((f) => f.ruleId === id), `${name} has no ${id} finding`).toBe(true);
            const pinned = /^# expect-severity: (\w+)/m.exec(text)?.[1];
            if (pinned) for (const f of findings) expect(`${f.ruleId}: ${f.severity}`).toBe(`${f.ruleId}: ${pinned}`);
          });
        } else {
          it(`${name} is named ok-* or err-*`, () => {
            expect(name).toMatch(/^(ok|err)-/);
          });
        }
      }
    });
  }
});

describe('every check is documented and has fixtures', () => {
  for (const check of WORKFLOW_CHECKS) {
    it(check.id, () => {
      expect(check.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(check.description.length).toBeGreaterThan(10);
      const doc = path.join(DOCS, `${check.id}.md`);
      expect(existsSync(doc), `missing ${doc}`).toBe(true);
      const text = readFileSync(doc, 'utf8');
      for (const section of ['## Why', '## Bad', '## Good', '## How to fix', '## How to suppress']) expect(text).toContain(section);
      expect(text).toContain(`keyfence: ignore[${check.id}]`);
      const dir = path.join(ROOT, check.id);
      expect(existsSync(dir), `missing ${dir}`).toBe(true);
      const files = readdirSync(dir);
      expect(files.filter((f) => /^ok-.*\.ya?ml$/.test(f)).length).toBeGreaterThanOrEqual(3);
      const errs = files.filter((f) => /^err-.*\.ya?ml$/.test(f));
      expect(errs.length).toBeGreaterThanOrEqual(3);
      for (const e of errs) expect(files).toContain(e.replace(/\.ya?ml$/, '.out'));
    });
  }

  it('has no fixture directory without a check', () => {
    const ids = new Set(WORKFLOW_CHECKS.map((c) => c.id));
    expect(checkDirs.filter((d) => !ids.has(d))).toEqual([]);
  });

  it('keeps check ids unique', () => {
    const ids = WORKFLOW_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

function filesIn(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`],
  );
}

describe('fixtures hold no token-shaped strings', () => {
  for (const id of checkDirs) {
    // Repository fixtures (folders) are read file by file.
    for (const name of filesIn(path.join(ROOT, id))) {
      it(`${id}/${name}`, () => {
        const text = readFileSync(path.join(ROOT, id, name), 'utf8');
        // Long runs of key-like characters mixing letters and digits (commit SHAs included: fixtures pin by tag).
        const keyLike = (text.match(/[A-Za-z0-9+_=-]{24,}/g) ?? []).filter((w) => /\d/.test(w) && /[A-Za-z]/.test(w));
        expect(keyLike).toEqual([]);
        expect(text).not.toMatch(/\b(gh[pousr]_|github_pat_|AKIA|sk_live_|xox[abp]-)/);
      });
    }
  }
});
