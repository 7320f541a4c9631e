import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the published package', () => {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  ) as Array<{ files: Array<{ path: string }> }>;
  const files = packed[0]!.files.map((f) => f.path).sort();

  it('ships only the bundle, the schema and the docs a user needs', () => {
    const allowed = /^(?:dist\/[^/]+\.(?:c?js|json)|dist\/prefilter\.bin|schema\/[^/]+\.json|README\.md|LICENSE|package\.json)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/keyfence.cjs');
    expect(files).toContain('dist/rules.json');
    expect(files).toContain('dist/prefilter.bin');
    expect(files).not.toContain('dist/action.js');
  });

  it('carries no rule examples and passes its own scan', () => {
    const rules = JSON.parse(execFileSync('node', ['-e', "process.stdout.write(require('fs').readFileSync('dist/rules.json','utf8'))"], { cwd: root, encoding: 'utf8' })) as Array<{ spec: Record<string, unknown> }>;
    expect(rules.filter((r) => 'examples' in r.spec)).toEqual([]);
    const result = runCli(['scan', '--no-git', ...files.filter((f) => f !== 'package.json'), '--format', 'json', '--fail-on', 'low'], root);
    expect(JSON.parse(result.stdout).findings).toEqual([]);
    expect(result.code).toBe(0);
  });
});
