// What `keyfence rotate` prints: each secret rule's "Rotate or revoke." paragraph from its doc page
// (docs/rules/<file>.md, section `## <rule-id>`), written to dist/rotation.json by the build, since
// docs/ is not part of the published package.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MARK = '**Rotate or revoke.**';

/** `{ [ruleId]: { doc: 'docs/rules/<file>.md#<rule-id>', steps: '…' } }` for each rule whose section has one. */
export function rotationSteps(root) {
  const out = {};
  const folder = join(root, 'docs', 'rules');
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.md')).sort()) {
    const sections = readFileSync(join(folder, name), 'utf8').split(/^## /m).slice(1);
    for (const section of sections) {
      const id = section.slice(0, section.indexOf('\n')).trim();
      const paragraph = section.split(/\n\s*\n/).find((p) => p.trimStart().startsWith(MARK));
      if (!/^[a-z0-9-]+$/.test(id) || !paragraph) continue;
      out[id] = { doc: `docs/rules/${name}#${id}`, steps: paragraph.trim().slice(MARK.length).trim().replace(/\s*\n\s*/g, ' ') };
    }
  }
  return out;
}
