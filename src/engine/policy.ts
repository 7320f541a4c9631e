import { defaultGenericSecrets, type EnvironmentPolicy, type KeyfenceConfig, type PolicyScope, type RuleOverride } from '../config/config.js';
import type { FileRole } from '../environment/classify.js';
import { severityRank, type Environment, type Finding, type Severity } from '../findings/finding.js';
import { PROD_DATA_PERSONAL } from '../rules/policyRules.js';
import type { CompiledRule } from './compiledRule.js';

/**
 * The environment policy stage: after the scanner, before suppressions, on findings only (so it
 * costs nothing on clean files). It decides what a finding *means* where it was found; the rule id
 * says what was found and never changes, so baselines, inline ignores and fingerprints keep working
 * however a file is classified. In order:
 *
 * 1. `policy.<env>.rules.<id>.enabled: false` drops the rule's findings in that environment.
 * 2. `prod-host` in a test file counts only in test *configuration* (`.env.test`,
 *    `config/test.json`): test code and fixtures name production hosts in assertions and recordings.
 *    `echo-leak` in a fixture is dropped: a script kept as test data runs in no pipeline.
 * 3. Key modes: a provider key that names its mode (`sk_live_` / `sk_test_`, sandbox tokens)
 *    - test-mode key in a fixture: dropped (test keys are what fixtures should hold);
 *    - test-mode key in production config: `env-crossover`, at least medium (production running
 *      against a test account);
 *    - live-mode key in a development or test file: `env-crossover`, at least high;
 *    - any other provider credential in a fixture (recorded data, snapshots): `fixture`.
 * 4. Generic secrets (passwords, private keys, JWTs, connection strings, generic tokens) in test
 *    files and documentation are capped at `policy.<test|docs>.genericSecrets` (default low): test
 *    data and examples, not leaks. A live provider key is `live-key`, so step 3 still judges it.
 * 5. `policy.<env>.rules.<id>.severity`, then the environment's `minSeverity` floor. For
 *    documentation, `policy.docs` applies on top of the environment's policy.
 */
export type KeyMode = 'live' | 'test';

/**
 * Whether a rule detects keys of a provider's live or test mode: its `mode` field when it has one,
 * else its id (`stripe-live-secret-key`, `plaid-sandbox-access-token`, `pypi-test-upload-token`).
 */
function keyMode(rule: CompiledRule): KeyMode | undefined {
  const declared = (rule.spec as { mode?: unknown }).mode;
  if (declared === 'live' || declared === 'test') return declared;
  if (rule.spec.category !== 'live-key') return undefined;
  const words = rule.id.split('-');
  if (words.some((w) => w === 'test' || w === 'sandbox')) return 'test';
  if (words.some((w) => w === 'live' || w === 'production' || w === 'prod')) return 'live';
  return undefined;
}

const raise = (s: Severity, floor: Severity): Severity => (severityRank(s) < severityRank(floor) ? floor : s);
const lower = (s: Severity, cap: Severity): Severity => (severityRank(s) > severityRank(cap) ? cap : s);

export class Policy {
  /** Worked out for a rule when one of its findings first meets the policy: most rules never find anything. */
  private readonly modes = new Map<string, KeyMode | undefined>();

  constructor(
    private readonly config: KeyfenceConfig,
    private readonly rules: ReadonlyMap<string, CompiledRule>,
  ) {}

  private modeOf(ruleId: string): KeyMode | undefined {
    if (this.modes.has(ruleId)) return this.modes.get(ruleId);
    const rule = this.rules.get(ruleId);
    const mode = rule && keyMode(rule);
    this.modes.set(ruleId, mode);
    return mode;
  }

  /** The finding as the policy of its environment sees it, or undefined when the policy drops it. */
  apply(finding: Finding, role: FileRole): Finding | undefined {
    return this.judge(finding, role).finding;
  }

  /**
   * `apply`, saying why when the policy drops the finding or changes it beyond its message: what
   * `keyfence explain` shows, so the explanation is the policy itself and cannot drift from it.
   */
  judge(finding: Finding, role: FileRole): { finding?: Finding; because?: string } {
    const env = finding.environment;
    const scopes: PolicyScope[] = role === 'docs' ? [env, 'docs'] : [env];
    const locals: Array<readonly [PolicyScope, EnvironmentPolicy]> = [];
    for (const scope of scopes) {
      const local = this.config.policy?.[scope];
      if (local) locals.push([scope, local]);
    }
    let ruleSetting: RuleOverride | undefined;
    let settingScope: PolicyScope | undefined;
    for (const [scope, local] of locals) {
      const own = local.rules?.[finding.ruleId];
      if (own) [ruleSetting, settingScope] = [{ ...ruleSetting, ...own }, scope];
    }
    if (ruleSetting?.enabled === false) return { because: `switched off here by policy.${settingScope}.rules.${finding.ruleId}` };

    let f = finding;
    if (f.category === 'prod-host' && env === 'test' && role !== 'config') return { because: 'test code and recordings name production hosts in assertions' };
    // Scripts and Dockerfiles inside fixtures are test data, not run by any pipeline.
    if (f.category === 'echo-leak' && role === 'fixture') return { because: 'a script kept as test data runs in no pipeline' };

    const mode = this.modeOf(f.ruleId);
    if (this.rules.get(f.ruleId)?.spec.category === 'live-key') {
      if (mode === 'test') {
        if (role === 'fixture') return { because: 'test-mode keys are what fixtures should hold' };
        if (env === 'production')
          f = { ...f, category: 'env-crossover', severity: raise(f.severity, 'medium'), message: `${stripMode(f.message)} in production config: production would run against a test account` };
      } else if (role === 'fixture') {
        f = { ...f, category: 'fixture', message: `${f.message} in a test fixture: recorded test data must not hold a real credential` };
      } else if (mode === 'live' && (env === 'development' || env === 'test')) {
        f = { ...f, category: 'env-crossover', severity: raise(f.severity, 'high'), message: `${f.message} in a ${env} file: ${env} must use test-mode keys` };
      }
    }

    if (f.category === 'prod-data' && f.ruleId === PROD_DATA_PERSONAL.id) {
      // A dump is production data wherever it lands; personal data is graded by where it is.
      if (role === 'docs') f = { ...f, severity: 'low', message: `${f.message} in documentation: an example to readers, so low` };
      else if (env === 'production') f = { ...f, severity: lower(f.severity, 'medium'), message: `${f.message} in a production file (seed data?)` };
      else if (env === 'test' || env === 'development' || role === 'fixture')
        f = { ...f, message: `${f.message} in a ${role === 'fixture' ? 'test fixture' : `${env} file`}: production data in a non-production place` };
    }

    if (f.category === 'generic-secret') {
      // The strictest scope wins: a generic secret in docs/ of a test folder is capped by both.
      const caps = scopes.map((s) => [this.config.policy?.[s]?.genericSecrets ?? defaultGenericSecrets(s), s] as const);
      const [cap, scope] = caps.sort((a, b) => severityRank(a[0]) - severityRank(b[0]))[0]!;
      if (severityRank(f.severity) > severityRank(cap)) {
        const what = scope === 'docs' ? 'documentation: an example to readers' : 'a test file: test data';
        f = { ...f, severity: cap, message: `${f.message} in ${what}, so ${cap} (policy.${scope}.genericSecrets)` };
      }
    }

    let because: string | undefined;
    if (ruleSetting?.severity) {
      f = { ...f, severity: ruleSetting.severity };
      because = `policy.${settingScope}.rules.${f.ruleId}.severity`;
    }
    for (const [scope, local] of locals) {
      if (local.minSeverity && severityRank(f.severity) < severityRank(local.minSeverity)) {
        f = { ...f, severity: local.minSeverity };
        because = `policy.${scope}.minSeverity`;
      }
    }
    return { finding: f, because };
  }

  /** Whether a rule finds test-mode keys, which environments may share without harm. */
  isTestMode(ruleId: string): boolean {
    return this.modeOf(ruleId) === 'test';
  }

  /** The severity floor of an environment, for findings made after the scan (crossovers). */
  floor(env: Environment, ruleId: string, severity: Severity): Severity | undefined {
    const local = this.config.policy?.[env];
    if (local?.rules?.[ruleId]?.enabled === false) return undefined;
    const graded = local?.rules?.[ruleId]?.severity ?? severity;
    return local?.minSeverity ? raise(graded, local.minSeverity) : graded;
  }
}

/** "Stripe test key (sk_test_) - reaches test-mode data only…" -> "Stripe test key (sk_test_)". */
function stripMode(message: string): string {
  return message.split(/ - |: /)[0]!;
}
