import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../../run/writeAtomic.js';
import { VERSION } from '../../version.js';

/** Where `keyfence init --org-audit` writes the caller workflow. */
const ORG_AUDIT_PATH = '.github/workflows/keyfence-org-audit.yml';

/**
 * A workflow that calls keyfence's reusable organisation audit (.github/workflows/org-audit.yml,
 * docs/org-audit.md) every week and on demand, for the organisation that owns the repository.
 */
const ORG_AUDIT_WORKFLOW = `# keyfence: audits every repository of this organisation each week (docs/org-audit.md).
# Written by \`keyfence init --org-audit\`. The report is the run's keyfence-org-report artifact.
name: keyfence organisation audit

on:
  schedule:
    - cron: '17 3 * * 1' # Mondays, 03:17 UTC
  workflow_dispatch:

# This workflow's own token may do nothing: the audit reads the organisation with the secret below.
permissions: {}

jobs:
  audit:
    # Better pinned to the commit of the release tag (git ls-remote https://github.com/keyfence/keyfence v${VERSION}):
    # keyfence: ignore[unpinned-action] init cannot know the release commit; pin it as above
    uses: keyfence/keyfence/.github/workflows/org-audit.yml@v${VERSION}
    with:
      shards: 4 # machines sharing the work; \`keyfence org plan ORG --shards N\` shows the split
      trend: true # last run's report, kept in the Actions cache, gives what is new, fixed and still open
      keyfence-version: ${VERSION}
    secrets:
      # A fine-grained token (or GitHub App token) of the organisation, on all its repositories:
      # Metadata read and Contents read, nothing else. Store it as an Actions secret of this repository.
      token: \${{ secrets.KEYFENCE_ORG_TOKEN }}
`;

/** Writes the caller workflow unless one is there; says what it did. */
export async function installOrgAuditWorkflow(root: string, out: (line: string) => void): Promise<void> {
  const path = join(root, ORG_AUDIT_PATH);
  if (existsSync(path)) {
    out(`  kept     ${ORG_AUDIT_PATH}: it exists (not overwritten)`);
    return;
  }
  await writeAtomic(path, ORG_AUDIT_WORKFLOW);
  out(`  created  ${ORG_AUDIT_PATH}: every Monday, the organisation's repositories audited on 4 machines`);
  out('');
  out('Next: store a token as the Actions secret KEYFENCE_ORG_TOKEN (Metadata read, Contents read on the');
  out('organisation\'s repositories), then run the workflow from the Actions tab to try it.');
}
