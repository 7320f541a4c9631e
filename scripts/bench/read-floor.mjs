// The floor for a tree scan: start node, list the files and read every byte, nothing else.
//   node read-floor.mjs DIR          every regular file under DIR (no .git folders), as `scan --no-git`
//   node read-floor.mjs --git DIR    the files `git ls-files` lists, as `scan` inside a work tree
// Prints the file count and bytes read, so the bench can check it read what the scanner should.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const useGit = args[0] === '--git';
const root = useGit ? args[1] : args[0];

let files;
if (useGit) {
  files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 1 << 30 })
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((f) => join(root, f));
} else {
  files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(join(dir, e.name));
      } else if (e.isFile()) files.push(join(dir, e.name));
    }
  };
  walk(root);
}

let bytes = 0;
for (const f of files) bytes += readFileSync(f).length;
process.stdout.write(`${files.length} files, ${bytes} bytes\n`);
