import type { Engine } from '../engine/engine.js';
import { loadBuiltinRules } from '../rules/builtinRules.js';
import { severityRank, type Finding } from '../findings/finding.js';
import type { RuleInfo } from './reporter.js';
import { secretRuleDocUrl, workflowCheckDocUrl } from './ruleDocs.js';

/**
 * Descriptions and doc pages of everything that may have reported, for the formats that describe
 * rules (SARIF, the markdown summary): the engine's rules, the workflow checks when a workflow
 * finding needs them, and `extra` (settings checks, a source's own rules).
 */
export async function describeRules(engine: Engine, findings: readonly Finding[], extra: readonly RuleInfo[] = []): Promise<RuleInfo[]> {
  const custom = new Set(engine.config.rules.map((r) => r.spec.id));
  const origins = new Map(loadBuiltinRules().map((r) => [r.spec.id, r.origin]));
  const infos: RuleInfo[] = engine.rules.map((r) => {
    const origin = custom.has(r.id) ? undefined : origins.get(r.id);
    const helpUri = origin ? secretRuleDocUrl(origin, r.id) : undefined;
    const { description, category, severity } = r.spec;
    return { id: r.id, description, category, severity, ...(helpUri ? { helpUri } : {}), ...(r.path ? { byPath: true } : {}) };
  });
  const known = new Set(infos.map((r) => r.id));
  for (const r of extra) {
    if (known.has(r.id)) continue;
    known.add(r.id);
    infos.push(r);
  }
  if (findings.some((f) => f.category === 'workflow' || f.category === 'echo-leak') && findings.some((f) => !known.has(f.ruleId))) {
    // Loaded only when a workflow finding needs it: `staged` never pays for the workflow checks.
    const { WORKFLOW_CHECKS } = await import('../workflows/checks/index.js');
    const { GITLAB_CHECKS } = await import('../workflows/gitlab/checks/index.js');
    for (const check of [...WORKFLOW_CHECKS, ...GITLAB_CHECKS]) {
      if (known.has(check.id)) continue;
      const found = findings.filter((f) => f.ruleId === check.id).map((f) => f.severity);
      const severity = found.sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'medium';
      const { id, description, category } = check;
      infos.push({ id, description, category, severity, helpUri: workflowCheckDocUrl(id) });
    }
  }
  return infos;
}
