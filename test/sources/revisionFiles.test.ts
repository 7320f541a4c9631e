import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/configFile.js';
import type { PolicyFiles } from '../../src/config/policyFiles.js';
import { revisionFiles } from '../../src/sources/revisionFiles.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

const POLICY = 'failOn: low\n';

let repo: TempDir;
let outside: TempDir;
/** The first commit; the second changes and adds files, and the work tree changes them again. */
let first: string;
let files: PolicyFiles;

beforeAll(() => {
  repo = tempRepo('keyfence-revision-');
  outside = tempDir('keyfence-outside-');
  repo.write('.gitignore', 'node_modules/\n');
  repo.write('keyfence.yml', 'extends: ./policy/org.yml\nfailOn: high\n');
  repo.write('policy/org.yml', 'productionDomains: [acme.com]\nrequireReason: true\n');
  repo.git('add', '.');
  repo.git('commit', '-q', '-m', 'first');
  first = repo.git('rev-parse', 'HEAD').trim();

  repo.write('keyfence.yml', 'extends: ./policy/org.yml\nfailOn: critical\n');
  repo.write('policy/org.yml', 'productionDomains: [other.example.org]\n');
  repo.write('added.yml', 'failOn: low\n');
  // Tracked although ignored: a commit that lacks it must not have it read from the disk.
  repo.write('node_modules/forced.yml', 'failOn: low\n');
  repo.git('add', '.');
  repo.git('add', '-f', 'node_modules/forced.yml');
  repo.git('commit', '-q', '-m', 'second');

  repo.write('keyfence.yml', 'extends: ./policy/org.yml\nfailOn: low\n');
  repo.write('node_modules/@acme/policy/keyfence.yml', POLICY);
  outside.write('shared/keyfence.yml', 'failOn: medium\n');
  files = revisionFiles(repo.path, first);
});

afterAll(() => {
  repo?.remove();
  outside?.remove();
});

describe('revisionFiles', () => {
  it('reads a file as the commit holds it, not as it was changed later', () => {
    const path = join(repo.path, 'keyfence.yml');
    expect(files.kind(path)).toBe('file');
    expect(files.read(path)).toBe('extends: ./policy/org.yml\nfailOn: high\n');
    expect(files.read(join(repo.path, 'policy/org.yml'))).toBe('productionDomains: [acme.com]\nrequireReason: true\n');
  });

  it('has no file the commit lacks, whatever the disk holds', () => {
    const path = join(repo.path, 'added.yml');
    expect(files.kind(path)).toBeUndefined();
    expect(() => files.read(path)).toThrow(`no such file in commit ${first.slice(0, 12)}`);
    expect(files.kind(join(repo.path, 'node_modules/forced.yml'))).toBeUndefined();
    expect(() => files.read(join(repo.path, 'node_modules/forced.yml'))).toThrow(/^no such file in commit/);
  });

  it('knows folders, the repository root among them', () => {
    expect(files.kind(join(repo.path, 'policy'))).toBe('folder');
    expect(files.kind(repo.path)).toBe('folder');
  });

  it('reads a path git ignores from the disk (an installed npm package)', () => {
    expect(files.kind(join(repo.path, 'node_modules/@acme/policy'))).toBe('folder');
    expect(files.kind(join(repo.path, 'node_modules/@acme/policy/keyfence.yml'))).toBe('file');
    expect(files.read(join(repo.path, 'node_modules/@acme/policy/keyfence.yml'))).toBe(POLICY);
    expect(files.kind(join(repo.path, 'node_modules/@acme/other.yml'))).toBeUndefined();
  });

  it('reads a path outside the repository from the disk', () => {
    expect(files.kind(join(outside.path, 'shared'))).toBe('folder');
    expect(files.kind(join(outside.path, 'shared/keyfence.yml'))).toBe('file');
    expect(files.read(join(outside.path, 'shared/keyfence.yml'))).toBe('failOn: medium\n');
    expect(files.kind(join(outside.path, 'missing.yml'))).toBeUndefined();
  });

  it('names the commit', () => {
    expect(files.where).toBe(`at ${first.slice(0, 12)}`);
  });

  it("gives loadConfig the commit's configuration, with the file it extends as the commit holds it", async () => {
    const config = await loadConfig(repo.path, undefined, files);
    expect(config.sources).toEqual(['policy/org.yml', 'keyfence.yml']);
    expect(config.failOn).toBe('high');
    expect(config.productionDomains).toEqual(['acme.com']);
    expect(config.requireReason).toBe(true);
    expect(config.origins['extends.policy/org.yml']).toBe('keyfence.yml:1:10');

    const onDisk = await loadConfig(repo.path);
    expect([onDisk.failOn, onDisk.productionDomains, onDisk.requireReason]).toEqual(['low', ['other.example.org'], undefined]);
  });
});
