import type { KeyfenceConfig } from '../config/config.js';
import { loadBuiltinRules } from '../rules/builtinRules.js';
import { checkCustomRule } from './customRules.js';
import { Engine } from './engine.js';

/**
 * Builds the engine for a command. Custom rules from keyfence.yml are checked first (see
 * checkCustomRule: an id clash with a built-in rule, a rule that does not compile, a regex that can
 * backtrack catastrophically, examples that misbehave), each a configuration error naming its place
 * in the file; the built-in ones are proven by the test suite. One hostile or careless regex must
 * not be able to hang a pre-commit hook.
 */
export async function createEngine(config: KeyfenceConfig): Promise<Engine> {
  if (config.rules.length > 0) {
    const builtinIds = new Set(loadBuiltinRules().map((r) => r.spec.id));
    for (const rule of config.rules) await checkCustomRule(rule, builtinIds);
  }
  return new Engine(config);
}
