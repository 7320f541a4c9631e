import { existsSync, readFileSync, statSync } from 'node:fs';

/**
 * Where a configuration and the policies it extends are read from. Usually the disk; in
 * pull-request mode a commit (the base of the pull request), so the change under review does not
 * write the policy that judges it. Paths are absolute, as on disk.
 */
export interface PolicyFiles {
  /** 'file', 'folder', or undefined when nothing is there. */
  kind(path: string): 'file' | 'folder' | undefined;
  /** The text of a file; throws (with a message that says why) when it cannot be read. */
  read(path: string): string;
  /** Named in messages: `at BASE 1a2b3c4d5e6f` when not the disk. */
  where?: string;
}

export const diskPolicyFiles: PolicyFiles = {
  kind(path) {
    if (!existsSync(path)) return undefined;
    return statSync(path).isDirectory() ? 'folder' : 'file';
  },
  read(path) {
    return readFileSync(path, 'utf8');
  },
};
