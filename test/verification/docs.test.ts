import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERIFIERS } from '../../src/verification/registry.js';

const doc = readFileSync(new URL('../../docs/verification.md', import.meta.url), 'utf8');

describe('docs/verification.md', () => {
  it.each(VERIFIERS.map((v) => [v.id, v] as const))('has a section and a table row for %s naming its host and rules', (id, verifier) => {
    const section = doc.split(/^### /m).find((s) => s.startsWith(`${id}\n`));
    expect(section, `no "### ${id}" section`).toBeDefined();
    for (const host of verifier.hosts) expect(section).toContain(host);
    const row = doc.split('\n').find((l) => l.includes(`](#${id})`));
    expect(row, `no table row linking #${id}`).toBeDefined();
    for (const rule of verifier.rules) expect(row).toContain(`\`${rule}\``);
  });
});
