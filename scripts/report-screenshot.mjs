// Refreshes docs/report-screenshot.png, the picture of the HTML report the README shows: runs the
// browser test (test/reporters/html/browser.test.ts), which renders an organisation's report, opens
// it in Chromium and keeps its screenshots in $KEYFENCE_ARTIFACTS, then copies the desktop one.
// The picture is therefore always one the test checked (charts drawn, no console error).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const artifacts = mkdtempSync(join(tmpdir(), 'keyfence-screenshot-'));
try {
  execFileSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/reporters/html/browser.test.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KEYFENCE_ARTIFACTS: artifacts },
  });
  copyFileSync(join(artifacts, 'report-desktop.png'), join(root, 'docs/report-screenshot.png'));
  console.log('docs/report-screenshot.png updated');
} finally {
  rmSync(artifacts, { recursive: true, force: true });
}
