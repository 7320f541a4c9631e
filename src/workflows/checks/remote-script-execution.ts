/**
 * remote-script-execution: a `run:` step downloads a script and runs it (`curl … | bash`,
 * `bash <(curl …)`, `wget -O- … | sh`, `iwr … | iex`, `iex (…DownloadString(…))`, or a download
 * to a file that is then run without a checksum or signature check) in a job that holds secrets or
 * a token that can write.
 * Whoever controls the server, the domain or the file at that URL runs code with them, and unlike an
 * action there is no ref to pin. A raw GitHub URL at a full commit SHA is immutable and not reported.
 */
import { stepWhere, triggerRelated, type WorkflowCheck } from '../check.js';
import type { JobFacts } from '../analysis.js';
import type { TString } from '../model.js';
import { locateInString } from '../locate.js';
import { parseShell, type ShellCommand } from '../shell.js';
import type { Severity } from '../../findings/finding.js';
import { inReach, narrowReach, secretRelated } from '../reach.js';

/** Commands that fetch a URL. */
const FETCHERS = /^(curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)$/i;
/** Programs that run the script they read (from stdin, a file or `-c`). */
const RUNNERS = /^(bash|sh|zsh|dash|ksh|fish|python[23]?(\.\d+)?|node|ruby|perl|php|pwsh|powershell|iex|invoke-expression)$/i;
/** Commands that check a file against a known digest or signature before it runs. */
const VERIFIERS = /\b(sha(1|224|256|384|512)sum|shasum|b2sum|md5sum)\b[^\n]*(-c\b|--check\b)|\bgpg2?\b[^\n]*--verify\b|\bcosign\s+verify|\bminisign\b[^\n]*-V\b|\bslsa-verifier\b|\bgh\s+attestation\s+verify\b|Get-FileHash/i;

function baseName(word: string): string {
  return (word.split('/').pop() ?? word).toLowerCase();
}

/** The URL a fetch command names: the first argument with a scheme, else the first `$VAR`. */
function urlOf(cmd: ShellCommand): string | undefined {
  const args = cmd.args.slice(1);
  return args.find((a) => /^[a-z]+:\/\//i.test(a)) ?? args.find((a) => a.startsWith('$'));
}

/**
 * Content that cannot change under the same URL, or that never leaves the runner: a raw file of a
 * GitHub repository at a full commit SHA, a gist revision, or a loopback address.
 */
function immutableOrLocal(url: string | undefined): boolean {
  if (!url) return false;
  if (/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])([:/]|$)/i.test(url)) return true;
  return (
    /^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/[0-9a-f]{40}\//i.test(url) ||
    /^https:\/\/github\.com\/[^/]+\/[^/]+\/(raw|blob)\/[0-9a-f]{40}\//i.test(url) ||
    /^https:\/\/gist\.githubusercontent\.com\/[^/]+\/[0-9a-f]+\/raw\/[0-9a-f]{40}\//i.test(url)
  );
}

/** The file a fetch writes (`curl -o F`, `curl -O`, `wget -O F`, `wget URL`), or null for stdout. */
function outputFile(cmd: ShellCommand, url: string | undefined): string | null {
  const name = baseName(cmd.args[0] ?? '');
  const a = cmd.args;
  const redirect = cmd.redirects.find((r) => r.op === '>' || r.op === '1>');
  if (redirect) return redirect.target.replace(/^["']|["']$/g, '');
  if (name === 'curl') {
    const i = a.findIndex((x) => x === '-o' || x === '--output');
    if (i > 0 && a[i + 1]) return a[i + 1]!;
    const joined = a.find((x) => /^-o./.test(x) && !x.startsWith('--'));
    if (joined) return joined.slice(2);
    if (a.some((x) => x === '-O' || x === '--remote-name' || (/^-[A-Za-z]*O[A-Za-z]*$/.test(x) && !x.startsWith('--')))) return url ? (url.split('?')[0]!.split('/').pop() ?? null) : null;
    return null;
  }
  if (name === 'wget') {
    const i = a.findIndex((x) => x === '-O' || x === '--output-document');
    const target = i > 0 ? a[i + 1] : a.find((x) => x.startsWith('--output-document='))?.slice('--output-document='.length) ?? a.find((x) => /^-[a-zA-Z]*O./.test(x))?.replace(/^-[a-zA-Z]*O/, '');
    if (target !== undefined) return target === '-' ? null : target;
    return url ? (url.split('?')[0]!.split('/').pop() ?? null) : null;
  }
  // PowerShell: -OutFile F.
  const i = a.findIndex((x) => /^-outfile$/i.test(x));
  return i > 0 && a[i + 1] ? a[i + 1]! : null;
}

/** Whether a command runs the file `file` (`bash f`, `./f`, `python3 f`, `sudo sh ./f`). */
function runsFile(cmd: ShellCommand, file: string): boolean {
  const norm = (p: string) => p.replace(/^\.\//, '');
  const target = norm(file);
  const [c0, ...rest] = cmd.args;
  if (!c0) return false;
  if (norm(c0) === target && (c0.includes('/') || c0 === file)) return true;
  if (!RUNNERS.test(baseName(c0))) return false;
  const script = rest.find((x) => !x.startsWith('-'));
  return script !== undefined && norm(script) === target;
}

/**
 * Whether a runner at the end of a pipe runs what it reads (`bash`, `sh -s -- --flag`, `python3 -`),
 * not a program of its own that reads the download as data (`python3 -c '…json.load(sys.stdin)…'`,
 * `node parse.js`).
 */
function runsStdin(cmd: ShellCommand): boolean {
  const name = baseName(cmd.args[0] ?? '');
  if (/^(iex|invoke-expression)$/i.test(name)) return true;
  const ownCode = /^(node|ruby|perl|php)$/i.test(name) ? ['-e', '--eval', '-r'] : /^python/i.test(name) ? ['-c', '-m'] : ['-c', '-command', '-file', '-f'];
  for (const a of cmd.args.slice(1)) {
    if (a === '--' || a === '-' || a === '-s') return true;
    if (ownCode.includes(a.toLowerCase())) return false;
    if (!a.startsWith('-')) return false;
  }
  return true;
}

interface Hit {
  line: number;
  /** Text to place the finding on, within that line. */
  needle: string;
  url: string | undefined;
  how: string;
}

function remoteRuns(run: string): Hit[] {
  const hits: Hit[] = [];
  const downloads: { file: string; url: string | undefined; line: number }[] = [];
  let verifiedBefore = false;
  for (const p of parseShell(run)) {
    if (VERIFIERS.test(p.text)) verifiedBefore = true;
    const cmds = p.commands;
    // `curl URL | bash`, `wget -qO- URL | sudo sh -s -- args`, `iwr URL | iex`.
    const fetchAt = cmds.findIndex((c) => FETCHERS.test(baseName(c.args[0] ?? '')));
    if (fetchAt >= 0) {
      const fetch = cmds[fetchAt]!;
      const url = urlOf(fetch);
      const runner = cmds.slice(fetchAt + 1).find((c) => RUNNERS.test(baseName(c.args[0] ?? '')) && runsStdin(c));
      if (runner) {
        if (!immutableOrLocal(url)) hits.push({ line: p.line, needle: p.text.trim(), url, how: `pipes it into \`${runner.args[0]}\`` });
        continue;
      }
      const file = outputFile(fetch, url);
      if (file && !immutableOrLocal(url)) downloads.push({ file, url, line: p.line });
    }
    // `bash <(curl URL)`, `sh -c "$(curl -fsSL URL)"`, `iex (iwr URL)`.
    const sub = /\b(bash|sh|zsh|dash|ksh|python3?|pwsh|iex|invoke-expression)\b[^|;&]*?(<\(|\$\(|\(\s*)\s*(curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod)\b([^)]*)/i.exec(p.text);
    if (sub && fetchAt < 0) {
      const url = /(?:https?|ftp):\/\/[^\s)"']+/i.exec(sub[4] ?? '')?.[0] ?? /\$\{?\w+\}?/.exec(sub[4] ?? '')?.[0];
      if (!immutableOrLocal(url)) hits.push({ line: p.line, needle: p.text.trim(), url, how: `runs it with \`${sub[1]}\`` });
      continue;
    }
    // PowerShell: `iex ((New-Object Net.WebClient).DownloadString('https://…'))`.
    const dl = /\b(iex|invoke-expression)\b[^|;]*?\.DownloadString\(\s*['"]?([^'")\s]+)/i.exec(p.text);
    if (dl) {
      if (!immutableOrLocal(dl[2])) hits.push({ line: p.line, needle: p.text.trim(), url: dl[2], how: `runs it with \`${dl[1]}\`` });
      continue;
    }
    // A file downloaded earlier in the step, run now with no check in between.
    if (!verifiedBefore) {
      for (const cmd of cmds) {
        const d = downloads.find((x) => runsFile(cmd, x.file));
        if (d) hits.push({ line: p.line, needle: p.text.trim(), url: d.url, how: `saves it as \`${d.file}\`, then runs it with no checksum or signature check` });
      }
    }
  }
  return hits;
}

/** What the job puts in reach of the script, and how bad that is: the downloaded code runs with it. */
function reachOf(facts: JobFacts): { what: string; severity: Severity } | null {
  const what = inReach(facts);
  return what === null ? null : { what, severity: narrowReach(facts) ? 'medium' : 'high' };
}

export const remoteScriptExecution: WorkflowCheck = {
  id: 'remote-script-execution',
  category: 'workflow',
  followsCallers: true,
  description: 'A run: step downloads a script and runs it (curl | bash, bash <(curl …), or a download run unverified) in a job that holds secrets or a write token.',
  run({ model, analysis, report }) {
    // A composite action on its own has no job facts; it is judged for each caller.
    if (model.kind === 'action' && !analysis.context) return;
    const callerTrigger = analysis.context?.triggers[0]?.trigger;
    for (const job of model.jobs) {
      const facts = analysis.facts(job);
      const reach = reachOf(facts);
      if (!reach) continue;
      for (const step of job.steps) {
        const run: TString | undefined = step.run;
        if (!run) continue;
        for (const hit of remoteRuns(run.value)) {
          const from = hit.url ? `\`${hit.url}\`` : 'a URL';
          report({
            severity: reach.severity,
            message: `${stepWhere(job, step)} downloads a script from ${from} and ${hit.how}, with ${reach.what} in reach; whoever controls that server or file runs code with them, and nothing pins what it serves. Download it to a file and check its SHA-256 (\`sha256sum -c\`) before running it, fetch it from a full commit SHA, or vendor it into the repository.`,
            span: locateInString(model, run, hit.line, hit.needle),
            // Judged for a caller: show the call chain that brings the secrets here.
            related: [...secretRelated(facts), ...(callerTrigger ? [triggerRelated(callerTrigger)] : [])],
            what: `${job.id}/${step.key}/${hit.url ?? hit.needle}`,
          });
        }
      }
    }
  },
};
