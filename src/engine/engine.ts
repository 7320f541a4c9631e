import micromatch from 'micromatch';
import type { KeyfenceConfig } from '../config/config.js';
import { classifyPath, declaredEnvironment } from '../environment/classify.js';
import type { Environment, Finding } from '../findings/finding.js';
import type { Fragment } from '../sources/fragment.js';
import { loadBuiltinRules } from './builtinRules.js';
import { compileRule, type CompiledRule } from './compiledRule.js';
import { Scanner } from './scanner.js';

/**
 * The engine every source feeds: it knows the rules and the configuration, classifies each file's
 * environment and returns the findings of a fragment. It keeps no state between fragments.
 */
export class Engine {
  readonly rules: CompiledRule[];
  private readonly scanner: Scanner;
  private readonly environmentGlobs: Array<[Environment, string[]]>;

  constructor(readonly config: KeyfenceConfig) {
    const all = [...loadBuiltinRules(), ...config.rules];
    const byId = new Map<string, CompiledRule>();
    for (const { spec, origin } of all) {
      const override = config.overrides[spec.id];
      if (override?.enabled === false) {
        byId.delete(spec.id);
        continue;
      }
      // A custom rule with a built-in rule's id replaces it.
      const rule = compileRule(override?.severity ? { ...spec, severity: override.severity } : spec, origin);
      byId.set(spec.id, rule);
    }
    this.rules = [...byId.values()];
    this.scanner = new Scanner(this.rules);
    this.environmentGlobs = Object.entries(config.environments) as Array<[Environment, string[]]>;
  }

  /** The environment of `file`: configured globs, then a declared NODE_ENV & co., then the path. */
  environmentOf(file: string, text?: string): Environment {
    for (const [env, globs] of this.environmentGlobs) if (micromatch.isMatch(file, globs, { dot: true })) return env;
    return (text !== undefined ? declaredEnvironment(file, text) : undefined) ?? classifyPath(file);
  }

  scan(fragment: Fragment, environment = this.environmentOf(fragment.file, fragment.text)): Finding[] {
    return this.scanner.scan(fragment, environment);
  }

  /**
   * Findings that need every fragment of a run (one secret reused across environments). Every
   * command calls this once, after its last `scan`, and reports what it returns with the rest.
   */
  finish(): Finding[] {
    return [];
  }
}
