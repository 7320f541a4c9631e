import { spawn } from 'node:child_process';
import { assertJsonReport, CLI, writesJsonReport, type CliResult } from '../support/cli.js';

/**
 * Runs the built CLI as test/support/cli.ts does, but without blocking: the provider server these
 * tests start lives in the test's own process and must answer while keyfence runs.
 */
export function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', CI: '', HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? -1, stdout, stderr };
      try {
        if (writesJsonReport(args) && (result.code === 0 || result.code === 1)) assertJsonReport(`keyfence ${args.join(' ')}`, result);
        resolve(result);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}
