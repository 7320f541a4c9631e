/**
 * Key stores by file (rules/key-stores.yml) through every door, in real git repositories: a binary
 * store is a finding (at line 1, with no value shown) and not a binary file passed over; a store
 * of certificates only, a deleted store and a certificate-only `.pem` are not findings; a key file
 * whose key the content rules read is one finding, not two.
 *
 * The stores' bytes are made at test time (test/support/structuredSecrets.ts): none is committed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { commit, keyfenceJson, type JsonReport } from '../git/gitHelpers.js';
import { runCli } from '../support/cli.js';
import { expandTemplates, seededRandom } from '../support/fakeSecrets.js';
import { tempDir, tempRepo, type TempDir } from '../support/tempRepo.js';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

const store = (kind: string, seed = kind) => Buffer.from(expandTemplates(`{{keystore:${kind}}}`, seededRandom(`doors/${seed}`)).text, 'latin1');
const pem = (template: string) => expandTemplates(template, seededRandom(`doors/${template}`)).text;
/** A PNG's signature and header: binary, and no key store. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

const places = (report: JsonReport) => report.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();

/** The report, and that it shows no value and says no key store was passed over as binary. */
function run(cwd: string, args: string[]) {
  const result = keyfenceJson(cwd, args);
  expect([0, 1], result.stderr).toContain(result.code);
  for (const f of result.report.findings.filter((f) => f.ruleId.endsWith('-store') || f.ruleId.endsWith('-file') || f.ruleId === 'keepass-database')) {
    expect(f.secret, `${f.ruleId} shows a value`).toBe('');
  }
  const binaryNotes = (result.report.notes ?? []).filter((n) => /binary/.test(n));
  return { ...result, places: places(result.report), binaryNotes };
}

describe('keyfence scan (a tree)', () => {
  it('reports a binary .p12, a .jks, a .kdbx and a .keystore, and nothing for trust stores, debug.keystore or a certificate .pem', () => {
    dir = tempRepo();
    dir.write('certs/release.p12', store('pkcs12'));
    dir.write('src/main/resources/server.jks', store('jks'));
    dir.write('src/main/resources/truststore.jks', store('jks-trusted'));
    dir.write('ops/team.kdbx', store('kdbx'));
    dir.write('android/app/release.keystore', store('jks', 'android'));
    dir.write('android/app/debug.keystore', store('jks', 'debug'));
    dir.write('certs/ca.pem', pem('-----BEGIN CERTIFICATE-----\nMIIDdz{{rand:base64:58}}\n{{rand:base64:64}}\n{{rand:base64:40}}\n-----END CERTIFICATE-----\n'));
    dir.write('assets/logo.png', PNG);
    dir.git('add', '-A');
    const { code, places: found, report, binaryNotes } = run(dir.path, ['scan']);
    expect(code).toBe(1);
    expect(found).toEqual([
      'java-key-store android/app/release.keystore:1',
      'java-key-store src/main/resources/server.jks:1',
      'keepass-database ops/team.kdbx:1',
      'pkcs12-key-store certs/release.p12:1',
    ]);
    expect(report.findings.find((f) => f.ruleId === 'pkcs12-key-store')).toMatchObject({ line: 1, column: 1, secret: '', severity: 'high', category: 'generic-secret' });
    // The stores were scanned, not passed over; a binary file of a work tree is never news.
    expect(binaryNotes).toEqual([]);
    expect(report.stats.skipped).toBe(0);
  });

  it('reports a key file once: the key the content rule reads, else the file', () => {
    dir = tempRepo();
    dir.write('deploy/.ssh/id_ed25519', `${pem('{{pem:openssh}}')}\n`);
    dir.write('deploy/.ssh/id_ed25519.pub', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 deploy@ci\n');
    dir.write('legacy/.ssh/id_rsa', '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "deploy"\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n');
    dir.write('keys/deploy.ppk', pem('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: k\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAI{{rand:base64:39}}\n{{rand:base64:20}}\nPrivate-Lines: 1\nAAAAI{{rand:base64:43}}\nPrivate-MAC: {{rand:hex:64}}\n'));
    dir.git('add', '-A');
    expect(run(dir.path, ['scan']).places).toEqual([
      'private-key deploy/.ssh/id_ed25519:1',
      'putty-private-key keys/deploy.ppk:1',
      'ssh-private-key-file legacy/.ssh/id_rsa:1',
    ]);
  });

  it('reports a key store on standard input named by --stdin-filename', () => {
    dir = tempDir();
    const result = runCli(['scan', '-', '--stdin-filename', 'release.p12', '--format', 'json'], dir.path, {}, store('pkcs12').toString('latin1'));
    // runCli hands standard input over as text: bytes above 0x7f change on the way, which the
    // path rule does not mind (a store it cannot parse is reported).
    expect(result.code, result.stderr).toBe(1);
    expect(places(JSON.parse(result.stdout) as JsonReport)).toEqual(['pkcs12-key-store release.p12:1']);
  });
});

describe('keyfence staged', () => {
  it('reports a .jks that `git add` staged, and not a staged deletion of one', () => {
    dir = tempRepo();
    dir.write('README.md', '# app\n');
    dir.git('add', '-A');
    commit(dir, 'base');
    dir.write('src/main/resources/client.jks', store('jks'));
    dir.write('assets/logo.png', PNG);
    dir.git('add', '-A');
    const staged = run(dir.path, ['staged']);
    expect(staged.code).toBe(1);
    expect(staged.places).toEqual(['java-key-store src/main/resources/client.jks:1']);
    // The key store was scanned; the image was passed over, and says so.
    expect(staged.binaryNotes).toEqual(['1 binary file not scanned: assets/logo.png']);
    expect(staged.report.stats.skipped).toBe(1);

    commit(dir, 'add the key store');
    dir.git('rm', '-q', 'src/main/resources/client.jks');
    expect(run(dir.path, ['staged']).places).toEqual([]);
  });
});

describe('keyfence diff and history', () => {
  it('report a commit that adds a .keystore, with its commit, and not the commit that deletes it', () => {
    dir = tempRepo();
    dir.write('README.md', '# app\n');
    dir.git('add', '-A');
    const base = commit(dir, 'base');
    dir.write('android/app/upload.keystore', store('jks'));
    dir.git('add', '-A');
    const added = commit(dir, 'add the upload key');
    dir.git('rm', '-q', 'android/app/upload.keystore');
    const deleted = commit(dir, 'remove the upload key');

    const diff = run(dir.path, ['diff', `${base}..${added}`]);
    expect(diff.code).toBe(1);
    expect(diff.places).toEqual(['java-key-store android/app/upload.keystore:1']);
    expect(diff.report.findings[0]).toMatchObject({ commit: added, secret: '' });
    expect(diff.binaryNotes).toEqual([]);

    // The deleting commit adds nothing.
    const removal = run(dir.path, ['diff', `${added}..${deleted}`]);
    expect(removal.code).toBe(0);
    expect(removal.places).toEqual([]);

    // The history holds the commit that added it: once, with that commit.
    const history = run(dir.path, ['history']);
    expect(history.places).toEqual(['java-key-store android/app/upload.keystore:1']);
    expect(history.report.findings[0]!.commit).toBe(added);
  });

  it('report a store whose content changes, and not a trust store added beside it', () => {
    dir = tempRepo();
    dir.write('certs/release.p12', store('pkcs12', 'v1'));
    dir.git('add', '-A');
    const first = commit(dir, 'first key');
    dir.write('certs/release.p12', store('pkcs12', 'v2'));
    dir.write('certs/truststore.jks', store('jks-trusted'));
    dir.git('add', '-A');
    const second = commit(dir, 'new key, and a trust store');
    const diff = run(dir.path, ['diff', `${first}..${second}`]);
    expect(diff.places).toEqual(['pkcs12-key-store certs/release.p12:1']);
    // Same rule, same path, same fingerprint (a baseline entry keeps matching): the history reports
    // the file once, with the commit that first added it.
    const history = run(dir.path, ['history']);
    expect(history.places).toEqual(['pkcs12-key-store certs/release.p12:1']);
    expect(history.report.findings[0]!.commit).toBe(first);
  });
});
