import { expect, it } from 'vitest';
import { engineWith, scanFiles } from '../environment/engineSupport.js';
import { fake } from '../support/secrets.js';

/** The formats of .netrc and .pgpass are too plain to trust elsewhere: the rules keep to those files. */
it.each([
  ['netrc-password', '.netrc', (pw: string) => `machine git.acme-corp.net login ci password ${pw}\n`],
  ['pgpass-password', 'deploy/.pgpass', (pw: string) => `db.acme-corp.net:5432:orders:app:${pw}\n`],
])('%s reports %s and not the same text in another file', (ruleId, file, line) => {
  const text = line(fake.password());
  const ids = (path: string) => scanFiles(engineWith(), { [path]: text }).map((f) => f.ruleId);
  expect(ids(file)).toEqual([ruleId]);
  expect(ids('docs/notes.txt')).not.toContain(ruleId);
});
