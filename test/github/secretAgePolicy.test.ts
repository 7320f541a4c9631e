/** keyfence.yml `policy.<environment>.maxSecretAgeDays`: read with its position, lockable, a loosening when raised. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig as loadConfigDir } from '../../src/config/configFile.js';
import { readConfig } from '../../src/config/loadConfig.js';
import { policyLoosenings } from '../../src/config/loosening.js';
import { UserError } from '../../src/errors.js';
import { looseningContext } from '../../src/run/policyReview.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';

let dir: TempDir;
afterEach(() => dir?.remove());

function load(files: Record<string, string>) {
  dir = tempDir('keyfence-secret-age-');
  for (const [file, text] of Object.entries(files)) dir.write(file, text);
  return readConfig(dir.path);
}

function problem(files: Record<string, string>): string {
  try {
    load(files);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

const ORG = { 'policy/org.yml': 'policy:\n  production: { maxSecretAgeDays: 60, locked: true }\n' };

describe('policy.<environment>.maxSecretAgeDays', () => {
  it('is read per environment, with where it was set', () => {
    const config = load({ 'keyfence.yml': 'policy:\n  production:\n    maxSecretAgeDays: 30\n  staging: { maxSecretAgeDays: 120 }\n' });
    expect(config.policy.production?.maxSecretAgeDays).toBe(30);
    expect(config.policy.staging?.maxSecretAgeDays).toBe(120);
    expect(config.origins['policy.production.maxSecretAgeDays']).toBe('keyfence.yml:3:23');
  });

  it('must be a positive whole number of days', () => {
    expect(problem({ 'keyfence.yml': 'policy:\n  ci:\n    maxSecretAgeDays: 0\n' })).toBe('keyfence.yml:3:23: policy.ci.maxSecretAgeDays must be a positive whole number of days');
    expect(problem({ 'keyfence.yml': 'policy:\n  ci:\n    maxSecretAgeDays: "90d"\n' })).toBe('keyfence.yml:3:23: policy.ci.maxSecretAgeDays must be a positive whole number of days');
  });

  it('a locked environment policy may be tightened, never loosened', () => {
    const tightened = load({ ...ORG, 'keyfence.yml': 'extends: ./policy/org.yml\npolicy:\n  production: { maxSecretAgeDays: 30 }\n' });
    expect(tightened.policy.production?.maxSecretAgeDays).toBe(30);
    expect(problem({ ...ORG, 'keyfence.yml': 'extends: ./policy/org.yml\npolicy:\n  production: { maxSecretAgeDays: 365 }\n' })).toBe(
      'keyfence.yml:3:35: policy.production.maxSecretAgeDays: 365 loosens the guardrail "policy.production" (maxSecretAgeDays 60) locked in policy/org.yml:2:47',
    );
    // Locked without a limit of its own: the default (90 for production) is the ceiling.
    expect(problem({ 'policy/org.yml': 'policy:\n  production: { locked: true }\n', 'keyfence.yml': 'extends: ./policy/org.yml\npolicy:\n  production: { maxSecretAgeDays: 91 }\n' })).toContain(
      'policy.production.maxSecretAgeDays: 91 loosens the guardrail "policy.production" (maxSecretAgeDays 90)',
    );
  });

  it('raising it in a pull request is a policy loosening', async () => {
    dir = tempDir('keyfence-secret-age-loosening-');
    dir.write('base/keyfence.yml', 'policy:\n  production: { maxSecretAgeDays: 30 }\n');
    dir.write('head/keyfence.yml', 'policy:\n  production: { maxSecretAgeDays: 400 }\n');
    const found = policyLoosenings(await loadConfigDir(join(dir.path, 'base')), await loadConfigDir(join(dir.path, 'head')), looseningContext([]));
    expect(found.map((l) => l.message)).toEqual(['policy.production.maxSecretAgeDays raised from 30 to 400: older secrets pass the rotation check']);
    // Lowering it tightens: nothing to report.
    dir.write('head/keyfence.yml', 'policy:\n  production: { maxSecretAgeDays: 10 }\n');
    expect(policyLoosenings(await loadConfigDir(join(dir.path, 'base')), await loadConfigDir(join(dir.path, 'head')), looseningContext([]))).toEqual([]);
  });
});
