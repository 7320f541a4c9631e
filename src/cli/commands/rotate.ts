import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../../errors.js';
import type { ReportFinding } from '../../findings/finding.js';
import { DOCS_BASE_URL } from '../../reporters/ruleDocs.js';
import { verificationText } from '../../reporters/verificationText.js';
import { builtPath, loadBuiltinRules } from '../../rules/builtinRules.js';
import type { Command } from '../command.js';

type Steps = Record<string, { doc: string; steps: string }>;

export const command: Command = {
  summary: "what to do about a leaked credential: the provider's revoke and rotate steps, from the rule's doc page",
  usage: `Usage: keyfence rotate --rule RULE
       keyfence rotate FINGERPRINT --from REPORT.json

Prints how to revoke or rotate the credential a rule finds, where in the provider's console, and
where to look for its use (the "Rotate or revoke" part of the rule's doc page), with the page's
link. FINGERPRINT is a finding's \`fingerprint\` (or its first 8 or more characters) in a JSON
report (\`keyfence scan --format json --output REPORT.json\`); for a key \`--verify\` found live,
it says so first.

      --rule RULE          the rule id (\`keyfence rules\` lists them)
      --from FILE          the JSON report that holds FINGERPRINT`,
  async run(context) {
    let parsed;
    try {
      parsed = parseArgs({ args: context.args, options: { rule: { type: 'string' }, from: { type: 'string' } }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UserError(`rotate: ${(error as Error).message}`, 'run `keyfence rotate --help` for usage');
    }
    const { values, positionals } = parsed;
    const steps = loadSteps();
    if (values.rule !== undefined) {
      if (positionals.length) throw new UserError('rotate: give --rule or a FINGERPRINT, not both', 'run `keyfence rotate --help` for usage');
      context.stdout.write(describeRule(values.rule, steps));
      return 0;
    }
    if (positionals.length !== 1 || values.from === undefined)
      throw new UserError('rotate: name a rule (--rule RULE) or a finding (FINGERPRINT --from REPORT.json)', 'run `keyfence rotate --help` for usage');
    const findings = findingsOf(resolve(context.cwd, values.from), values.from);
    const id = positionals[0]!;
    if (id.length < 8) throw new UserError(`rotate: "${id}" is too short to name a finding`, 'give the fingerprint, or at least its first 8 characters');
    const matching = findings.filter((f) => f.fingerprint.startsWith(id));
    if (matching.length === 0) throw new UserError(`rotate: no finding with fingerprint ${id} in ${values.from}`, 'copy the `fingerprint` of a finding in that report');
    for (const f of matching) {
      context.stdout.write(`${f.file}:${f.line}  ${f.ruleId}  ${f.secret}\n`);
      if (f.verification?.status === 'live')
        context.stdout.write(`  verified ${verificationText(f.verification)}${f.verification.checkedAt ? ` at ${f.verification.checkedAt}` : ''}: revoke it now, then look for its use as below\n`);
      else if (f.verification) context.stdout.write(`  verification: ${verificationText(f.verification)}\n`);
      context.stdout.write(describeRule(f.ruleId, steps).replace(/^(?=.)/gm, '  '));
    }
    return 0;
  },
};

function loadSteps(): Steps {
  const path = builtPath('rotation.json');
  if (!path) throw new Error('rotation.json is missing from the build: run `npm run build`');
  return JSON.parse(readFileSync(path, 'utf8')) as Steps;
}

function describeRule(ruleId: string, steps: Steps): string {
  const rule = loadBuiltinRules().find(({ spec }) => spec.id === ruleId);
  if (!rule) throw new UserError(`rotate: unknown rule "${ruleId}"`, 'run `keyfence rules` for the list');
  const entry = steps[ruleId];
  const lines = [`${ruleId}: ${rule.spec.description}`];
  if (entry) {
    lines.push(`  Rotate or revoke: ${entry.steps}`);
    const logs = entry.steps.split(/(?<=\.)\s+/).filter((s) => /\blogs?\b|audit|events|history/i.test(s));
    if (logs.length) lines.push(`  Look for its use: ${logs.join(' ')}`);
    lines.push(`  Docs: ${DOCS_BASE_URL}${entry.doc}`);
  } else {
    lines.push('  Revoke it at the provider, replace it where it is used, then remove it from the repository (and its history).');
  }
  return `${lines.join('\n')}\n`;
}

function findingsOf(path: string, shown: string): ReportFinding[] {
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`rotate: cannot read ${shown} as a JSON report (${(error as NodeJS.ErrnoException).code ?? 'not JSON'})`, 'write one with `keyfence scan --format json --output FILE`');
  }
  const findings = (report as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) throw new UserError(`rotate: ${shown} is not a keyfence JSON report (no findings list)`, 'write one with `keyfence scan --format json --output FILE`');
  return findings as ReportFinding[];
}
