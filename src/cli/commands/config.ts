import { parseArgs } from 'node:util';
import { configAsJson, describeConfig } from '../../config/describe.js';
import { loadConfig } from '../../config/configFile.js';
import { createEngine } from '../../engine/createEngine.js';
import { findRepoRoot } from '../../sources/git.js';
import type { Command } from '../command.js';
import { DEFAULT_FAIL_ON } from '../../run/options.js';
import { UserError } from '../../errors.js';
import { argsError } from '../argsError.js';

export const command: Command = {
  summary: 'print the effective configuration and where each setting came from',
  usage: `Usage: keyfence config [--config FILE] [--format text|json]

Prints the configuration every scanning command would use: keyfence.yml (or --config FILE) merged
over the policies it extends, each setting with the file, line and column it came from, and the
guardrails an extended policy locked. Exits 2 with file:line:col when the configuration is invalid.

  -c, --config FILE        configuration (default keyfence.yml or .keyfence.yml at the root)
  -f, --format text|json   text (YAML with comments, default) or json
  -h, --help               show this help`,
  async run(context) {
    let values: { config?: string; format?: string };
    try {
      values = parseArgs({
        args: context.args,
        options: { config: { type: 'string', short: 'c' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
      }).values as typeof values;
    } catch (error) {
      throw argsError('config', error, { config: { type: 'string', short: 'c' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } });
    }
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`config: unknown format "${format}"`, 'use text or json');
    const root = (await findRepoRoot(context.cwd)) ?? context.cwd;
    const config = await loadConfig(root, values.config);
    // Custom rules are the engine's to compile: an invalid one is an invalid configuration here too.
    await createEngine(config);
    context.stdout.write(format === 'json' ? `${JSON.stringify(configAsJson(config, DEFAULT_FAIL_ON), null, 2)}\n` : describeConfig(config, DEFAULT_FAIL_ON));
    return 0;
  },
};
