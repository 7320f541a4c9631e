import { defaultConfig, type KeyfenceConfig } from '../../src/config/config.js';
import { Engine } from '../../src/engine/engine.js';
import type { Finding } from '../../src/findings/finding.js';
import type { Fragment } from '../../src/sources/fragment.js';

/** An engine over the built-in rules with `changes` applied to the default configuration. */
export function engineWith(changes: Partial<KeyfenceConfig> = {}): Engine {
  return new Engine({ ...defaultConfig(), ...changes });
}

/** Scans whole files (path -> text) and returns every finding, `finish()` included. */
export function scanFiles(engine: Engine, files: Record<string, string>): Finding[] {
  const out: Finding[] = [];
  for (const [file, text] of Object.entries(files)) out.push(...engine.scan({ file, text, firstLine: 1 } satisfies Fragment));
  return [...out, ...engine.finish()];
}

/** `file:line ruleId environment category severity`: one greppable line per finding. */
export function brief(f: Finding): string {
  return `${f.file}:${f.line} ${f.ruleId} ${f.environment} ${f.category} ${f.severity}`;
}
