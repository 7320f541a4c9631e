import { stringify } from 'yaml';
import { ENVIRONMENTS, type Severity } from '../findings/finding.js';
import { POLICY_SCOPES, defaultConfig, type KeyfenceConfig } from './config.js';

/**
 * The effective configuration as YAML, every setting commented with the file, line and column it
 * came from (nothing: a default) and guardrails marked `locked`. What `keyfence config` prints: the
 * answer to "why does this rule behave like that here?".
 */
export function describeConfig(config: KeyfenceConfig, defaultFailOn: Severity): string {
  const lines: Array<[string, string?]> = [];
  const o = config.origins;
  const g = config.guardrails;
  const at = (path: string, lockPath?: string) => {
    const parts = [o[path], lockPath && g[lockPath] ? `locked in ${g[lockPath]}` : undefined].filter(Boolean);
    return parts.length ? parts.join(', ') : undefined;
  };
  const put = (text: string, comment?: string) => lines.push([text, comment]);

  put(`failOn: ${scalar(config.failOn ?? defaultFailOn)}`, at('failOn', 'failOn') ?? 'default');
  put(`requireReason: ${config.requireReason === true}`, at('requireReason', 'requireReason') ?? 'default');
  put(`failOnNewSuppressions: ${config.failOnNewSuppressions === true}`, at('failOnNewSuppressions', 'failOnNewSuppressions') ?? 'default');
  put(`maxFileSize: ${config.maxFileSize}`, at('maxFileSize') ?? 'default');
  put(`suppressionMarkers: ${flow(config.suppressionMarkers)}`, at('suppressionMarkers') ?? 'default');
  put('prodData:');
  put(`  minValues: ${config.prodData.minValues}`, at('prodData.minValues') ?? 'default');
  put(`  minKinds: ${config.prodData.minKinds}`, at('prodData.minKinds') ?? 'default');

  put(`productionDomains:${config.productionDomains.length ? '' : ' []'}`);
  config.productionDomains.forEach((d, i) => put(`  - ${scalar(d)}`, at(`productionDomains[${i}]`)));

  const envs = ENVIRONMENTS.filter((e) => config.environments[e]?.length);
  put(`environments:${envs.length ? '' : ' {}'}`, g.environments ? `locked in ${g.environments}` : undefined);
  for (const env of envs) {
    put(`  ${env}:`);
    config.environments[env]!.forEach((glob, i) => put(`    - ${scalar(glob)}`, at(`environments.${env}[${i}]`)));
  }

  const policies = POLICY_SCOPES.filter((e) => config.policy[e] || g[`policy.${e}`]);
  put(`policy:${policies.length ? '' : ' {}'}`);
  for (const env of policies) {
    const p = config.policy[env] ?? {};
    put(`  ${env}:`, g[`policy.${env}`] ? `locked in ${g[`policy.${env}`]}` : undefined);
    if (p.minSeverity) put(`    minSeverity: ${p.minSeverity}`, at(`policy.${env}.minSeverity`));
    if (p.genericSecrets) put(`    genericSecrets: ${p.genericSecrets}`, at(`policy.${env}.genericSecrets`));
    if (p.maxSecretAgeDays) put(`    maxSecretAgeDays: ${p.maxSecretAgeDays}`, at(`policy.${env}.maxSecretAgeDays`));
    const rules = Object.entries(p.rules ?? {});
    if (rules.length) put('    rules:');
    for (const [id, r] of rules) {
      put(`      ${id}:`);
      if (r.enabled !== undefined) put(`        enabled: ${r.enabled}`, at(`policy.${env}.rules.${id}.enabled`));
      if (r.severity) put(`        severity: ${r.severity}`, at(`policy.${env}.rules.${id}.severity`));
    }
  }

  const overrides = Object.entries(config.overrides);
  put(`overrides:${overrides.length ? '' : ' {}'}`);
  for (const [id, r] of overrides) {
    put(`  ${id}:`, g[`overrides.${id}`] ? `locked in ${g[`overrides.${id}`]}` : undefined);
    if (r.enabled !== undefined) put(`    enabled: ${r.enabled}`, at(`overrides.${id}.enabled`));
    if (r.severity) put(`    severity: ${r.severity}`, at(`overrides.${id}.severity`));
  }

  put(`allow:${config.allow.length ? '' : ' []'}`);
  config.allow.forEach((entry, i) => {
    const fields = (['rules', 'paths', 'secrets', 'lines', 'stopwords'] as const).filter((k) => entry[k]?.length);
    fields.forEach((k, n) => put(`  ${n === 0 ? '-' : ' '} ${k}: ${flow(entry[k]!)}`, n === 0 ? at(`allow[${i}]`) : undefined));
    if (entry.reason) put(`    reason: ${scalar(entry.reason)}`);
  });

  put(`rules:${config.rules.length ? '' : ' []'}`);
  config.rules.forEach(({ spec }, i) => put(`  - id: ${spec.id}   # ${spec.category}, ${spec.severity}`, at(`rules[${i}]`)));

  const width = Math.min(64, Math.max(...lines.map(([t]) => t.length)) + 2);
  const header = [
    '# keyfence: the effective configuration',
    `# read from, base first: ${config.sources.length ? config.sources.join(', ') : '(no keyfence.yml: all defaults)'}`,
    '# each setting names the file:line:col it came from; "locked" marks a guardrail a later file cannot loosen',
    '',
  ];
  return `${[...header, ...lines.map(([text, comment]) => (comment ? `${text.padEnd(width)}${text.length >= width ? '  ' : ''}# ${comment}` : text))].join('\n')}\n`;
}

/** The effective configuration as data, with origins and guardrails, for `--format json`. */
export function configAsJson(config: KeyfenceConfig, defaultFailOn: Severity): unknown {
  const { origins, guardrails, sources, rules, ...settings } = config;
  const defaults = defaultConfig();
  return {
    sources,
    settings: {
      ...settings,
      failOn: config.failOn ?? defaultFailOn,
      requireReason: config.requireReason === true,
      failOnNewSuppressions: config.failOnNewSuppressions === true,
      rules: rules.map(({ spec, origin }) => ({ id: spec.id, category: spec.category, severity: spec.severity, origin })),
    },
    origins,
    guardrails,
    defaults: { failOn: defaultFailOn, maxFileSize: defaults.maxFileSize, suppressionMarkers: defaults.suppressionMarkers },
  };
}

function scalar(value: unknown): string {
  return stringify(value).trim();
}

function flow(values: readonly string[]): string {
  return `[${values.map((v) => (/^[\w./@-]+$/.test(v) && !/^[-@]/.test(v) ? v : JSON.stringify(v))).join(', ')}]`;
}
