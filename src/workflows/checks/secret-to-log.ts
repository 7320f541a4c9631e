/**
 * secret-to-log: a secret printed to the job log or written where it is shown or kept. GitHub
 * masks registered secret values in logs, but only their exact text: an encoded, reversed, split
 * or JSON-derived value goes out in clear, and environment dumps, shell tracing and debug logging
 * print far more than the script author meant to.
 */
import { stepWhere, type CheckContext, type WorkflowCheck } from '../check.js';
import { derivedSecretFields } from '../expressions.js';
import type { Job, Step, TString } from '../model.js';
import { locateInString } from '../locate.js';
import { parseShell, referencedVariables, type ShellCommand } from '../shell.js';
import { actionName, carriesSecret, isTrue, secretEnvNames, secretLikeInputs, withText } from '../steps.js';
import type { Severity } from '../../findings/finding.js';
import type { Span } from '../yamlNodes.js';

const PRINTERS = new Set(['echo', 'printf', 'write-host', 'write-output', 'write-information', 'print', 'puts']);
const STRICT_ENCODERS = new Set(['base64', 'base32', 'basenc', 'xxd', 'od', 'hexdump', 'hd', 'rev', 'uuencode']);
const ENCODERS = new Set([...STRICT_ENCODERS, 'tr', 'sed', 'awk', 'gawk', 'cut', 'fold', 'iconv', 'openssl']);
const PASS_THROUGH = new Set([...PRINTERS, ...ENCODERS, 'cat', 'tee', 'jq', 'yq', 'sort', 'uniq', 'head', 'tail', 'grep', 'less', 'more', 'column', 'nl', 'paste', 'fmt', 'sha256sum', 'md5sum', 'printenv', 'env', 'export', 'declare', 'typeset', 'set', 'get-childitem', 'gci', 'dir', 'ls']);
const HASHES = new Set(['sha256sum', 'sha1sum', 'md5sum', 'sha512sum', 'shasum']);

type Dest = { kind: 'log' } | { kind: 'output'; name: string } | { kind: 'file'; name: string } | { kind: 'none' };

function destination(cmds: ShellCommand[]): Dest[] {
  const last = cmds[cmds.length - 1]!;
  const out: Dest[] = [];
  const name = (last.args[0] ?? '').toLowerCase();
  if (!PASS_THROUGH.has(name)) return [{ kind: 'none' }];
  if (cmds.some((c) => HASHES.has((c.args[0] ?? '').toLowerCase()))) return [{ kind: 'none' }];
  let redirected = false;
  for (const r of last.redirects) {
    if (!/^(\d*|&)>>?$|^>\|$/.test(r.op) || r.op.startsWith('2')) continue;
    redirected = true;
    const t = r.target.replace(/["'{}]/g, '');
    if (t === '/dev/null') out.push({ kind: 'none' });
    else if (/GITHUB_OUTPUT|GITHUB_STEP_SUMMARY/.test(t)) out.push({ kind: 'output', name: t.replace(/^\$/, '').replace(/^env\./, '') });
    else if (/GITHUB_ENV|GITHUB_PATH|GITHUB_STATE/.test(t)) out.push({ kind: 'none' });
    else out.push({ kind: 'file', name: t });
  }
  if (name === 'tee') {
    for (const a of last.args.slice(1)) if (!a.startsWith('-')) out.push(/GITHUB_OUTPUT|GITHUB_STEP_SUMMARY/.test(a) ? { kind: 'output', name: a.replace(/^\$\{?/, '').replace(/\}$/, '') } : { kind: 'file', name: a });
    if (!redirected) out.push({ kind: 'log' });
    return out;
  }
  if (!redirected) out.push({ kind: 'log' });
  return out;
}

interface StepScan {
  secretVars: Set<string>;
  secretInputs?: Set<string>;
}

function wordCarriesSecret(word: string, str: TString, scan: StepScan): string | null {
  for (const occ of str.exprs) {
    if (!word.includes(`\${{${occ.part.text}}}`)) continue;
    const fake: TString = { ...str, exprs: [occ] };
    if (carriesSecret(fake, scan.secretInputs)) return `\${{${occ.part.text}}}`.replace(/\s+/g, ' ');
  }
  // `${#TOKEN}` is the length, not the value.
  for (const v of referencedVariables(word.replace(/\$\{#[A-Za-z_][A-Za-z0-9_]*\}/g, ''))) if (scan.secretVars.has(v)) return `$${v}`;
  return null;
}

function commandSecret(cmd: ShellCommand, str: TString, scan: StepScan, fromArg = 1): string | null {
  for (const w of cmd.words.slice(fromArg)) {
    const s = wordCarriesSecret(w, str, scan);
    if (s) return s;
  }
  for (const r of cmd.redirects) if (r.op === '<<<') {
    const s = wordCarriesSecret(r.target, str, scan);
    if (s) return s;
  }
  if (cmd.heredoc !== undefined) {
    const s = wordCarriesSecret(cmd.heredoc, str, scan);
    if (s) return s;
  }
  return null;
}

function isXtrace(cmd: ShellCommand): boolean {
  const [c0, ...rest] = cmd.args;
  if (c0 === 'set') return rest.some((a) => /^-[a-zA-Z]*x[a-zA-Z]*$/.test(a)) || (rest[0] === '-o' && rest[1] === 'xtrace');
  if ((c0 === 'bash' || c0 === 'sh' || c0 === 'zsh') && rest.some((a) => /^-[a-zA-Z]*x[a-zA-Z]*$/.test(a))) return true;
  if (c0?.toLowerCase() === 'set-psdebug' && rest.some((a) => /^-trace$/i.test(a))) return true;
  return false;
}

function isDump(cmd: ShellCommand, scan: StepScan): boolean {
  const [c0, ...rest] = cmd.args;
  const c = (c0 ?? '').toLowerCase();
  const args = rest.filter((a) => !a.startsWith('-'));
  if (c === 'printenv') return args.length === 0 || args.some((a) => scan.secretVars.has(a));
  if (c === 'env') return rest.length === 0;
  if (c === 'export' || c === 'declare' || c === 'typeset') return args.length === 0;
  if (c === 'set') return rest.length === 0;
  if ((c === 'get-childitem' || c === 'gci' || c === 'dir' || c === 'ls') && rest.some((a) => /^env:\\?$/i.test(a))) return true;
  return false;
}

export const secretToLog: WorkflowCheck = {
  id: 'secret-to-log',
  category: 'echo-leak',
  description: 'A secret is printed to the job log (echo, tracing, env dumps, masking-defeating encodings) or written to outputs, summaries or artifacts.',
  run(ctx) {
    const { model } = ctx;
    const secretInputs = model.kind === 'action' ? secretLikeInputs(model) : undefined;
    const reported = new Set<string>();
    const report = (span: Span, severity: Severity, message: string, what: string): void => {
      const k = `${span.start}:${what}`;
      if (reported.has(k)) return;
      reported.add(k);
      ctx.report({ severity, message, span, what });
    };

    // Debug logging switched on in the workflow's own env.
    const debugEnvs = [...model.env.map((e) => ({ e, where: 'the workflow' })), ...model.jobs.flatMap((j) => [
      ...j.env.map((e) => ({ e, where: `job \`${j.id}\`` })),
      ...j.steps.flatMap((s) => s.env.map((e) => ({ e, where: `step \`${s.label}\` of job \`${j.id}\`` }))),
    ])];
    for (const { e, where } of debugEnvs) {
      if ((e.name === 'ACTIONS_STEP_DEBUG' || e.name === 'ACTIONS_RUNNER_DEBUG') && isTrue(e.value?.value)) {
        report(e.key.span, 'medium', `\`${e.name}: true\` in ${where} turns on debug logging, which prints expression values, inputs and environment that the log masker may not know as secrets; enable debug logging for a single re-run from the UI instead.`, `debug-env/${where}/${e.name}`);
      }
    }

    // fromJSON(secrets.X).field: the derived value is never registered with the masker.
    const allStrings = new Set<TString>([...model.jobs.flatMap((j) => j.strings), ...model.env.flatMap((e) => (e.value ? [e.value] : []))]);
    for (const str of allStrings) {
      for (const occ of str.exprs) {
        if (!occ.parsed.ast) continue;
        if (derivedSecretFields(occ.parsed.ast).length === 0) continue;
        const expr = `\${{${occ.part.text}}}`.replace(/\s+/g, ' ');
        report(occ.span, 'high', `\`${expr}\` takes a field out of a JSON secret: the log masker only knows the whole secret, so the field is shown in clear wherever the log echoes this value (the step's script, env and with: are printed). Store the field as its own secret, or mask it with \`::add-mask::\` in an earlier step.`, `fromjson/${occ.part.text.trim()}`);
      }
    }

    for (const job of model.jobs) scanJob(ctx, job, secretInputs, report);
  },
};

function scanJob(
  ctx: CheckContext,
  job: Job,
  secretInputs: Set<string> | undefined,
  report: (span: Span, severity: Severity, message: string, what: string) => void,
): void {
  const { model, analysis } = ctx;
  const facts = model.kind === 'workflow' ? analysis.facts(job) : undefined;
  const secretFiles: { name: string; step: Step }[] = [];

  for (const step of job.steps) {
    const where = stepWhere(job, step);
    const envSecrets = secretEnvNames(model, job, step, secretInputs);
    const scan: StepScan = { secretVars: new Set(envSecrets.keys()), secretInputs };
    // Tracing and dumps: the GITHUB_TOKEN alone is registered with the masker and rarely transformed.
    const strongEnv = secretEnvNames(model, job, step, secretInputs, true);
    const strongInline = carriesSecret(step.run, secretInputs, true);

    // shell: bash -x {0}
    const shell = step.shell ?? job.defaultShell;
    if (step.run && shell && /(^|\s)(bash|sh|zsh)\s+(-\w*x\w*\s+)*-\w*x\w*(\s|$)/.test(shell) && (strongEnv.size > 0 || strongInline)) {
      const shellNode = step.node.pairs.find((p) => p.key.text === 'shell')?.value ?? step.runKey;
      report(shellNode!.span, 'medium', `\`shell: ${shell}\` traces every command of ${where}, which has secrets in its environment or script; values derived from them are printed unmasked. Drop \`-x\`.`, `${job.id}/${step.key}/shell-xtrace`);
    }

    if (actionName(step) === 'actions/upload-artifact') {
      const paths = (withText(step, 'path') ?? '').split(/\r?\n/).map((p) => p.trim().replace(/^\.\//, '')).filter(Boolean);
      const broad = paths.some((p) => p === '.' || p === '' || p === '*' || p === '**' || p === '**/*' || /^\$\{\{\s*github\.workspace\s*\}\}\/?$/.test(p));
      for (const f of secretFiles) {
        const fname = f.name.replace(/^\.\//, '');
        if (broad || paths.some((p) => p === fname || fname.startsWith(`${p.replace(/\/$/, '')}/`) || (p.includes('*') && globish(p, fname)))) {
          report(step.uses!.node.span, 'high', `${where} uploads \`${fname}\`, which step \`${f.step.label}\` wrote a secret into; anyone who can read the run's artifacts gets it. Delete the file before uploading, or narrow \`path:\`.`, `${job.id}/${step.key}/upload/${fname}`);
          break;
        }
      }
      // The checkout's own token in .git/config is token-in-artifact's finding.
    }

    if (actionName(step) === 'actions/github-script') {
      const script = step.with.get('script')?.value;
      if (script) {
        const lines = script.value.split(/\r?\n/);
        lines.forEach((line, idx) => {
          if (!/console\.(log|info|warn|error|debug)\s*\(|core\.(info|debug|notice|warning|error|setOutput|summary)/.test(line)) return;
          const fake: TString = { ...script, exprs: script.exprs.filter((o) => line.includes(`\${{${o.part.text}}}`)) };
          const viaEnv = [...line.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)|process\.env\[['"]([^'"]+)['"]\]/g)].some((m) => scan.secretVars.has((m[1] ?? m[2])!));
          if (carriesSecret(fake, secretInputs) || viaEnv) {
            report(locateInString(model, script, idx, line.trim()), 'medium', `${where} logs a secret from its github-script; GitHub masks only the exact value, and any transformation is printed in clear. Do not log secrets.`, `${job.id}/${step.key}/script-log/${line.trim()}`);
          }
        });
      }
    }

    if (!step.run) continue;
    const run = step.run;
    const pipelines = parseShell(run.value);
    for (const p of pipelines) {
      const cmds = p.commands;
      // Shell variables assigned from secrets inside the script: TOKEN="${{ secrets.X }}".
      for (const c of cmds) {
        const assign = /^(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(c.words.join(' '));
        if (assign && wordCarriesSecret(assign[2]!, run, scan)) scan.secretVars.add(assign[1]!);
      }
      // `export X=...` also handled above via the joined words.
      const first = cmds[0]!;
      const c0 = (first.args[0] ?? '').toLowerCase();
      const line = p.text.trim();
      const cmdText = line.length > 60 ? `${line.slice(0, 57)}...` : line;
      const loc = (needle?: string): Span => locateInString(model, run, p.line, needle ?? first.words[0]);

      if (cmds.some(isXtrace)) {
        if (strongEnv.size > 0 || strongInline) {
          const c = cmds.find(isXtrace)!;
          report(loc(c.words.join(' ')), 'medium', `\`${c.words.join(' ')}\` traces every command of ${where}, which has secrets in its environment or script; values derived from them are printed unmasked. Remove the tracing or turn it off (\`set +x\`) around secret use.`, `${job.id}/${step.key}/xtrace`);
        }
      }

      // cat $GITHUB_ENV
      if (cmds.some((c) => (c.args[0] === 'cat' || c.args[0] === 'more' || c.args[0] === 'less' || c.args[0] === 'tail' || c.args[0] === 'head') && c.args.some((a) => /\$\{?GITHUB_ENV\}?/.test(a))) && destination(cmds).some((d) => d.kind === 'log')) {
        if (facts?.holdsSecrets || envSecrets.size > 0) {
          report(loc('GITHUB_ENV'), 'medium', `\`${cmdText}\` in ${where} prints $GITHUB_ENV, which holds every value earlier steps exported, secrets included. Do not print it.`, `${job.id}/${step.key}/cat-github-env`);
        }
      }

      // Environment dumps.
      const dump = cmds.find((c) => isDump(c, scan));
      if (dump && cmds.indexOf(dump) === 0 && strongEnv.size > 0 && destination(cmds).some((d) => d.kind === 'log')) {
        report(loc(dump.words[0]), 'medium', `\`${cmdText}\` in ${where} prints the environment, which holds ${[...strongEnv.keys()].slice(0, 3).map((n) => `\`${n}\``).join(', ')} from secrets. Print only the variables you need.`, `${job.id}/${step.key}/dump/${dump.words.join(' ')}`);
      }

      // Inline programs: `python -c "print(os.environ['TOKEN'])"`, `node -e`, `ruby -e`, or one fed by a heredoc.
      const inline = cmds.length > 0 ? inlineProgramSecret(cmds[cmds.length - 1]!, run, scan, strongEnv.size > 0) : null;
      if (inline) {
        report(loc(inline.cmd.words.join(' ')), 'medium', `\`${cmdText}\` in ${where} prints ${inline.secret} from an inline \`${inline.program}\` program; GitHub masks only the exact registered value, so a sliced, decoded or JSON-wrapped secret leaks. Do not print secrets from scripts.`, `${job.id}/${step.key}/inline/${line}`);
        continue;
      }

      // Printing a secret: echo/printf (or an encoder fed directly), possibly through a pipeline.
      let secret: string | null = null;
      if (PRINTERS.has(c0) || STRICT_ENCODERS.has(c0) || c0 === 'cat') {
        const text = first.words.slice(1).join(' ');
        if (/::add-mask::/.test(text)) continue;
        secret = commandSecret(first, run, scan);
      }
      if (!secret) continue;
      const transformed = cmds.some((c, i) => (i > 0 || !PRINTERS.has(c0)) && ENCODERS.has((c.args[0] ?? '').toLowerCase()));
      for (const d of destination(cmds)) {
        if (d.kind === 'log') {
          const setOutput = /::set-output\s/.test(first.words.join(' '));
          const encoders = cmds.map((c) => (c.args[0] ?? '').toLowerCase()).filter((x, i) => ENCODERS.has(x) && (i > 0 || !PRINTERS.has(c0)));
          report(loc(), transformed ? 'high' : 'medium',
            transformed
              ? `\`${cmdText}\` in ${where} prints ${secret} through \`${encoders.join(' | ')}\`: the encoded value is not the registered secret, so the log shows it in clear. Do not print secrets in any form.`
              : setOutput
                ? `\`${cmdText}\` in ${where} sets a step output to ${secret} with the deprecated \`::set-output\` command, which also writes it to the log. Use $GITHUB_OUTPUT, and only for values that are not secret.`
                : `\`${cmdText}\` in ${where} prints ${secret} to the log; GitHub masks only the exact registered value, so multi-line, JSON or partially printed secrets leak. Do not echo secrets (\`echo "::add-mask::…"\` is fine).`,
            `${job.id}/${step.key}/print/${line}`);
        } else if (d.kind === 'output') {
          report(loc(), 'medium', `\`${cmdText}\` in ${where} writes ${secret} to $${d.name}: ${/SUMMARY/.test(d.name) ? 'the job summary is shown on the run page' : 'step outputs are passed on and printed by the steps and jobs that read them'}. Keep secrets in \`secrets.*\` and pass them by name.`, `${job.id}/${step.key}/output/${line}`);
        } else if (d.kind === 'file') {
          secretFiles.push({ name: d.name, step });
        }
      }
    }
  }
}

const INLINE_INTERPRETERS = /^(python[0-9.]*|node|ruby|perl|php|deno|bun)$/;
const PRINT_CALL = /\bprint\s*\(|\bprint\s+[^=(]|console\.(log|info|warn|error|debug)\s*\(|process\.stdout\.write|sys\.stdout\.write|\bputs\b|\bp\s|\bsay\b|\becho\b|\bprintf\b|\bvar_dump\b|\bprint_r\b/;
/** Reads of one environment variable in Python, JavaScript, Ruby, Perl and PHP. */
const ENV_READ = /os\.environ\s*\[\s*['"]([A-Za-z_]\w*)['"]|os\.(?:environ\.get|getenv)\s*\(\s*['"]([A-Za-z_]\w*)['"]|process\.env\.([A-Za-z_]\w*)|process\.env\[\s*['"]([A-Za-z_]\w*)['"]|ENV(?:\.fetch\(|\[)\s*['"]([A-Za-z_]\w*)['"]|\$ENV\{\s*['"]?([A-Za-z_]\w*)|getenv\(\s*['"]([A-Za-z_]\w*)['"]|Deno\.env\.get\(\s*['"]([A-Za-z_]\w*)['"]/g;
/** The whole environment printed: `print(os.environ)`, `console.log(process.env)`, `puts ENV.to_h`. */
const ENV_DUMP = /(print|console\.log|puts|p|var_dump|print_r)\s*\(?\s*(dict\()?(os\.environ|process\.env|ENV(\.to_h)?|\$_ENV|getenv\(\))\s*\)?\s*\)?\s*(;|$|\n)/m;

/** A secret an inline interpreter program prints to stdout (not redirected), or null. */
interface InlinePrint {
  secret: string;
  program: string;
  cmd: ShellCommand;
}

function inlineProgramSecret(cmd: ShellCommand, str: TString, scan: StepScan, envHoldsSecrets: boolean): InlinePrint | null {
  const [c0, ...rest] = cmd.args;
  const base = (c0 ?? '').split('/').pop() ?? '';
  if (!INLINE_INTERPRETERS.test(base)) return null;
  if (cmd.redirects.some((r) => /^(\d*|&)?>>?$/.test(r.op) && !r.op.startsWith('2'))) return null;
  const flag = rest.findIndex((a) => a === '-c' || a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '-E');
  const code = flag >= 0 ? cmd.words[flag + 2] ?? '' : cmd.heredoc ?? '';
  if (!code) return null;
  const program = flag >= 0 ? `${c0} ${rest[flag]}` : `${c0} <<heredoc`;
  const prints = PRINT_CALL.test(code) || rest[flag] === '-p' || rest[flag] === '--print';
  if (!prints) return null;
  if (envHoldsSecrets && ENV_DUMP.test(code)) return { secret: 'the whole environment', program, cmd };
  for (const m of code.matchAll(ENV_READ)) {
    const name = m.slice(1).find(Boolean);
    if (name && scan.secretVars.has(name) && !onlyMeasured(code, m.index, m[0].length)) return { secret: `$${name}`, program, cmd };
  }
  const inExpr = wordCarriesSecret(code, str, scan);
  return inExpr ? { secret: inExpr, program, cmd } : null;
}

/**
 * Whether an environment read is only measured or tested, never printed itself: `len(...)`,
 * `bool(...)`, `.length`, `.size`, `.empty?`, `is None`, `!= ''`. Such a program prints a number
 * or a boolean.
 */
function onlyMeasured(code: string, at: number, length: number): boolean {
  const before = code.slice(Math.max(0, at - 8), at);
  const after = code.slice(at + length, at + length + 24).replace(/^['"]?\s*[)\]}]?/, '');
  if (/\b(len|bool)\(\s*$/.test(before)) return true;
  return /^(\.length\b|\.size\b|\.empty\?|\.nil\?|\s*(is\s+(not\s+)?None\b|[!=]==?\s*(''|""|None\b|null\b|undefined\b|nil\b)))/.test(after);
}

function globish(pattern: string, file: string): boolean {
  // \u0000 stands in for `**` while `*` is rewritten: a character no path holds.
  // eslint-disable-next-line no-control-regex -- the \u0000 placeholder above, on purpose
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
  return re.test(file);
}
