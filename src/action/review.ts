/**
 * The pull request review: one review by keyfence per pull request, with a comment on each line
 * that has findings. Re-runs update it rather than add to it: every comment carries a hidden marker
 * with the fingerprints it reports, so a finding already commented on is not commented again, a
 * comment whose findings are gone is marked fixed, and the review's own body (the summary, with the
 * marker of every open fingerprint) is edited in place.
 *
 * A token that may not write (fork pull requests get a read-only one) makes GitHub answer 403:
 * then nothing more is written and the caller says why in the job summary. Never an error.
 */
import type { ReportFinding, Severity } from '../findings/finding.js';
import { SEVERITIES } from '../findings/finding.js';
import { gitHubOutage, type GitHubClient } from '../github/client.js';

const REVIEW_MARKER = '<!-- keyfence:review -->';
const FINGERPRINTS = /<!-- keyfence:fingerprints ([0-9a-f ]*) -->/;
const FIXED_MARKER = '<!-- keyfence:fixed -->';

export interface ReviewTarget {
  owner: string;
  repo: string;
  pull: number;
  headSha: string;
}

export type ReviewOutcome =
  | { status: 'written'; created: number; updated: number; fixed: number; reviewId: number; reviewCreated: boolean }
  | { status: 'nothing-to-say' }
  | { status: 'skipped'; reason: string };

interface LineGroup {
  path: string;
  line: number;
  findings: ReportFinding[];
  fingerprints: string[];
}

/** Comments per run at most; findings past it are listed in the review body. */
const MAX_COMMENTS = 50;

const marker = (fps: string[]) => `<!-- keyfence:fingerprints ${[...fps].sort().join(' ')} -->`;
const ICON: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };

function commentBody(g: LineGroup): string {
  const lines = g.findings.map((f) => `${ICON[f.severity]} **${f.severity}** \`${f.ruleId}\`: ${escapeMarkdown(f.message)}${f.secret ? ` (\`${f.secret.replace(/`/g, "'")}\`)` : ''}`);
  return [`**keyfence**`, '', ...lines, '', marker(g.fingerprints)].join('\n');
}

function fixedBody(previous: string, sha: string): string {
  const fps = FINGERPRINTS.exec(previous)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  return [`**keyfence**: ✅ no longer found as of ${sha.slice(0, 12)}.`, '', FIXED_MARKER, marker(fps)].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/([<>])/g, '\\$1');
}

function reviewBody(findings: ReportFinding[], unplaced: ReportFinding[], headSha: string): string {
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const head =
    findings.length === 0
      ? `### keyfence: no findings as of ${headSha.slice(0, 12)}`
      : `### keyfence: ${findings.length} finding${findings.length === 1 ? '' : 's'} as of ${headSha.slice(0, 12)}\n\n${counts.map(([s, n]) => `${ICON[s]} ${n} ${s}`).join(' · ')}`;
  const out = [REVIEW_MARKER, head];
  if (unplaced.length) {
    out.push('', 'Not commented on (not on a line this pull request changes, e.g. in an earlier commit of the branch; or past the comment limit):');
    for (const f of unplaced.slice(0, 20)) out.push(`- ${ICON[f.severity]} \`${f.ruleId}\` ${f.file}:${f.line}${f.commit ? ` (commit ${f.commit.slice(0, 12)})` : ''}: ${escapeMarkdown(f.message)}`);
    if (unplaced.length > 20) out.push(`- and ${unplaced.length - 20} more: see the job summary`);
    if (unplaced.some((f) => f.commit)) out.push('', 'A secret removed by a later commit is still in the branch history: rotate it, and rewrite the branch before merging.');
  }
  out.push('', marker([...new Set(findings.map((f) => f.fingerprint))]));
  return out.join('\n');
}

interface ErrorLike {
  status?: number;
  message?: string;
}

/** Posts or updates keyfence's review. `placements` maps a fingerprint to its line in HEAD. */
export async function upsertReview(
  octokit: GitHubClient,
  target: ReviewTarget,
  findings: ReportFinding[],
  placements: Map<string, number>,
): Promise<ReviewOutcome> {
  const { owner, repo, pull } = target;
  const groups = new Map<string, LineGroup>();
  const unplaced: ReportFinding[] = [];
  for (const f of findings) {
    const line = placements.get(f.fingerprint);
    const key = `${f.file}\0${line}`;
    if (line === undefined || (!groups.has(key) && groups.size >= MAX_COMMENTS)) {
      unplaced.push(f);
      continue;
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { path: f.file, line, findings: [], fingerprints: [] }));
    if (!g.fingerprints.includes(f.fingerprint)) {
      g.fingerprints.push(f.fingerprint);
      g.findings.push(f);
    }
  }

  try {
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: pull, per_page: 100 });
    const ours = reviews.find((r) => r.body?.includes(REVIEW_MARKER));
    if (!ours && findings.length === 0) return { status: 'nothing-to-say' };
    const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, { owner, repo, pull_number: pull, per_page: 100 });
    const existing = comments
      .map((c) => ({ c, fps: FINGERPRINTS.exec(c.body)?.[1]?.trim().split(/\s+/).filter(Boolean) }))
      .filter((x): x is { c: (typeof comments)[number]; fps: string[] } => x.fps !== undefined && !x.c.in_reply_to_id);

    const matched = new Set<number>();
    const toCreate: LineGroup[] = [];
    const toUpdate: Array<{ id: number; body: string }> = [];
    for (const g of groups.values()) {
      const same = existing.find((e) => !matched.has(e.c.id) && e.c.path === g.path && (e.c.line ?? e.c.original_line) === g.line)
        ?? existing.find((e) => !matched.has(e.c.id) && e.c.path === g.path && e.fps.some((fp) => g.fingerprints.includes(fp)));
      const body = commentBody(g);
      if (!same) {
        toCreate.push(g);
        continue;
      }
      matched.add(same.c.id);
      if (same.c.body !== body) toUpdate.push({ id: same.c.id, body });
    }
    let fixed = 0;
    for (const e of existing) {
      if (matched.has(e.c.id) || e.c.body.includes(FIXED_MARKER)) continue;
      toUpdate.push({ id: e.c.id, body: fixedBody(e.c.body, target.headSha) });
      fixed++;
    }

    const body = reviewBody(findings, unplaced, target.headSha);
    let reviewId: number;
    let reviewCreated = false;
    let created = 0;
    if (!ours) {
      const review = await octokit.rest.pulls.createReview({
        owner,
        repo,
        pull_number: pull,
        commit_id: target.headSha,
        event: 'COMMENT',
        body,
        comments: toCreate.map((g) => ({ path: g.path, line: g.line, side: 'RIGHT', body: commentBody(g) })),
      });
      reviewId = review.data.id;
      reviewCreated = true;
      created = toCreate.length;
    } else {
      reviewId = ours.id;
      if (ours.body !== body) await octokit.rest.pulls.updateReview({ owner, repo, pull_number: pull, review_id: ours.id, body });
      // A submitted review takes no new comments: new findings are commented on their own.
      for (const g of toCreate) {
        await octokit.rest.pulls.createReviewComment({ owner, repo, pull_number: pull, commit_id: target.headSha, path: g.path, line: g.line, side: 'RIGHT', body: commentBody(g) });
        created++;
      }
    }
    for (const u of toUpdate) await octokit.rest.pulls.updateReviewComment({ owner, repo, comment_id: u.id, body: u.body });
    return { status: 'written', created, updated: toUpdate.length - fixed, fixed, reviewId, reviewCreated };
  } catch (error) {
    const e = error as ErrorLike;
    const outage = gitHubOutage(error);
    if (outage) return { status: 'skipped', reason: outage };
    if (e.status === 403 || e.status === 401)
      return { status: 'skipped', reason: `the token may not write to this pull request (GitHub answered ${e.status}: ${e.message ?? ''})`.trim() };
    if (e.status === 404) return { status: 'skipped', reason: `GitHub answered 404 for pull request #${pull}: the token cannot see it` };
    if (e.status === 422) return { status: 'skipped', reason: `GitHub refused the review (422: ${e.message ?? ''})` };
    throw error;
  }
}
