import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway directory, optionally a real git repository with a fixed identity. */
export interface TempDir {
  path: string;
  write(file: string, content: string | Buffer): string;
  git(...args: string[]): string;
  remove(): void;
}

export function tempDir(prefix = 'keyfence-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    write(file, content) {
      const full = join(path, file);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    git(...args) {
      return execFileSync('git', args, {
        cwd: path,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'Test Author',
          GIT_AUTHOR_EMAIL: 'author@example.com',
          GIT_COMMITTER_NAME: 'Test Author',
          GIT_COMMITTER_EMAIL: 'author@example.com',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_CONFIG_NOSYSTEM: '1',
        },
      });
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

export function tempRepo(prefix = 'keyfence-repo-'): TempDir {
  const dir = tempDir(prefix);
  dir.git('init', '-q', '-b', 'main');
  return dir;
}
