import { afterEach, describe, expect, it } from 'vitest';
import { FORMATS, loadReporter } from '../../src/reporters/reporter.js';
import { runCli } from '../support/cli.js';
import { CUSTOM_RULES, otherToken, testToken } from '../support/customRules.js';
import { tempDir, type TempDir } from '../support/tempRepo.js';
import { context, sampleReport, sampleSecrets } from './sample.js';

/** The secret's middle: what must never show, even when prefix and last four characters may. */
const middle = (s: string) => s.slice(Math.floor(s.length / 3), Math.ceil((2 * s.length) / 3));

describe('every report format', () => {
  const secrets = sampleSecrets();
  const values = Object.values(secrets);

  it.each(FORMATS)('%s shows no full secret, nor its middle, unless --show-secrets', async (format) => {
    const render = await loadReporter(format);
    const masked = render(sampleReport(false, secrets), context());
    expect(masked.length).toBeGreaterThan(50);
    for (const s of values) {
      expect(masked).not.toContain(s);
      expect(masked).not.toContain(middle(s));
      // Nor escaped for JSON or for a workflow command.
      expect(masked).not.toContain(JSON.stringify(s).slice(1, -1));
    }
    const shown = render(sampleReport(true, secrets), context());
    for (const s of [secrets.stripe, secrets.aws, secrets.password]) expect(shown).toContain(s);
  });

  it.each(FORMATS)('%s from the CLI shows no secret of the scanned files', (format) => {
    dir = tempDir();
    const a = testToken();
    const b = otherToken();
    dir.write('keyfence.yml', CUSTOM_RULES);
    dir.write('config/app.env', `A=${a}\nB=${b} # keyfence:allow[other-rule] not this one\n`);
    const masked = runCli(['scan', '--format', format], dir.path);
    expect(masked.code).toBe(1);
    for (const s of [a, b]) expect(masked.stdout).not.toContain(middle(s));
    const shown = runCli(['scan', '--format', format, '--show-secrets'], dir.path);
    for (const s of [a, b]) expect(shown.stdout).toContain(s);
  });
});

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});
