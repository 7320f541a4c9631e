import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { loadConfig } from '../../config/configFile.js';
import { Engine } from '../../engine/engine.js';
import type { Finding } from '../../findings/finding.js';
import { findRepoRoot } from '../../sources/git.js';
import { findWorkflowFiles } from '../../sources/workflowFiles.js';
import { auditWorkflowFile, WORKFLOW_CHECKS } from '../../workflows/auditWorkflow.js';
import { workflowCheckDocUrl } from '../../reporters/ruleDocs.js';
import type { Command } from '../command.js';
import { emitReport } from '../emitReport.js';
import { UserError } from '../../errors.js';
import { parseCommandArgs, SCAN_OPTIONS_HELP } from '../scanOptions.js';

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

export const command: Command = {
  summary: 'audit GitHub Actions workflows and local actions: forks get no secrets, no secret reaches a log',
  usage: `Usage: keyfence workflows [PATH...] [options]

Audits GitHub Actions workflows (.github/workflows/*.yml|yaml) and local actions (action.yml|yaml)
found at any depth under each PATH (default: the current directory). PATH may be one workflow file,
a repository, or a directory holding many repositories; a file given explicitly is audited even if
git ignores it. A file that does not parse is reported as a finding and never stops the others.

Checks: ${WORKFLOW_CHECKS.map((c) => c.id).join(', ')}.
Silence one finding with \`# keyfence: ignore[<check-id>] <reason>\` on its line or the line above.

${SCAN_OPTIONS_HELP}`,
  async run(context) {
    const { options, positionals } = parseCommandArgs(context.args, {}, 'workflows');
    const targets = (positionals.length > 0 ? positionals : ['.']).map((p) => resolve(context.cwd, p));
    for (const t of targets) {
      try {
        await stat(t);
      } catch {
        throw new UserError(`${relative(context.cwd, t) || t} does not exist`, 'give a workflow file, a repository or a directory of repositories');
      }
    }
    // Paths in the report: relative to the repository root, else to the one directory given, else to the working directory.
    const firstIsDir = (await stat(targets[0]!)).isDirectory();
    const repoRoot = await findRepoRoot(firstIsDir ? targets[0]! : dirname(targets[0]!)).catch(() => undefined);
    const single = targets.length === 1 && firstIsDir ? targets[0]! : context.cwd;
    const root = repoRoot ?? single;
    const display = (abs: string): string => {
      const rel = relative(root, abs);
      return toPosix(rel.startsWith('..') || isAbsolute(rel) ? relative(context.cwd, abs) || abs : rel);
    };

    const engine = new Engine(await loadConfig(root, options.config));
    const started = Date.now();
    const findings: Finding[] = [];
    const notes: string[] = [];
    const audited = new Set<string>();
    let bytes = 0;
    let skipped = 0;
    for (const abs of await findWorkflowFiles(targets)) {
      const file = display(abs);
      let text: string;
      try {
        text = await readFile(abs, 'utf8');
      } catch (error) {
        notes.push(`${file}: could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
        skipped++;
        continue;
      }
      audited.add(file);
      bytes += Buffer.byteLength(text);
      findings.push(...auditWorkflowFile(file, text));
    }
    if (audited.size === 0) notes.push('no GitHub Actions workflow or action.yml found');
    findings.push(...engine.finish());
    return emitReport(context, options, engine, {
      findings,
      stats: { files: audited.size, bytes, commits: 0, durationMs: Date.now() - started, ...(skipped ? { skipped } : {}) },
      notes,
      covers: (file) => audited.has(file),
      rules: WORKFLOW_CHECKS.map((c) => ({
        id: c.id,
        description: c.description,
        category: c.category,
        severity: 'medium' as const,
        helpUri: workflowCheckDocUrl(c.id),
      })),
    });
  },
};
