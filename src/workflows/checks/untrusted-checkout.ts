/**
 * untrusted-checkout ("pwn request"): a pull_request_target, workflow_run or issue_comment job
 * fetches the pull request's code and then runs something from it while secrets or a write token
 * are in reach.
 */
import { CHECKOUT_TRIGGERS, describeGuard, triggersIn, weakest, type CallContext } from '../analysis.js';
import { triggerRelated, triggeredJob, type WorkflowCheck } from '../check.js';
import { allPaths } from '../expressions.js';
import type { EnvEntry, Step, TString, WorkflowModel } from '../model.js';
import { locateInString } from '../locate.js';
import { actionName, actionRef, commandExecutes, effectiveEnv, isFalse, isTrue, normalizeDir, shellCommands, stepExecution, withText, withValue } from '../steps.js';
import { referencedVariables, type ShellCommand } from '../shell.js';
import { commandSpan } from '../stepLocation.js';
import type { Span } from '../yamlNodes.js';

/** Expression paths that name the pull request's head (code the author controls), by the trigger that fills them. */
const HEAD_PATHS: [RegExp, string[]][] = [
  [/^github\.event\.pull_request\.(head\.(sha|ref|label|repo\.(full_name|clone_url|ssh_url|git_url|html_url|name|owner\.login)|user\.login)|merge_commit_sha)$/, ['pull_request_target']],
  [/^github\.head_ref$/, ['pull_request_target']],
  // The whole run object, or its head_commit/head_repository objects, stands for the run's head as
  // well: `ref: ${{ github.event.workflow_run }}` means "the code that triggered us", and the line
  // that makes it resolve (`.head_sha`) keeps every later step as it is.
  [/^github\.event\.workflow_run(\.(head_sha|head_branch|head_commit(\.id)?|head_repository(\.(full_name|clone_url|ssh_url|git_url|html_url|name|owner\.login))?|pull_requests(\..*)?))?$/, ['workflow_run']],
];

/** Numbers that identify the pull request in `refs/pull/<n>/...`. */
const NUMBER_PATHS: [RegExp, string[]][] = [
  [/^github\.event\.(pull_request\.number|number)$/, ['pull_request_target']],
  [/^github\.event\.issue\.number$/, ['issue_comment']],
  [/^github\.event\.workflow_run\.pull_requests\..*number$/, ['workflow_run']],
];

interface PrFetch {
  /** Triggers under which this step fetches pull-request code. */
  events: Set<string>;
  span: Span;
  what: string;
  /** Checkout directory when not the workspace root. */
  dir?: string;
  /** actions/checkout protections in play. */
  checkout?: { refusesForks: boolean; allowUnsafe: boolean; persistCredentials: boolean };
  /** For a fetch in a script: the commands after it in the same step, which run in the fetched tree. */
  after?: ShellCommand[];
}

function eventsOfPaths(paths: string[], table: [RegExp, string[]][]): Set<string> {
  const out = new Set<string>();
  for (const p of paths) for (const [re, evs] of table) if (re.test(p)) evs.forEach((e) => out.add(e));
  return out;
}

/** The caller, for code judged as a caller runs it: its `with:` values fill `inputs.*` (`ref: ${{ inputs.ref }}`). */
type Inputs = CallContext | undefined;

function pathsIn(str: TString | null | undefined, inputs?: Inputs): string[] {
  if (!str) return [];
  const paths = str.exprs.flatMap((o) => (o.parsed.ast ? allPaths(o.parsed.ast).map((p) => p.path) : []));
  return paths.flatMap((p) => {
    const input = /^inputs\.(.+)$/.exec(p)?.[1];
    const given = input !== undefined ? inputs?.inputs.get(input) : undefined;
    return given ? pathsIn(given.value, inputs?.parent) : [p];
  });
}

/** Events for which a string names PR head code: head paths, or refs/pull/<n>/ with a PR number. */
function prRefEvents(str: TString | null | undefined, env: Map<string, EnvEntry>, issueComment: boolean, inputs: Inputs): Set<string> {
  const out = new Set<string>();
  if (!str) return out;
  const paths = pathsIn(str, inputs);
  eventsOfPaths(paths, HEAD_PATHS).forEach((e) => out.add(e));
  if (/refs\/pull\/|(^|[\s:/])pull\/(\$\{\{[^}]*\}\}|[^\s/]+)\/(head|merge)\b/.test(str.value)) {
    const evs = eventsOfPaths(paths, NUMBER_PATHS);
    if (evs.size === 0) CHECKOUT_TRIGGERS.forEach((e) => out.add(e));
    else evs.forEach((e) => out.add(e));
  }
  // Variables set from PR head expressions: `git checkout "$HEAD_SHA"`.
  for (const v of referencedVariables(str.value)) {
    const e = env.get(v);
    if (e?.value) eventsOfPaths(pathsIn(e.value, inputs), HEAD_PATHS).forEach((ev) => out.add(ev));
  }
  // issue_comment jobs resolve the PR head in an earlier step: `ref: ${{ steps.pr.outputs.head_sha }}`.
  if (issueComment && paths.some((p) => /^(steps|needs)\..*\.outputs\..*(sha|ref|head|branch|pr|pull)/.test(p))) out.add('issue_comment');
  return out;
}

function checkoutMajor(ref: string): number | null {
  const m = /^v?(\d+)(\.|$)/.exec(ref);
  return m ? Number(m[1]) : null;
}

function prFetch(model: WorkflowModel, step: Step, env: Map<string, EnvEntry>, issueComment: boolean, inputs: Inputs): PrFetch | null {
  const name = actionName(step);
  if (name === 'actions/checkout') {
    const ref = withValue(step, 'ref');
    const repo = withValue(step, 'repository');
    const events = new Set([...prRefEvents(ref, env, issueComment, inputs), ...eventsOfPaths(pathsIn(repo, inputs), HEAD_PATHS)]);
    if (events.size === 0) return null;
    const major = checkoutMajor(actionRef(step));
    const path = withText(step, 'path');
    const refNode = step.with.get('ref') ?? step.with.get('repository');
    return {
      events,
      span: refNode?.value?.node.span ?? step.uses!.node.span,
      what: `checkout:${(ref ?? repo)?.value ?? ''}`,
      dir: path && normalizeDir(path) !== '' && normalizeDir(path) !== '.' ? path : undefined,
      checkout: {
        // actions/checkout v7 (mid-2026) refuses fork code under pull_request_target and workflow_run.
        refusesForks: (major !== null && major >= 7) || actionRef(step) === 'main',
        allowUnsafe: isTrue(withText(step, 'allow-unsafe-pr-checkout')),
        persistCredentials: !isFalse(withText(step, 'persist-credentials')),
      },
    };
  }
  if (!step.run) return null;
  const script = step.run;
  const cmds = shellCommands(step);
  for (const [k, cmd] of cmds.entries()) {
    const [c0, c1, c2] = cmd.args;
    const after = cmds.slice(k + 1);
    if ((c0 === 'gh' || c0 === 'hub') && c1 === 'pr' && c2 === 'checkout') {
      return { events: new Set(CHECKOUT_TRIGGERS), span: locateInString(model, script, cmd.line, cmd.words.join(' ')), what: `run:${c0} pr checkout`, after };
    }
    if (c0 === 'git' && c1 && /^(fetch|checkout|switch|pull|clone|reset|merge|worktree)$/.test(c1)) {
      const line = cmd.words.join(' ');
      const fake: TString = { ...script, value: line, exprs: script.exprs.filter((o) => line.includes(o.part.text)) };
      const events = prRefEvents(fake, env, issueComment, inputs);
      if (events.size > 0) return { events, span: locateInString(model, script, cmd.line, cmd.words.join(' ')), what: `run:git ${c1}`, after };
    }
    if (c0 === 'gh' && c1 === 'repo' && c2 === 'clone') {
      const line = cmd.words.join(' ');
      const fake: TString = { ...script, value: line, exprs: script.exprs.filter((o) => line.includes(o.part.text)) };
      const events = eventsOfPaths(pathsIn(fake, inputs), HEAD_PATHS);
      // A clone lands in its own directory: only `cd` into it runs its code, which later steps show.
      if (events.size > 0) return { events, span: locateInString(model, script, cmd.line, cmd.words.join(' ')), what: 'run:gh repo clone' };
    }
  }
  return null;
}

export const untrustedCheckout: WorkflowCheck = {
  id: 'untrusted-checkout',
  category: 'workflow',
  followsCallers: true,
  description: 'A privileged pull_request_target, workflow_run or issue_comment job checks out pull-request code and runs it.',
  run({ model, analysis, report }) {
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      if (!facts.triggers.some((t) => CHECKOUT_TRIGGERS.has(t.name))) continue;
      const issueComment = facts.triggers.some((t) => t.name === 'issue_comment');
      job.steps.forEach((step, i) => {
        const env = effectiveEnv(model, job, step);
        const fetch = prFetch(model, step, env, issueComment, analysis.context);
        if (!fetch) return;
        const reach = triggersIn(facts, CHECKOUT_TRIGGERS, step).filter((t) => fetch.events.has(t.trigger.name));
        const w = weakest(reach);
        if (!w || w.guard.fork || w.guard.merged) return;
        const trig = w.trigger.name;
        // Where the fetched code runs: later in the same script (`gh pr checkout 7 && make`), else a later step.
        let exec: { step: Step; why: string; cmd?: ShellCommand } | undefined;
        for (const cmd of fetch.after ?? []) {
          const why = commandExecutes(cmd);
          if (why) {
            exec = { step, why, cmd };
            break;
          }
        }
        for (const later of exec ? [] : job.steps.slice(i + 1)) {
          const found = stepExecution(later, job, fetch.dir);
          if (found) {
            exec = { step: later, ...found };
            break;
          }
        }
        const privileged = facts.holdsSecrets || facts.tokenMayWrite;
        const inReach = [
          facts.holdsSecrets ? 'secrets' : '',
          facts.writeScopes.length > 0 ? 'a write token' : facts.permissions.source === 'default' ? 'the default token (read-write unless the repository restricts it)' : '',
        ].filter(Boolean).join(' and ');
        const cred = fetch.checkout?.persistCredentials ? ' Set `persist-credentials: false` so the token is not left in .git/config.' : '';
        const guarded = w.guard.author || w.guard.label || w.guard.actor;
        const where = triggeredJob(w.trigger, job);
        const fix = 'Run untrusted code in a separate `pull_request` workflow (no secrets, read-only token), or limit the job to same-repository pull requests with `github.event.pull_request.head.repo.full_name == github.repository`.';
        const refuses = fetch.checkout && fetch.checkout.refusesForks && !fetch.checkout.allowUnsafe && (trig === 'pull_request_target' || trig === 'workflow_run');
        const unsafeNote = fetch.checkout?.allowUnsafe ? ' `allow-unsafe-pr-checkout: true` turns off actions/checkout\'s own refusal of fork code.' : '';
        const related = [{ span: fetch.span, label: 'fetches the pull request\'s code' }, triggerRelated(w.trigger)];
        const what = `${job.id}/${step.key}/${fetch.what}`;
        const code = trig === 'workflow_run' ? 'the triggering run\'s head commit (a fork pull request\'s code)' : 'the pull request\'s code';
        // Fetching without running is how base-branch tools inspect a pull request: not a finding.
        if (!exec) return;
        // The finding sits where the untrusted code runs: that line is what must change.
        const span = commandSpan(model, exec.step, exec.cmd);
        if (guarded) {
          report({
            severity: 'low',
            message: `${where} checks out and runs ${code} (${exec.why}) behind ${describeGuard(w.guard)}: only trusted people start it, but a push after their approval runs unreviewed unless the job checks out the approved commit (\`head.sha\`).${cred}`,
            span,
            related,
            what,
          });
          return;
        }
        if (refuses) {
          report({
            severity: 'low',
            message: `${where} checks out ${code} and ${exec.why}; actions/checkout v7+ refuses fork code here unless \`allow-unsafe-pr-checkout\` is set, so only same-repository pull requests run — never set that input in this job.${cred}`,
            span,
            related,
            what,
          });
          return;
        }
        report({
          severity: privileged ? 'critical' : 'medium',
          message: privileged
            ? `${where} checks out ${code} and ${exec.why} with ${inReach} in reach, so a fork's code runs with that access ("pwn request").${unsafeNote} ${fix}${cred}`
            : `${where} checks out ${code} and ${exec.why}; the token is read-only and no secrets are used, but fork code still runs in the base repository's context (cache poisoning).${unsafeNote} ${fix}`,
          span,
          related,
          what,
        });
      });
    }
  },
};
