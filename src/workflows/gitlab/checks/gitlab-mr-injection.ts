/**
 * gitlab-mr-injection: text a merge request's author chooses (title, description, commit message,
 * branch name) used where it becomes code or configuration. The shell does not re-read what a
 * variable expands to, so `echo "$CI_COMMIT_MESSAGE"` is safe; but `eval`, `sh -c`, `python -c`,
 * `ssh host "…"` and an unquoted heredoc fed to a shell parse it again, and a line written to a
 * dotenv report becomes a variable of every later job that loads it. Unquoted free text is split
 * into words and globbed: extra arguments to the command.
 */
import type { Severity } from '../../../findings/finding.js';
import { jobWhere, type GitlabCheck } from '../check.js';
import { locateIn } from '../facts.js';
import type { ShellCommand } from '../../shell.js';
import { MR_CONTROLLED, MR_FREE_TEXT } from './mrText.js';

const INTERPRETERS = /^(python[0-9.]*|node|ruby|perl|php|pwsh|powershell)$/;
const SHELLS = /^(sh|bash|zsh|dash|ksh|ash)$/;
const PRINTERS = new Set(['echo', 'printf']);

function mrVars(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g)) if (MR_CONTROLLED.has(m[1]!) && !out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

/** The word with its quoted parts removed: what the shell splits and globs. */
function unquotedPart(word: string): string {
  return word.replace(/"(?:[^"\\]|\\.)*"/g, '').replace(/'[^']*'/g, '');
}

/** Where the command parses its arguments again as code. */
function codeContext(c: ShellCommand): string | null {
  const [c0, ...rest] = c.args;
  if (!c0) return null;
  if (c0 === 'eval') return '`eval`';
  if (SHELLS.test(c0) && rest.some((a) => /^-[a-z]*c[a-z]*$/.test(a))) return `\`${c0} -c\``;
  if (INTERPRETERS.test(c0) && rest.some((a) => /^-(c|e|r|Command)$/.test(a))) return `\`${c0} ${rest.find((a) => /^-(c|e|r|Command)$/.test(a))}\``;
  if (c0 === 'ssh') return 'the remote shell of `ssh`';
  if (c0 === 'su' && rest.includes('-c')) return '`su -c`';
  return null;
}

export const gitlabMrInjection: GitlabCheck = {
  id: 'gitlab-mr-injection',
  category: 'workflow',
  description: 'Merge-request text (title, description, commit message, branch name) is run as code, written to a dotenv report, or split into command arguments.',
  run({ model, facts, report }) {
    for (const job of model.jobs) {
      if (job.hidden) continue;
      const where = jobWhere(model, job);
      const dotenv = new Set(job.dotenv.map((d) => d.text.replace(/^\.\//, '')));
      for (const { item, pipeline } of facts(job).pipelines) {
        for (const c of pipeline.commands) {
          const say = (severity: Severity, name: string, message: string, kind: string): void => {
            report({ severity, message, at: locateIn(item.str, pipeline.line, `$${name}`), what: `${job.id}/${kind}/${name}/${pipeline.text.trim()}` });
          };
          const heredocFed = c.heredoc !== undefined && !c.redirects.some((r) => /^<<-?$/.test(r.op) && /^['"]|^\\/.test(r.target));
          // shell.ts drops `eval` as a wrapper: it is read from the line itself.
          const evaled = pipeline.commands.length === 1 && /^\s*eval\s/.test(pipeline.text);
          const ctx = codeContext(c) ?? (evaled ? '`eval`' : null) ?? (heredocFed && (SHELLS.test(c.args[0] ?? '') || INTERPRETERS.test(c.args[0] ?? '')) ? `the heredoc fed to \`${c.args[0]}\`` : null);
          const words = (evaled ? c.words : c.words.slice(1)).join(' ') + (heredocFed ? `\n${c.heredoc}` : '');
          const inCode = ctx ? mrVars(words) : [];
          for (const name of inCode) {
            say('high', name, `${where} puts \`$${name}\` into code that ${ctx} parses again: whoever writes it (the merge request's author) runs commands with the job's variables. Pass it as data (an argument or environment variable the code reads, never part of the code).`, 'code');
          }
          const target = c.redirects.find((r) => /^(\d*)>>?$/.test(r.op))?.target.replace(/^\.\//, '').replace(/^["']|["']$/g, '');
          const tee = c.args[0] === 'tee' ? c.args.slice(1).find((a) => !a.startsWith('-'))?.replace(/^\.\//, '') : undefined;
          const file = [target, tee].find((t) => t !== undefined && dotenv.has(t));
          if (file) {
            const first = pipeline.commands[0]!;
            for (const name of mrVars(first.words.join(' ')).filter((n) => !inCode.includes(n))) {
              say('high', name, `${where} writes \`$${name}\` to its dotenv report ${file}: a newline in it adds any variable the author wants to every job that loads this report (\`needs:\`/\`dependencies:\`). Write only values you computed, and strip newlines.`, 'dotenv');
            }
          }
          if (ctx || PRINTERS.has(c.args[0] ?? '')) continue;
          for (const w of c.words.slice(1)) {
            for (const name of mrVars(unquotedPart(w))) {
              if (!MR_FREE_TEXT.includes(name)) continue;
              say('medium', name, `${where} expands \`$${name}\` unquoted as an argument of \`${c.args[0]}\`: the shell splits it into words and expands globs, so its author adds arguments (options such as \`-o\` or \`--upload-file\`). Quote it: \`"$${name}"\`.`, 'unquoted');
            }
          }
        }
      }
    }
  },
};
