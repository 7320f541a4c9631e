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
