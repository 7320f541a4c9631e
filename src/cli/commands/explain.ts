import { resolve, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/configFile.js';
import { createEngine } from '../../engine/createEngine.js';
import { UserError } from '../../errors.js';
import { explainFile, renderExplanations } from '../../run/explain.js';
import { effectiveFailOn } from '../../run/options.js';
import { findRepoRoot } from '../../sources/git.js';
import type { Command } from '../command.js';
import { argsError } from '../argsError.js';

export const command: Command = {
  summary: 'say which environment each file belongs to, why, and what the policy does there',
  usage: `Usage: keyfence explain [--config FILE] [--format text|json] FILE...

For each FILE: its environment and kind (configuration, test code, test data, documentation, CI,
source code), what decided it (a glob in keyfence.yml, an APP_ENV=-style declaration in the file,
or a path convention), and what the environment policy does there to each kind of finding: a
live-mode or test-mode provider key, another provider credential, a generic secret, a production
host, a secret printed to a log. A FILE that does not exist is explained by its path alone.

  -c, --config FILE        configuration (default keyfence.yml or .keyfence.yml at the root)
  -f, --format text|json   text (default) or json
  -h, --help               show this help`,
  async run(context) {
    let parsed: { values: { config?: string; format?: string }; positionals: string[] };
    try {
      parsed = parseArgs({
        args: context.args,
        options: { config: { type: 'string', short: 'c' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      }) as typeof parsed;
    } catch (error) {
      throw argsError('explain', error, { config: { type: 'string', short: 'c' }, format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } });
    }
    const { values, positionals } = parsed;
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`explain: unknown format "${format}"`, 'use text or json');
    if (positionals.length === 0) throw new UserError('explain: name at least one file', 'e.g. keyfence explain config/.env.production');
    const root = (await findRepoRoot(context.cwd)) ?? context.cwd;
    const config = await loadConfig(root, values.config);
    const engine = await createEngine(config);
    const explanations = positionals.map((arg) => {
      const path = resolve(context.cwd, arg);
      const file = relative(root, path).split(sep).join('/');
      if (file.startsWith('../')) throw new UserError(`explain: ${arg} is outside the repository at ${root}`, 'name a file inside it');
      return explainFile(engine, file, path);
    });
    context.stdout.write(format === 'json' ? `${JSON.stringify(explanations, null, 2)}\n` : renderExplanations(explanations, effectiveFailOn(undefined, config)));
    return 0;
  },
};
