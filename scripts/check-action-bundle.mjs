// CI's freshness check of the committed Action bundle: rebuilds dist/action.js into a temporary
// folder and fails when the committed file differs, so a change to src/ cannot ship without the
// bundle the Action really runs. Fix with `node scripts/build.mjs` and commit dist/action.js.
//
// "Committed" is git's index (`git show :dist/action.js`), not the work tree: `npm ci` runs the
// `prepare` build, which rewrites dist/action.js in the work tree before this check gets to run.
// Outside a git checkout the work tree's file is compared instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAction, root } from './buildAction.mjs';

function committedBundle() {
  try {
    return { bytes: execFileSync('git', ['show', ':dist/action.js'], { cwd: root, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }), where: 'the committed dist/action.js' };
  } catch {
    try {
      execFileSync('git', ['rev-parse', '--git-dir'], { cwd: root, stdio: 'ignore' });
      console.error('dist/action.js is not committed: run `node scripts/build.mjs` and commit dist/action.js');
      process.exit(1);
    } catch {
      // Not a git checkout (an unpacked tarball): the file on disk is all there is.
    }
  }
  try {
    return { bytes: readFileSync(join(root, 'dist', 'action.js')), where: 'dist/action.js' };
  } catch {
    console.error('dist/action.js is missing: run `node scripts/build.mjs` and commit dist/action.js');
    process.exit(1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'keyfence-action-'));
try {
  const fresh = join(dir, 'action.js');
  await buildAction(fresh);
  const { bytes: committed, where } = committedBundle();
  const rebuilt = readFileSync(fresh);
  if (!committed.equals(rebuilt)) {
    const a = committed.toString('utf8').split('\n');
    const b = rebuilt.toString('utf8').split('\n');
    let line = 0;
    while (line < Math.min(a.length, b.length) && a[line] === b[line]) line++;
    console.error(`${where} is stale: it differs from a fresh build from line ${line + 1} on (${a.length} lines committed, ${b.length} built).`);
    console.error('Run `node scripts/build.mjs` and commit dist/action.js.');
    process.exit(1);
  }
  console.log(`dist/action.js is up to date (${rebuilt.length} bytes)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
