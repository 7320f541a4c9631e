import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCS_BASE_URL, HOMEPAGE_URL, secretRuleDocUrl, workflowCheckDocUrl } from '../../src/reporters/ruleDocs.js';
import { REPOSITORY_URL } from '../../src/repository.js';

/**
 * One repository URL: package.json's `homepage`, `repository` and `bugs` name the same repository,
 * reports link to it through src/repository.ts, and no file of the project links to another copy
 * or to a placeholder (`OWNER/keyfence`).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { homepage: string; repository: { type: string; url: string }; bugs: { url: string } };

describe('the repository URL', () => {
  it('is one in package.json', () => {
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/[\w-]+\/keyfence$/);
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${pkg.homepage}.git` });
    expect(pkg.bugs).toEqual({ url: `${pkg.homepage}/issues` });
  });

  it('is where every report link starts', () => {
    expect(REPOSITORY_URL).toBe(pkg.homepage);
    expect(HOMEPAGE_URL).toBe(pkg.homepage);
    expect(DOCS_BASE_URL).toBe(`${pkg.homepage}/blob/main/`);
    expect(secretRuleDocUrl('rules/stripe.yml', 'stripe-live-secret-key')).toBe(`${pkg.homepage}/blob/main/docs/rules/stripe.md#stripe-live-secret-key`);
    expect(workflowCheckDocUrl('untrusted-checkout')).toBe(`${pkg.homepage}/blob/main/docs/workflows/untrusted-checkout.md`);
  });

  it('is the only keyfence repository any file of the project links to', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(?:md|ts|mjs|js|json|ya?ml)$/.test(f) && !f.startsWith('dist/') && !f.startsWith('test/'));
    const elsewhere: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // listed but removed meanwhile
      }
      for (const m of text.matchAll(/github\.com\/([\w.-]+)\/keyfence\b/gi)) if (`https://${m[0]}` !== pkg.homepage) elsewhere.push(`${file}: ${m[0]}`);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(elsewhere).toEqual([]);
  });
});
