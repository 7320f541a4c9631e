import type { KeyfenceConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { compileRule, RuleError } from './compiledRule.js';
import { Engine } from './engine.js';
import { checkRegexSafetyCached } from './regexSafety.js';

/**
 * Builds the engine for a command. Custom rules from keyfence.yml are compiled first (a broken one
 * is a configuration error naming its place in the file), then proven free of catastrophic
 * backtracking (the built-in ones are proven by the test suite): one hostile or careless regex
 * must not be able to hang a pre-commit hook.
 */
export async function createEngine(config: KeyfenceConfig): Promise<Engine> {
  for (const { spec, origin } of config.rules) {
    try {
      compileRule(spec, origin);
    } catch (error) {
      if (error instanceof RuleError) throw new UserError(error.message, 'custom rules have the shape of rules/README.md');
      throw error;
    }
    const patterns = [
      ['regex', spec.regex, spec.flags ?? ''],
      ['path', spec.path, 'i'],
      ...(spec.allow ?? []).map((a, i) => [`allow[${i}]`, a, ''] as const),
      ...(spec.allowLine ?? []).map((a, i) => [`allowLine[${i}]`, a, 'i'] as const),
      ...(spec.requires ? [['requires.after', spec.requires.after, 'm'] as const, ['requires.until', spec.requires.until, 'm'] as const] : []),
    ] as const;
    for (const [field, source, flags] of patterns) {
      if (typeof source !== 'string') continue;
      const verdict = await checkRegexSafetyCached(source, flags.replace(/[^imsu]/g, ''));
      if (verdict.status === 'vulnerable')
        throw new UserError(
          `${origin}: rule ${spec.id}: \`${field}\` can backtrack catastrophically (${verdict.complexity ?? 'super-linear'} time, e.g. on "${verdict.attack ?? '?'}")`,
          'bound the repetition (e.g. {0,40} instead of *), and avoid nested or overlapping quantifiers',
        );
    }
  }
  return new Engine(config);
}
