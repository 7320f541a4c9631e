/**
 * Golden tests over repository fixtures: a folder `fixtures/workflows/<check-id>/{ok,err}-<name>/`
 * holds a small repository (`.github/workflows/*.yml`, local actions under any folder) audited as
 * one, with its callers, reusable workflows and `workflow_run` chains. Every `ok-*` repository must
 * produce no finding in any of its files; every `err-*` one exactly the lines of `err-<name>.out`
 * beside the folder: each finding as `<path>:<line>:<col>: <message> [<check-id>]`, followed by its
 * related places (`    related <path>:<line>:<col>: <label>`), which is where a chain's other files
 * show. At least one finding must be of the folder's check. Set UPDATE_GOLDEN=1 to rewrite.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';
import { WorkflowRepository } from '../../src/workflows/repository.js';
import { isWorkflowFile } from '../../src/workflows/workflowPath.js';
import type { Finding } from '../../src/findings/finding.js';

const ROOT = path.resolve(__dirname, '../../fixtures/workflows');

function filesUnder(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, p) : [p];
  });
}

/** Audits every workflow and action file of a fixture repository against the repository. */
export function auditFixtureRepository(dir: string): Finding[] {
  const files = filesUnder(dir).filter(isWorkflowFile).sort().map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }));
  const repository = new WorkflowRepository(files);
  return files.flatMap((f) => auditWorkflowFile(f.file, f.text, { repository }));
}

function format(findings: Finding[]): string {
  return findings
    .map((f) =>
      [
        `${f.file}:${f.line}:${f.column}: ${f.message} [${f.ruleId}]`,
        ...(f.related ?? []).map((r) => `    related ${r.file}:${r.line}:${r.column}: ${r.label ?? ''}`),
      ].join('\n'),
    )
    .join('\n') + (findings.length ? '\n' : '');
}

const repositories = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'gitlab')
  .flatMap((check) =>
    readdirSync(path.join(ROOT, check.name), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => ({ check: check.name, name: d.name, dir: path.join(ROOT, check.name, d.name) })),
  );

describe('workflow repository fixtures', () => {
  for (const { check, name, dir } of repositories) {
    if (name.startsWith('ok-')) {
      it(`${check}/${name} has no findings`, () => {
        expect(format(auditFixtureRepository(dir))).toBe('');
      });
    } else if (name.startsWith('err-')) {
      it(`${check}/${name} matches its golden file`, () => {
        const findings = auditFixtureRepository(dir);
        const outFile = `${dir}.out`;
        const actual = format(findings);
        if (process.env.UPDATE_GOLDEN) writeFileSync(outFile, actual);
        expect(existsSync(outFile), `${outFile} is missing`).toBe(true);
        expect(actual).toBe(readFileSync(outFile, 'utf8'));
        expect(findings.some((f) => f.ruleId === check), `${name} has no ${check} finding`).toBe(true);
      });
    } else {
      it(`${check}/${name} is named ok-* or err-*`, () => {
        expect(name).toMatch(/^(ok|err)-/);
      });
    }
  }
});
