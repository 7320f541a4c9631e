import type { KeyfenceConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { Engine } from './engine.js';
import { checkRegexSafetyCached } from './regexSafety.js';

/**
 * Builds the engine for a command. Custom rules from keyfence.yml are proven free of catastrophic
 * backtracking first (the built-in ones are proven by the test suite): one hostile or careless
 * regex must not be able to hang a pre-commit hook.
 */
export async function createEngine(config: KeyfenceConfig): Promise<Engine> {
  for (const { spec, origin } of config.rules) {
    const patterns = [
      ['regex', spec.regex, spec.flags ?? ''],
      ...(spec.allow ?? []).map((a, i) => [`allow[${i}]`, a, ''] as const),
      ...(spec.allowLine ?? []).map((a, i) => [`allowLine[${i}]`, a, 'i'] as const),
      ...(spec.requires ? [['requires.after', spec.requires.after, 'm'] as const, ['requires.until', spec.requires.until, 'm'] as const] : []),
    ] as const;
    for (const [field, source, flags] of patterns) {
      if (typeof source !== 'string') continue;
      let verdict;
      try {
        verdict = await checkRegexSafetyCached(source, flags.replace(/[^imsu]/g, ''));
      } catch {
        continue; // Not a valid regex: compileRule reports that with a better message.
      }
      if (verdict.status === 'vulnerable')
        throw new UserError(
          `${origin}: rule ${spec.id}: \`${field}\` can backtrack catastrophically (${verdict.complexity ?? 'super-linear'} time, e.g. on "${verdict.attack ?? '?'}")`,
          'bound the repetition (e.g. {0,40} instead of *), and avoid nested or overlapping quantifiers',
        );
    }
  }
  return new Engine(config);
}
