/**
 * gitlab-secret-to-log: a credential printed to the job log, the echo-leak family of shell
 * scripts. GitLab masks a variable only when it is marked masked and only its exact value: an
 * unmasked variable, an encoded or partial value, a tracing shell (`set -x`) or an environment dump
 * (`env`, `printenv`, `export -p`) shows it to everyone who can read the job log. Every CI/CD
 * variable is in every job's environment, so a dump leaks even in a job that uses none.
 */
import { jobWhere, type GitlabCheck } from '../check.js';
import { isCredentialName, locateIn } from '../facts.js';
import { referencedVariables, type ShellCommand } from '../../shell.js';

const PRINTERS = new Set(['echo', 'printf']);
const ENCODERS = new Set(['base64', 'base32', 'xxd', 'od', 'hexdump', 'rev', 'tr', 'sed', 'awk', 'cut', 'fold', 'openssl']);
const HASHES = /^(sha\d*sum|md5sum|shasum)$/;

function isXtrace(c: ShellCommand): boolean {
  const [c0, ...rest] = c.args;
  if (c0 === 'set') return rest.some((a) => /^-[a-zA-Z]*x[a-zA-Z]*$/.test(a)) || (rest[0] === '-o' && rest[1] === 'xtrace');
  return /^(bash|sh|zsh)$/.test(c0 ?? '') && rest.some((a) => /^-[a-zA-Z]*x[a-zA-Z]*$/.test(a));
}

function isDump(c: ShellCommand): boolean {
  const [c0, ...rest] = c.args;
  if (c0 === 'env' || c0 === 'printenv') return rest.filter((a) => !a.startsWith('-')).length === 0;
  if (c0 === 'export' || c0 === 'declare') return rest.length === 0 || rest.every((a) => a === '-p' || a === '-x');
  return c0 === 'set' && rest.length === 0;
}

const PASS_THROUGH = new Set([...PRINTERS, ...ENCODERS, 'cat', 'tee', 'jq', 'yq', 'head', 'tail', 'grep', 'sort', 'env', 'printenv', 'export', 'declare', 'set']);

/** Whether the pipeline's output reaches the log: ends in a command that passes it on, not redirected or hashed. */
function toLog(cmds: ShellCommand[]): boolean {
  if (cmds.some((c) => HASHES.test(c.args[0] ?? ''))) return false;
  const last = cmds[cmds.length - 1]!;
  if (!PASS_THROUGH.has(last.args[0] ?? '')) return false;
  return !last.redirects.some((r) => /^(1|&)?>>?$/.test(r.op)) || last.args[0] === 'tee';
}

export const gitlabSecretToLog: GitlabCheck = {
  id: 'gitlab-secret-to-log',
  category: 'echo-leak',
  description: 'A credential variable is printed to the GitLab job log (echo, encodings, set -x, env dumps, cat of a credential file).',
  run({ model, facts, report }) {
    for (const job of model.jobs) {
      if (job.hidden) continue;
      const where = jobWhere(model, job);
      const f = facts(job);
      const credentials = new Set(f.credentials.keys());
      for (const { item, pipeline } of f.pipelines) {
        const cmds = pipeline.commands;
        const first = cmds[0]!;
        const line = pipeline.text.trim();
        const shown = line.length > 60 ? `${line.slice(0, 57)}...` : line;
        const at = (needle?: string) => locateIn(item.str, pipeline.line, needle ?? first.words[0]);
        const what = (kind: string) => `${job.id}/${kind}/${line}`;
        const xtrace = cmds.find(isXtrace);
        if (xtrace && credentials.size > 0) {
          report({ severity: 'medium', message: `\`${xtrace.words.join(' ')}\` in ${where} traces every command, and the job reads ${[...credentials].slice(0, 3).map((n) => `\`$${n}\``).join(', ')}: each command is printed with its variables expanded, and a masked value is masked only when it appears whole. Remove the tracing, or turn it off (\`set +x\`) around credential use.`, at: at(xtrace.words.join(' ')), what: what('xtrace') });
        }
        if (isDump(first) && cmds.length === 1 && toLog(cmds)) {
          report({ severity: 'medium', message: `\`${shown}\` in ${where} prints the environment, which holds every CI/CD variable of the project, group and instance: unmasked ones in clear. Print only the variables you need.`, at: at(), what: what('dump') });
          continue;
        }
        const c0 = first.args[0] ?? '';
        if (!(PRINTERS.has(c0) || c0 === 'cat' || ENCODERS.has(c0)) || !toLog(cmds)) continue;
        const text = [...first.words.slice(1), ...first.redirects.filter((r) => r.op === '<<<').map((r) => r.target), first.heredoc ?? ''].join(' ');
        const secret = referencedVariables(text).find((n) => credentials.has(n) || isCredentialName(n));
        if (!secret) continue;
        const encoders = cmds.map((c) => c.args[0] ?? '').filter((x, i) => ENCODERS.has(x) && (i > 0 || !PRINTERS.has(c0)));
        if (c0 === 'cat') {
          report({ severity: 'medium', message: `\`${shown}\` in ${where} prints the file \`$${secret}\` names (a file-type credential variable): GitLab masks variable values, not the contents of the files they point to. Do not print credential files.`, at: at(`$${secret}`), what: what('cat') });
        } else if (encoders.length > 0) {
          report({ severity: 'high', message: `\`${shown}\` in ${where} prints \`$${secret}\` through \`${encoders.join(' | ')}\`: the encoded value is not the masked one, so the log shows it in clear. Do not print credentials in any form.`, at: at(), what: what('encoded') });
        } else {
          report({ severity: 'medium', message: `\`${shown}\` in ${where} prints \`$${secret}\` to the job log: GitLab masks only variables marked masked, and only their exact value. Do not echo credentials.`, at: at(), what: what('print') });
        }
      }
    }
  },
};
