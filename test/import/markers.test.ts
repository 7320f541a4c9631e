import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, testToken } from '../support/customRules.js';
import { tempRepo, type TempDir } from '../support/tempRepo.js';

/** docs/migrating.md says the other scanners' inline markers keep working: each one, and only those. */
describe('other scanners\' inline markers', () => {
  let repo: TempDir;
  const tokens = Array.from({ length: 8 }, testToken);

  beforeAll(() => {
    repo = tempRepo();
    repo.write('keyfence.yml', CUSTOM_RULES);
    repo.write(
      'src/settings.py',
      [
        `A = "${tokens[0]}"  # gitleaks:allow`,
        `B = "${tokens[1]}"  # pragma: allowlist secret`,
        '# pragma: allowlist nextline secret',
        `C = "${tokens[2]}"`,
        `D = "${tokens[3]}"  # secretlint-disable-line`,
        '# secretlint-disable-next-line',
        `E = "${tokens[4]}"`,
        `F = "${tokens[5]}"  # ggignore`,
        '# secretlint-disable',
        `G = "${tokens[6]}"`,
        '# secretlint-enable',
        `H = "${tokens[7]}"`,
        '',
      ].join('\n'),
    );
    repo.git('add', '-A');
  });
  afterAll(() => repo.remove());

  it('silence their lines; secretlint\'s block comments do not', () => {
    const result = runCli(['scan', '--format', 'json'], repo.path);
    const report = JSON.parse(result.stdout) as { findings: Array<{ file: string; line: number }>; stats: { suppressed: unknown } };
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/settings.py:10', 'src/settings.py:12']);
    expect(report.stats.suppressed).toEqual({ inline: 6, allow: 0, baseline: 0 });
  });
});
