import { parseArgs } from 'node:util';
import { loadBuiltinRules } from '../../rules/builtinRules.js';
import { ENV_CROSSOVER, PROD_HOST_DOMAIN } from '../../rules/policyRules.js';
import type { Command } from '../command.js';
import { UserError } from '../../errors.js';

export const command: Command = {
  summary: 'list the built-in rules (--format json for machines)',
  usage: `Usage: keyfence rules [--format text|json]

Lists the built-in rules with their category and severity.`,
  async run(context) {
    let format: string;
    try {
      format = (parseArgs({ args: context.args, options: { format: { type: 'string', short: 'f' } } }).values.format as string | undefined) ?? 'text';
    } catch (error) {
      throw new UserError(`rules: ${(error as Error).message}`);
    }
    if (format !== 'text' && format !== 'json') throw new UserError(`rules: unknown format "${format}"`, 'use text or json');
    // The engine's own rules (cross-file reuse, configured production domains) are rules too.
    const specs = [...loadBuiltinRules().map(({ spec }) => spec), ENV_CROSSOVER, PROD_HOST_DOMAIN];
    const rules = specs.map((spec) => ({
      id: spec.id,
      category: spec.category,
      severity: spec.severity,
      description: spec.description,
    }));
    if (format === 'json') {
      context.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...rules.map((r) => r.id.length));
    for (const r of rules) context.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.category.padEnd(14)}  ${r.description}\n`);
    context.stdout.write(`${rules.length} rules\n`);
    return 0;
  },
};
