// What the figures were measured on.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const tryRun = (cmd, args, opts) => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], ...opts }).toString().trim();
  } catch {
    return undefined;
  }
};

export function describeMachine() {
  let cpu = os.cpus()[0]?.model?.trim() ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux
  }
  let distro = `${os.type()} ${os.release()}`;
  try {
    const m = /PRETTY_NAME="?([^"\n]+)"?/.exec(readFileSync('/etc/os-release', 'utf8'));
    if (m) distro = `${m[1]}, kernel ${os.release()}`;
  } catch {
    // no os-release
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: distro,
    arch: os.arch(),
    node: process.version,
    git: (tryRun('git', ['--version']) ?? 'git not found').replace(/^git version /, ''),
  };
}

/** The 1-minute load average now, and how many cores it is spread over. */
export function load() {
  return { load1: Math.round(os.loadavg()[0] * 100) / 100, cores: os.availableParallelism() };
}

/** The project's commit and whether the tree differs from it. */
export function projectRevision(root) {
  const head = tryRun('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }) ?? 'unknown';
  const dirty = tryRun('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'rules', 'scripts/build.mjs'], { cwd: root });
  return { head, dirty: Boolean(dirty) };
}

/**
 * What the first touch of a page of memory costs here, against writing it again: a fresh node
 * fills 64 MiB twice; the first fill takes a page fault per 4 KiB page, the second none. On a
 * virtual machine whose host backs guest memory lazily a fault is dear, and every short-lived
 * process (the hook, node -e 0) pays it for each page it uses. The median of three.
 */
export function pageFaultCost() {
  const probe =
    'const now = () => process.hrtime.bigint(); const pages = 16384; const b = Buffer.alloc(pages * 4096);' +
    'const a = now(); b.fill(1); const c = now(); b.fill(2); const d = now();' +
    'process.stdout.write(JSON.stringify({ firstUs: Number(c - a) / 1e3 / pages, againUs: Number(d - c) / 1e3 / pages }));';
  const runs = [0, 1, 2].map(() => tryRun(process.execPath, ['-e', probe])).filter(Boolean).map((s) => JSON.parse(s));
  if (!runs.length) return undefined;
  const mid = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return {
    firstTouchUs: Math.round(mid(runs.map((r) => r.firstUs - r.againUs)) * 100) / 100,
    writeUs: Math.round(mid(runs.map((r) => r.againUs)) * 1000) / 1000,
  };
}
