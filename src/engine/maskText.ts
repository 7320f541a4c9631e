import { loadBuiltinRules } from '../rules/builtinRules.js';
import { compileRule } from './compiledRule.js';
import { Scanner } from './scanner.js';
import { redactSecret } from '../findings/redact.js';

/**
 * The masking stage for free text: error messages and stacks, which quote what they complain about
 * (a config value, an unknown setting, a regex) and so can hold a key a user pasted in the wrong
 * place. Every value the built-in rules recognise is replaced by its redacted form, as reports show
 * it. Loaded only when an error is printed.
 */
let scanner: Scanner | undefined;

/** Categories whose matched value is a credential (not a host name, a variable name or a command). */
const CREDENTIALS = new Set(['live-key', 'generic-secret', 'fixture', 'env-crossover']);

/** Long tokens of the characters keys are made of, mixing letters and digits: the fallback. */
const TOKEN = /[A-Za-z0-9_+=-]{20,}/g;

export function maskSecrets(text: string): string {
  if (!text) return text;
  let found;
  try {
    scanner ??= new Scanner(loadBuiltinRules().map(({ spec, origin }) => compileRule(spec, origin)));
    found = scanner.scan({ file: 'message.txt', text }, 'unknown');
  } catch {
    // The rules themselves cannot be loaded (a broken install): mask every long random-looking token.
    return text.replace(TOKEN, (t) => (/[0-9]/.test(t) && /[A-Za-z]/.test(t) ? redactSecret(t) : t));
  }
  const secrets = found.filter((f) => f.secret && CREDENTIALS.has(f.category)).sort((a, b) => b.secret.length - a.secret.length);
  let out = text;
  for (const f of secrets) out = out.split(f.secret).join(redactSecret(f.secret, f.category !== 'generic-secret'));
  return out;
}
