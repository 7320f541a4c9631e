/**
 * Golden tests over fixtures/workflows/gitlab/<check-id>/: every `ok-*` fixture produces no finding
 * of any check; every `err-*` fixture produces exactly the lines of the `.out` beside it (all
 * checks: `<file>:<line>:<col>: <message> [<check-id>]`), at least one of its own check. A fixture
 * is a `.yml` file audited as `.gitlab-ci.yml` (its name stands for that path in the golden lines),
 * or a directory holding `.gitlab-ci.yml` and the files it includes. Set UPDATE_GOLDEN=1 to
 * rewrite the `.out` files (then review the diff).
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/findings/finding.js';
import { diskPipelineFiles } from '../../../src/sources/pipelineFiles.js';
import { auditGitlabPipeline } from '../../../src/workflows/gitlab/auditPipeline.js';
import { GITLAB_CHECKS } from '../../../src/workflows/gitlab/checks/index.js';

const ROOT = path.resolve(__dirname, '../../../fixtures/workflows/gitlab');
const DOCS = path.resolve(__dirname, '../../../docs/workflows/gitlab');

function format(name: string, findings: Finding[]): string {
  return findings.map((f) => `${f.file === '.gitlab-ci.yml' && name.endsWith('.yml') ? name : f.file}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]`).join('\n') + (findings.length ? '\n' : '');
}

async function audit(dir: string, name: string): Promise<Finding[]> {
  const full = path.join(dir, name);
  if (statSync(full).isDirectory()) return auditGitlabPipeline('.gitlab-ci.yml', readFileSync(path.join(full, '.gitlab-ci.yml'), 'utf8'), diskPipelineFiles(full));
  return auditGitlabPipeline('.gitlab-ci.yml', readFileSync(full, 'utf8'), diskPipelineFiles(dir));
}

const checkDirs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('GitLab check fixtures', () => {
  for (const id of checkDirs) {
    const dir = path.join(ROOT, id);
    const entries = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) || statSync(path.join(dir, f)).isDirectory()).sort();
    describe(id, () => {
      for (const name of entries) {
        if (name.startsWith('ok-')) {
          it(`${name} has no findings`, async () => {
            expect(format(name, await audit(dir, name))).toBe('');
          });
        } else {
          it(`${name} matches its golden file`, async () => {
            expect(name).toMatch(/^err-/);
            const findings = await audit(dir, name);
            const outFile = path.join(dir, `${name.replace(/\.ya?ml$/, '')}.out`);
            const actual = format(name, findings);
            if (process.env.UPDATE_GOLDEN) writeFileSync(outFile, actual);
            expect(readFileSync(outFile, 'utf8')).toBe(actual);
            expect(findings.filter((f) => f.ruleId === id).length).toBeGreaterThan(0);
          });
        }
      }
    });
  }
});

describe('every GitLab check is documented and has fixtures', () => {
  for (const check of GITLAB_CHECKS) {
    it(check.id, () => {
      expect(check.id).toMatch(/^gitlab(-[a-z]+)+$/);
      const doc = path.join(DOCS, `${check.id}.md`);
      expect(existsSync(doc), `missing ${doc}`).toBe(true);
      const text = readFileSync(doc, 'utf8');
      for (const section of ['## Why', '## Bad', '## Good', '## How to fix', '## How to suppress']) expect(text).toContain(section);
      expect(text).toContain(`keyfence: ignore[${check.id}]`);
      const files = readdirSync(path.join(ROOT, check.id));
      expect(files.filter((f) => f.startsWith('ok-')).length).toBeGreaterThanOrEqual(2);
      const errs = files.filter((f) => f.startsWith('err-') && !f.endsWith('.out'));
      expect(errs.length).toBeGreaterThanOrEqual(2);
      for (const e of errs) expect(files).toContain(`${e.replace(/\.ya?ml$/, '')}.out`);
    });
  }

  it('has no fixture directory without a check', () => {
    const ids = new Set(GITLAB_CHECKS.map((c) => c.id));
    expect(checkDirs.filter((d) => !ids.has(d))).toEqual([]);
  });
});
