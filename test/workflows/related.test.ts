/**
 * Findings that follow untrusted text or code across steps point at the line that must change and
 * carry the other places as labelled related locations (SARIF relatedLocations). The golden `.out`
 * files hold the main lines; this pins the related ones for the fixtures where they matter.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflowFile } from '../../src/workflows/auditWorkflow.js';

const ROOT = path.resolve(__dirname, '../../fixtures/workflows');

function auditedPath(name: string): string {
  return name.endsWith('.action.yml') ? `${name.replace(/\.action\.yml$/, '')}/action.yml` : `.github/workflows/${name}`;
}

/** `<rule> <line>` then `  <label> <line>` for each related location, for the findings of one rule. */
function placesOf(fixture: string, rule: string): string[] {
  const name = path.basename(fixture);
  const findings = auditWorkflowFile(auditedPath(name), readFileSync(path.join(ROOT, fixture), 'utf8'));
  return findings
    .filter((f) => f.ruleId === rule)
    .flatMap((f) => [`${f.ruleId} ${f.line}`, ...(f.related ?? []).map((r) => `  ${r.label} ${r.line}`)]);
}

describe('related locations', () => {
  it('untrusted-checkout: the build line, then the checkout and the trigger', () => {
    expect(placesOf('untrusted-checkout/err-comment-same-step.yml', 'untrusted-checkout')).toEqual([
      'untrusted-checkout 15',
      "  fetches the pull request's code 14",
      '  this trigger 3',
    ]);
    expect(placesOf('untrusted-checkout/err-git-fetch-pull.yml', 'untrusted-checkout')).toEqual([
      'untrusted-checkout 14',
      "  fetches the pull request's code 12",
      '  this trigger 3',
    ]);
  });

  it('untrusted-artifact: the line that runs the artifact, then the download', () => {
    expect(placesOf('untrusted-artifact/err-unzip-and-run.yml', 'untrusted-artifact')).toEqual([
      'untrusted-artifact 17',
      '  downloads the artifact 13',
      '  this trigger 3',
    ]);
  });

  it('env-file-injection: the write, then where the event text entered', () => {
    expect(placesOf('env-file-injection/err-derived-variable.yml', 'env-file-injection')).toEqual([
      'env-file-injection 13',
      '  `TITLE` carries `github.event.pull_request.title` 10',
      '  this trigger 2',
    ]);
    expect(placesOf('env-file-injection/err-unsecure-commands.yml', 'env-file-injection')).toEqual([
      'env-file-injection 6',
      '  this trigger 3',
    ]);
  });

  it('template-injection through indirection: the expansion, then the carrier', () => {
    expect(placesOf('template-injection/err-step-output.yml', 'template-injection')).toEqual([
      'template-injection 13',
      '  step `meta` writes `github.event.pull_request.head.ref` to its output `branch` 12',
      '  this trigger 2',
    ]);
    expect(placesOf('template-injection/err-dynamic-matrix.yml', 'template-injection')).toEqual([
      'template-injection 14',
      '  the matrix is built from `github.event.comment.body` 12',
      '  this trigger 3',
    ]);
    expect(placesOf('template-injection/err-job-output.yml', 'template-injection')).toEqual([
      'template-injection 21',
      '  step `t` writes `github.event.discussion.title` to its output `title` 14',
      '  this trigger 3',
    ]);
  });

  it('token-in-artifact: the upload path, then the checkout that kept the token', () => {
    expect(placesOf('token-in-artifact/err-pat-checkout.yml', 'token-in-artifact')).toEqual([
      'token-in-artifact 16',
      '  keeps the token in .git/config 9',
      '  uploads it 13',
    ]);
  });

  it('cache-poisoning: the cache, then the release trigger and the publish step', () => {
    expect(placesOf('cache-poisoning/err-release-setup-node.yml', 'cache-poisoning')).toEqual([
      'cache-poisoning 18',
      '  this trigger 3',
      '  publishes 20',
    ]);
    expect(placesOf('cache-poisoning/err-production-deploy.yml', 'cache-poisoning')).toEqual([
      'cache-poisoning 15',
      '  production environment 10',
    ]);
  });
});
