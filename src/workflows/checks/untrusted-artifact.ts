/**
 * untrusted-artifact: a workflow_run job downloads artifacts of the run that triggered it (which a
 * fork pull request may have produced) and then executes them or feeds them into the job's
 * environment while secrets or a write token are in reach.
 */
import { describeGuard, triggersIn, weakest } from '../analysis.js';
import { triggerRelated, triggeredJob, type WorkflowCheck } from '../check.js';
import type { Job, Step } from '../model.js';
import type { ShellCommand } from '../shell.js';
import { commandSpan } from '../stepLocation.js';
import { actionName, normalizeDir, shellCommands, stepExecution, withText } from '../steps.js';
import type { Span } from '../yamlNodes.js';

const WORKFLOW_RUN = new Set(['workflow_run']);

interface Download {
  /** Directory the artifact lands in; '' for the workspace root. */
  dir: string;
  span: Span;
  what: string;
}

function download(step: Step): Download | null {
  const name = actionName(step);
  const uses = step.uses?.node.span;
  if (name === 'actions/download-artifact') {
    // Without run-id it downloads from the current run, which this workflow produced itself.
    if (!step.with.has('run-id')) return null;
    return { dir: normalizeDir(withText(step, 'path') ?? ''), span: uses!, what: name };
  }
  if (name.endsWith('/action-download-artifact') || (name.includes('download-artifact') && name !== 'actions/download-artifact')) {
    return { dir: normalizeDir(withText(step, 'path') ?? ''), span: uses!, what: name };
  }
  if (name === 'actions/github-script') {
    const script = withText(step, 'script') ?? '';
    if (/downloadArtifact|listWorkflowRunArtifacts/.test(script)) return { dir: '', span: uses!, what: 'github-script download' };
  }
  for (const cmd of shellCommands(step)) {
    const [c0, c1, c2] = cmd.args;
    if (c0 === 'gh' && c1 === 'run' && c2 === 'download') {
      const di = cmd.args.indexOf('-D') >= 0 ? cmd.args.indexOf('-D') : cmd.args.indexOf('--dir');
      return { dir: normalizeDir(di >= 0 ? cmd.args[di + 1] ?? '' : ''), span: step.run!.node.span, what: 'gh run download' };
    }
  }
  return null;
}

const GITHUB_FILES = /\$\{?(GITHUB_ENV|GITHUB_PATH|GITHUB_OUTPUT)\}?|\$\{\{\s*(env\.GITHUB_ENV|env\.GITHUB_PATH|env\.GITHUB_OUTPUT)\s*\}\}/;

/** How a later step uses the artifact: runs it, or loads it into the job's environment. */
function usesArtifact(later: Step, job: Job, dir: string, fileHints: string[]): { how: string; cmd?: ShellCommand } | null {
  const exec = stepExecution(later, job, dir || undefined);
  if (exec) return { how: exec.why, cmd: exec.cmd };
  const run = later.run?.value ?? '';
  if (!run) return null;
  const mentions = (dir && run.includes(dir)) || fileHints.some((f) => f && run.includes(f)) || /\bunzip\b|\bcat\b|<\s*\S+/.test(run);
  const m = GITHUB_FILES.exec(run);
  if (m && mentions) {
    const target = (m[1] ?? m[2] ?? '').replace('env.', '');
    // The command that writes the file, for the finding's line.
    const cmd = shellCommands(later).find((c) => GITHUB_FILES.test([...c.words, ...c.redirects.map((r) => r.target)].join(' ')));
    if (target === 'GITHUB_ENV' || target === 'GITHUB_PATH') return { how: `writes artifact content to $${target}, which sets the environment of later steps`, cmd };
    return { how: `passes artifact content on through $${target}`, cmd };
  }
  return null;
}

export const untrustedArtifact: WorkflowCheck = {
  id: 'untrusted-artifact',
  category: 'workflow',
  followsCallers: true,
  description: 'A workflow_run job downloads the triggering run\'s artifacts and executes or trusts them with secrets in reach.',
  run({ model, analysis, report }) {
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      job.steps.forEach((step, i) => {
        const dl = download(step);
        if (!dl) return;
        const reach = triggersIn(facts, WORKFLOW_RUN, step);
        const w = weakest(reach);
        if (!w || w.guard.fork || w.guard.merged) return;
        const hints = job.steps.slice(i + 1).flatMap((s) => (s.run ? [...s.run.value.matchAll(/unzip\s+(?:-\S+\s+)*(\S+)/g)].map((m) => m[1] ?? '') : []));
        let use: { step: Step; how: string; cmd?: ShellCommand } | undefined;
        for (const later of job.steps.slice(i + 1)) {
          const found = usesArtifact(later, job, dl.dir, hints);
          if (found) {
            use = { step: later, ...found };
            break;
          }
        }
        if (!use) return;
        const privileged = facts.holdsSecrets || facts.tokenMayWrite;
        const envWrite = /GITHUB_ENV|GITHUB_PATH/.test(use.how);
        const guarded = w.guard.author || w.guard.label || w.guard.actor;
        const where = triggeredJob(w.trigger, job);
        // The finding sits where the artifact is run or trusted; the download is where it came in,
        // and the upstream workflow's upload (another file) is where a fork filled it.
        const upstream = analysis.upstream(w.trigger);
        const related = [{ span: dl.span, label: 'downloads the artifact' }, triggerRelated(w.trigger), ...(upstream?.uploads ?? []), ...(upstream?.triggers ?? [])];
        const fix = 'Treat the artifact as untrusted data: download it outside the workspace, validate it (e.g. a PR number must be digits), and never execute it or write it to $GITHUB_ENV.';
        report({
          severity: guarded ? 'low' : privileged ? (envWrite || use.how.startsWith('runs') || use.how.startsWith('uses') || use.how.startsWith('builds') || use.how.startsWith('loads') || use.how.startsWith('installs') ? 'critical' : 'high') : 'medium',
          message: guarded
            ? `${where} downloads the triggering run's artifacts and ${use.how}, behind ${describeGuard(w.guard)}. ${fix}`
            : `${where} downloads artifacts of the triggering run, which a fork pull request can fill, and ${use.how}${dl.dir ? '' : ' (the artifact lands in the workspace and can overwrite its files)'}${privileged ? ' with secrets or a write token in reach' : ''}. ${fix}`,
          span: commandSpan(model, use.step, use.cmd),
          related,
          what: `${job.id}/${step.key}/${dl.what}`,
        });
      });
    }
  },
};
