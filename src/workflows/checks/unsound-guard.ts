/**
 * unsound-guard: `if:` conditions that do not protect what they seem to:
 * - `${{ }}` mixed with literal text (including the trailing newline of `if: |`): the result is a
 *   non-empty string, so the condition is always true;
 * - `github.actor == 'dependabot[bot]'` and similar bot checks: the actor is whoever caused the
 *   latest event, which an attacker can arrange to be the bot;
 * - `contains('refs/heads/main refs/heads/dev', github.ref)`: a substring test, not membership;
 * - `github.ref == 'refs/heads/main'` in a job that pull_request_target, workflow_run or comment
 *   events reach: those runs are on the default branch, so the check is always true.
 */
import { ACTOR_PATHS, FORK_CODE_TRIGGERS, PRIVILEGED_UNTRUSTED, isBotName } from '../analysis.js';
import { triggerRelated, type CheckContext, type WorkflowCheck } from '../check.js';
import { Binary, TokenType, accessPath, isCall, literalString, walk, type Expr } from '../expressions.js';
import type { Cond, Job, Step, Trigger } from '../model.js';
import type { Severity } from '../../findings/finding.js';

const UNTRUSTED = new Set([...PRIVILEGED_UNTRUSTED, ...FORK_CODE_TRIGGERS, 'pull_request_target']);
const DEFAULT_BRANCH_TRIGGERS = new Set([...PRIVILEGED_UNTRUSTED]);
const REF_PATHS = new Set(['github.ref', 'github.ref_name', 'github.head_ref', 'github.base_ref', 'github.event.pull_request.head.ref', 'github.event.pull_request.base.ref']);

function path(e: Expr): string | null {
  return accessPath(e);
}

function checkCond(ctx: CheckContext, cond: Cond, job: Job, step: Step | undefined, triggers: Trigger[]): void {
  const where = step ? `step \`${step.label}\` of job \`${job.id}\`` : `job \`${job.id}\``;
  const what = step ? `${job.id}/${step.key}` : job.id;
  const untrusted = triggers.filter((t) => UNTRUSTED.has(t.name));
  const privileged = triggers.filter((t) => PRIVILEGED_UNTRUSTED.has(t.name));
  const rel = (list: Trigger[]) => (list[0] ? [triggerRelated(list[0])] : undefined);

  if (cond.mixed) {
    const severity: Severity = privileged.length > 0 ? 'high' : 'medium';
    const block = cond.str.node.style.startsWith('BLOCK') && cond.str.value.endsWith('\n');
    ctx.report({
      severity,
      message: `the \`if:\` of ${where} mixes \`\${{ }}\` with other text${block ? ' (the block scalar adds a trailing newline)' : ''}, so it evaluates to a non-empty string and is always true. Write the whole condition inside one \`\${{ }}\`${block ? ', or use `>-`/`|-`' : ''}, or drop the \`\${{ }}\` altogether.`,
      span: cond.span,
      related: rel(privileged.length > 0 ? privileged : triggers),
      what: `${what}/mixed-if`,
    });
    return;
  }
  const ast = cond.parsed?.ast;
  if (!ast) return;
  const seen = new Set<string>();
  walk(ast, (n) => {
    // github.actor == 'dependabot[bot]'
    if (n instanceof Binary && n.operator.type === TokenType.EQUAL_EQUAL) {
      const lp = path(n.left);
      const rp = path(n.right);
      const p = lp ?? rp;
      const lit = literalString(lp ? n.right : n.left);
      if (p && ACTOR_PATHS.has(p) && lit !== null && isBotName(lit) && untrusted.length > 0 && !seen.has(`actor:${p}`)) {
        seen.add(`actor:${p}`);
        const prt = privileged.length > 0;
        ctx.report({
          // Fork runs of pull_request get no secrets whoever the actor is: only a note there.
          severity: prt ? 'high' : 'low',
          message: `\`${p} == '${lit}'\` in the \`if:\` of ${where} is spoofable: \`${p}\` is whoever caused the latest event, which an attacker can arrange to be the bot (e.g. by having it update their pull request). Check the pull request's author instead (\`github.event.pull_request.user.login == '${lit}'\`).`,
          span: cond.span,
          related: rel(prt ? privileged : untrusted),
          what: `${what}/bot-actor/${p}/${lit.toLowerCase()}`,
        });
      }
      // github.ref == 'refs/heads/main' under pull_request_target & co.
      if (p && (p === 'github.ref' || p === 'github.ref_name') && lit !== null && !/^refs\/(tags|pull)\//.test(lit) && !seen.has(`ref:${p}`)) {
        const defaultBranchRuns = triggers.filter((t) => DEFAULT_BRANCH_TRIGGERS.has(t.name));
        if (defaultBranchRuns.length > 0) {
          seen.add(`ref:${p}`);
          ctx.report({
            severity: 'medium',
            message: `\`${p} == '${lit}'\` in the \`if:\` of ${where} does not keep out \`${defaultBranchRuns[0]!.name}\` runs: they run on the default branch (for pull_request_target since December 2025), so the check is true for them if \`${lit}\` is the default branch. Test \`github.event_name\` as well.`,
            span: cond.span,
            related: rel(defaultBranchRuns),
            what: `${what}/ref-check/${lit}`,
          });
        }
      }
    }
    // contains('a b c', github.ref): substring, not membership.
    if (isCall(n, 'contains') && n.args.length === 2) {
      const hay = literalString(n.args[0]!);
      const p = path(n.args[1]!);
      if (hay !== null && p && (REF_PATHS.has(p) || ACTOR_PATHS.has(p)) && untrusted.length > 0 && !seen.has(`contains:${p}`)) {
        seen.add(`contains:${p}`);
        ctx.report({
          severity: 'medium',
          message: `\`contains('${hay}', ${p})\` in the \`if:\` of ${where} is a substring test: any value found inside the string passes, such as a branch named after a fragment of one listed. Use \`contains(fromJSON('["…"]'), ${p})\` or explicit \`==\` comparisons.`,
          span: cond.span,
          related: rel(untrusted),
          what: `${what}/substring/${p}`,
        });
      }
    }
  });
}

export const unsoundGuard: WorkflowCheck = {
  id: 'unsound-guard',
  category: 'workflow',
  description: 'if: conditions that are always true or spoofable: ${{ }} mixed with text, bot actor checks, substring contains(), ref checks on default-branch runs.',
  run(ctx) {
    const { model, analysis } = ctx;
    for (const job of model.jobs) {
      const triggers = model.kind === 'workflow' ? analysis.facts(job).triggers : [];
      // For actions the triggers are unknown: only the always-true test applies.
      if (job.if) checkCond(ctx, job.if, job, undefined, triggers);
      for (const step of job.steps) if (step.if) checkCond(ctx, step.if, job, step, triggers);
    }
  },
};
