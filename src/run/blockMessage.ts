import { failsAt, type FailOn } from '../findings/failOn.js';
import type { Category, ReportFinding } from '../findings/finding.js';
import { allowComment, allowEntry } from '../suppressions/commentSyntax.js';

/**
 * What the pre-commit and pre-push hooks say when they block: what the change adds (a key, a
 * host, a workflow), how to take a real one out, and how to silence a false alarm in each file's
 * own comment syntax (`allow:` in keyfence.yml for files that take no comment), then the bypass.
 */

const SHOWN = 3;
const EXAMPLES = 5;

/** What a finding is, in a few words, with what identifies it (already redacted). */
function what(f: ReportFinding): string {
  const nouns: Record<Category, string> = {
    'live-key': 'a live key',
    fixture: 'a real key in a test fixture',
    'env-crossover': 'a key in the wrong environment',
    'generic-secret': 'a secret',
    'prod-host': 'a production host',
    'echo-leak': 'a secret printed to a log',
    workflow: 'an unsafe workflow',
    'github-settings': 'a repository setting',
    'gitlab-settings': 'a GitLab project setting',
    policy: 'a loosened keyfence policy',
    'prod-data': 'production data',
  };
  const named = f.secret && !['generic-secret', 'echo-leak'].includes(f.category) ? ` ${f.secret}` : f.category === 'echo-leak' && f.secret ? ` (${f.secret})` : '';
  return `${nouns[f.category]}${named} (${f.ruleId}, ${f.file}:${f.line})`;
}

/** The lines of a false alarm's fix, one per file and rule: the comment to add, or the allow entry. */
function silencing(findings: readonly ReportFinding[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of findings) {
    const key = `${f.file}\0${f.ruleId}`;
    if (seen.has(key) || f.file.startsWith('github:')) continue;
    seen.add(key);
    if (out.length === EXAMPLES) break;
    const comment = allowComment(f.file, f.ruleId);
    out.push(comment ? `      ${f.file}:${f.line}  ${comment}` : `      ${f.file}: takes no comments; in keyfence.yml: ${allowEntry(f.file, f.ruleId)}`);
  }
  return out;
}

/** What a hook blocks, and how its author gets a real secret out of it. */
const BLOCKED = {
  commit: {
    what: 'this commit is blocked: the staged changes add',
    takeOut: ['  - a real secret: take it out of the file (read it from the environment or a secret store), stage, commit again'],
    command: 'keyfence staged',
  },
  push: {
    what: 'this push is blocked: the commits it sends add',
    takeOut: [
      '  - a real secret: it is in a local commit, so removing the line is not enough: rewrite the commit',
      '    (git commit --amend, or git rebase -i) so that no pushed commit holds it, then push again',
    ],
    command: 'keyfence push',
  },
} as const;

export function blockMessage(findings: readonly ReportFinding[], failOn: FailOn, hook: keyof typeof BLOCKED, bypass: string): string {
  const blocked = BLOCKED[hook];
  const blocking = findings.filter((f) => failsAt(f.severity, failOn));
  const listed = blocking.slice(0, SHOWN).map(what);
  const more = blocking.length - listed.length;
  const found = listed.length === 0 ? 'findings' : `${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  return [
    '',
    `keyfence: ${blocked.what} ${found} (values redacted).`,
    ...blocked.takeOut,
    '  - a false alarm: say so where it is, with a reason:',
    ...silencing(blocking),
    '    or record it in a baseline (keyfence baseline FILE --output .keyfence-baseline.json) and add',
    `    \`--baseline .keyfence-baseline.json\` to the hook's \`${blocked.command}\``,
    `  - ${bypass}`,
    '',
  ].join('\n');
}
