// Runs one command (or a sequence of commands, timed as one) and measures wall time, peak RSS and
// page faults. Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the largest resident set of the
// process and its waited-for children) when it exists, else from polling /proc/<pid>/status (VmHWM)
// of the process tree every 10 ms. Page faults (`%R`: minor faults, the first touch of a page of
// memory, of the process and its children) only with GNU time: where a fault is dear (a virtual
// machine whose host backs memory lazily), they are much of what a short-lived process costs.

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = (() => {
  try {
    // GNU time has -f; busybox's and the shell keyword's do not.
    execFileSync('/usr/bin/time', ['-f', '%M', 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return '/usr/bin/time';
  } catch {
    return undefined;
  }
})();

export const rssMethod = GNU_TIME ? 'GNU time (%M: max resident set size; %R: minor page faults, the process and the children it waited for)' : '/proc/<pid>/status VmHWM, polled every 10 ms (no page faults)';

let seq = 0;

function treeHwmKb(pid) {
  let kb = 0;
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) kb = Number(m[1]);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) kb = Math.max(kb, treeHwmKb(Number(child)));
    }
  } catch {
    // The process ended between two reads.
  }
  return kb;
}

/**
 * step: { argv: [cmd, ...args], cwd, env?, capture?: boolean (keep stdout/stderr text) }
 * Returns { ms, rssKb, faults, code, signal, timedOut, stdout, stderr, stdoutBytes }.
 */
function runStep(step, timeoutMs) {
  return new Promise((resolve) => {
    const timeFile = GNU_TIME ? join(tmpdir(), `keyfence-bench-${process.pid}-${++seq}.time`) : undefined;
    const argv = GNU_TIME ? [GNU_TIME, '-f', '%M %R', '-o', timeFile, ...step.argv] : step.argv;
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: step.cwd,
      env: { ...process.env, ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group: a timeout kills the whole tree
    });
    let stdoutBytes = 0;
    const out = [];
    const err = [];
    let errBytes = 0;
    child.stdout.on('data', (d) => {
      stdoutBytes += d.length;
      if (step.capture) out.push(d);
    });
    child.stderr.on('data', (d) => {
      // Keep the start and the end of stderr: errors are at the start, summaries at the end.
      errBytes += d.length;
      if (step.capture || errBytes < 1 << 20) err.push(d);
    });
    let polled = 0;
    const poll = GNU_TIME ? undefined : setInterval(() => (polled = Math.max(polled, treeHwmKb(child.pid))), 10);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ ms: 0, rssKb: 0, code: -1, timedOut: false, stdout: '', stderr: String(error.message), stdoutBytes: 0, spawnError: true });
    });
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let rssKb = polled;
      let faults;
      let exitCode = code;
      if (timeFile) {
        try {
          const text = readFileSync(timeFile, 'utf8').trim().split('\n');
          const [rss, minor] = text[text.length - 1].split(' ').map(Number);
          rssKb = rss || 0;
          faults = Number.isFinite(minor) ? minor : undefined;
          // GNU time reports a signalled child as "Command terminated by signal N" and exits 128+N.
          const exited = text.find((l) => l.startsWith('Command exited with non-zero status'));
          if (exited) exitCode = Number(exited.split(' ').pop());
        } catch {
          // killed before time wrote its file
        }
        rssSync(timeFile);
      }
      resolve({
        ms,
        rssKb,
        faults,
        code: exitCode,
        signal,
        timedOut,
        stdoutBytes,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

function rssSync(file) {
  try {
    rmSync(file, { force: true });
  } catch {
    // ignore
  }
}

/**
 * Runs a tool's steps in order, timed as one: wall time and page faults are the sums, peak RSS the largest. Stops at
 * the first step that fails or times out. `timeoutMs` bounds the whole sequence.
 */
export async function runTool(tool, timeoutMs) {
  let ms = 0;
  let rssKb = 0;
  let faults = 0;
  let last;
  for (const step of tool.steps) {
    last = await runStep(step, Math.max(1, timeoutMs - ms));
    ms += last.ms;
    rssKb = Math.max(rssKb, last.rssKb);
    faults = last.faults === undefined || faults === undefined ? undefined : faults + last.faults;
    const ok = (step.okCodes ?? [0]).includes(last.code);
    if (last.timedOut || !ok) return { ...last, ms, rssKb, faults, ok: false };
  }
  return { ...last, ms, rssKb, faults, ok: true };
}
