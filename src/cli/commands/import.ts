import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../../errors.js';
import type { Command } from '../command.js';

const TOOLS = ['gitleaks', 'detect-secrets', 'secretlint'] as const;
type Tool = (typeof TOOLS)[number];

/** Each tool's files, as it looks for them at the repository root. */
const DEFAULTS: Record<Tool, { config: string[]; ignore?: string }> = {
  gitleaks: { config: ['.gitleaks.toml'], ignore: '.gitleaksignore' },
  'detect-secrets': { config: ['.secrets.baseline'] },
  secretlint: { config: ['.secretlintrc.json', '.secretlintrc'], ignore: '.secretlintignore' },
};

export const command: Command = {
  summary: 'turn a gitleaks, detect-secrets or secretlint setup into keyfence.yml entries and a baseline',
  usage: `Usage: keyfence import gitleaks|detect-secrets|secretlint [FILE] [options]

Reads another scanner's configuration, allowlists and baseline, and adds what they mean to
keyfence.yml (your file keeps its comments and settings; new items are appended, each with a
comment naming its source line) and to the baseline. Prints what it could not translate, and why.

  gitleaks        FILE default .gitleaks.toml; .gitleaksignore beside it is read too
  detect-secrets  FILE default .secrets.baseline
  secretlint      FILE default .secretlintrc.json; .secretlintignore beside it is read too

      --ignore-file FILE   the ignore file (.gitleaksignore, .secretlintignore) to read instead
      --dry-run            print what would be written; write nothing
  -c, --config FILE        the keyfence config to merge into (default keyfence.yml at the root)
      --baseline FILE      the baseline to add to (default .keyfence-baseline.json at the root)
  -h, --help               show this help

See docs/migrating.md for what maps to what.`,
  async run(context) {
    let parsed;
    try {
      parsed = parseArgs({
        args: context.args,
        options: {
          'dry-run': { type: 'boolean' },
          'ignore-file': { type: 'string' },
          config: { type: 'string', short: 'c' },
          baseline: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UserError(`import: ${(error as Error).message}`, 'run `keyfence import --help` for usage');
    }
    const { values, positionals } = parsed;
    const [tool, file, ...extra] = positionals;
    if (!TOOLS.includes(tool as Tool)) throw new UserError(tool ? `import: unknown tool "${tool}"` : 'import: which tool?', `use one of ${TOOLS.join(', ')}`);
    if (extra.length) throw new UserError(`import: unexpected argument "${extra[0]}"`, 'give one FILE');

    const { findRepoRoot } = await import('../../sources/git.js');
    const root = (await findRepoRoot(context.cwd)) ?? context.cwd;
    const show = (abs: string) => {
      const rel = relative(root, abs);
      return !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
    };
    const defaults = DEFAULTS[tool as Tool];
    const configPath = file ? resolve(context.cwd, file) : defaults.config.map((n) => join(root, n)).find((p) => existsSync(p));
    const ignorePath = values['ignore-file'] ? resolve(context.cwd, values['ignore-file']) : defaults.ignore ? join(root, defaults.ignore) : undefined;
    if (values['ignore-file'] && !existsSync(ignorePath!)) throw new UserError(`import: ${values['ignore-file']} does not exist`);
    const hasIgnore = ignorePath !== undefined && existsSync(ignorePath);
    if (configPath && !existsSync(configPath)) throw new UserError(`import: ${file} does not exist`);
    if (!configPath && !hasIgnore) throw new UserError(`import: no ${defaults.config.join(' or ')}${defaults.ignore ? ` and no ${defaults.ignore}` : ''} at ${show(root) || '.'}`, `name the file: keyfence import ${tool} FILE`);
    const read = (path: string) => readFileSync(path, 'utf8');

    const { emptyPlan } = await import('../../import/plan.js');
    let plan = emptyPlan(tool as Tool);
    if (tool === 'gitleaks') {
      const { importGitleaks, readGitleaksIgnore } = await import('../../import/gitleaks.js');
      const { loadBuiltinRules } = await import('../../rules/builtinRules.js');
      const builtin = new Set(loadBuiltinRules().map((r) => r.spec.id));
      const { plan: imported, ruleIds } = await importGitleaks(configPath ? read(configPath) : '', configPath ? show(configPath) : '.gitleaks.toml', builtin);
      plan = imported;
      if (!configPath) plan.notes = [];
      if (hasIgnore) plan.pinned = readGitleaksIgnore(read(ignorePath), show(ignorePath), ruleIds);
    } else if (tool === 'detect-secrets') {
      const { importDetectSecrets } = await import('../../import/detectSecrets.js');
      plan = await importDetectSecrets(read(configPath!), show(configPath!));
    } else {
      const { importSecretlint, importSecretlintIgnore } = await import('../../import/secretlint.js');
      if (configPath) plan = await importSecretlint(read(configPath), show(configPath));
      if (hasIgnore) importSecretlintIgnore(plan, read(ignorePath), show(ignorePath));
    }

    const { findConfigFile } = await import('../../config/configFile.js');
    const { DEFAULT_BASELINE_FILE } = await import('../../suppressions/baseline.js');
    const { writeImport } = await import('../../import/writeImport.js');
    const config = resolve(context.cwd, findConfigFile(root, values.config) ?? join(root, 'keyfence.yml'));
    const baseline = values.baseline ? resolve(context.cwd, values.baseline) : join(root, DEFAULT_BASELINE_FILE);
    const outcome = await writeImport(plan, {
      root,
      config: { path: config, shown: show(config) },
      baseline: { path: baseline, shown: show(baseline) },
      dryRun: values['dry-run'] === true,
    });
    if (values['dry-run']) {
      if (outcome.configText !== undefined) context.stdout.write(`--- ${show(config)}\n${outcome.configText}`);
      if (outcome.baselineText !== undefined) context.stdout.write(`--- ${show(baseline)}\n${outcome.baselineText}`);
    }
    context.stdout.write(`${outcome.lines.join('\n')}\n`);
    return 0;
  },
};
