/**
 * cache-poisoning: a release or deploy job (a `release` or tag-push trigger, a production
 * environment, a publish step) restores an Actions cache. Runs on tags and on the default branch
 * can restore caches saved in the default branch's scope, and every default-branch job that runs
 * untrusted code (a pwn request, an injected title, a `workflow_run` artifact) can save entries there.
 * What the release restores — node_modules, a toolchain, build outputs — then ships or runs with
 * its publishing credentials.
 */
import { FORK_CODE_TRIGGERS } from '../analysis.js';
import { triggerRelated, type RelatedSpan, type WorkflowCheck } from '../check.js';
import type { Job, Step, Trigger, WorkflowModel } from '../model.js';
import { actionName, actionRef, isFalse, isTrue, shellCommands, withText } from '../steps.js';
import { stepSpan } from '../stepLocation.js';
import { asScalar, asSeq, get } from '../yamlNodes.js';

/** Why a step restores a cache, or null. */
function restoresCache(job: Job, step: Step): string | null {
  if (neverRuns(step)) return null;
  const name = actionName(step);
  if (name === 'actions/cache' || name === 'actions/cache/restore') return isTrue(withText(step, 'lookup-only')) ? null : name;
  const cacheInput = withText(step, 'cache');
  if (/^actions\/setup-(node|python|java|dotnet)$/.test(name) && cacheInput && !isFalse(cacheInput)) return `${name} with \`cache: ${cacheInput}\``;
  if (name === 'actions/setup-go') {
    // setup-go caches by default from v4 on.
    const major = Number(/^v?(\d+)/.exec(actionRef(step))?.[1] ?? '0');
    if ((major >= 4 && !isFalse(cacheInput)) || isTrue(cacheInput)) return `${name} (caches modules by default)`;
  }
  if (name === 'ruby/setup-ruby' && isTrue(withText(step, 'bundler-cache'))) return 'ruby/setup-ruby with `bundler-cache: true`';
  if (name === 'astral-sh/setup-uv') {
    const enable = withText(step, 'enable-cache');
    if (isTrue(enable)) return 'astral-sh/setup-uv with `enable-cache: true`';
    // From v5 on, `enable-cache` defaults to `auto`: on for GitHub-hosted runners. A SHA pin hides
    // the version, so it counts as a recent one.
    const ref = actionRef(step);
    const major = /^[0-9a-f]{40}$/i.test(ref) ? Infinity : Number(/^v?(\d+)/.exec(ref)?.[1] ?? '0');
    if (major >= 5 && !isFalse(enable) && !selfHosted(job)) return 'astral-sh/setup-uv (caches by default from v5 on)';
  }
  // rust-cache documents `lookup-only` (check for an entry, restore nothing), as actions/cache does.
  if (name === 'swatinem/rust-cache') return isTrue(withText(step, 'lookup-only')) ? null : name;
  if (name === 'mozilla-actions/sccache-action' || name === 'hendrikmuhs/ccache-action') return name;
  if (name === 'pnpm/action-setup' && cacheInput && !isFalse(cacheInput)) return 'pnpm/action-setup with `cache`';
  return null;
}

/** A literal `if: false` (or `${{ false }}`): the step is switched off. */
function neverRuns(step: Step): boolean {
  return step.if !== undefined && !step.if.mixed && /^\s*(\$\{\{\s*false\s*\}\}|false)\s*$/.test(step.if.str.value);
}

/** `runs-on` names a self-hosted runner, where setup-uv's `auto` cache stays off. */
function selfHosted(job: Job): boolean {
  const r = job.runsOn;
  const labels = r?.kind === 'seq' ? r.items : r?.kind === 'map' ? asSeq(get(r, 'labels'))?.items ?? [get(r, 'labels')] : [r];
  return labels.some((l) => /^self-hosted$/i.test(asScalar(l)?.text.trim() ?? ''));
}

/** Why a step publishes or deploys, or null. */
function publishes(step: Step): string | null {
  if (neverRuns(step)) return null;
  const name = actionName(step);
  if (/^(pypa\/gh-action-pypi-publish|softprops\/action-gh-release|goreleaser\/goreleaser-action|ncipollo\/release-action|js-devtools\/npm-publish|jsdevtools\/npm-publish|changesets\/action)$/.test(name)) return name;
  if (name === 'docker/build-push-action' && isTrue(withText(step, 'push'))) return 'docker/build-push-action with `push: true`';
  for (const cmd of shellCommands(step)) {
    const [c0, c1, c2] = cmd.args;
    if (cmd.args.includes('--dry-run')) continue;
    if (c0 === 'yarn' && c1 === 'npm' && c2 === 'publish') return 'yarn npm publish';
    if ((c0 === 'npm' || c0 === 'yarn' || c0 === 'pnpm' || c0 === 'cargo' || c0 === 'gem' || c0 === 'poetry' || c0 === 'uv' || c0 === 'hatch' || c0 === 'flit') && c1 === 'publish') return `${c0} publish`;
    if (c0 === 'twine' && c1 === 'upload') return 'twine upload';
    if (c0 === 'docker' && c1 === 'push') return 'docker push';
    if (c0 === 'gh' && c1 === 'release') return 'gh release';
    if (c0 === 'goreleaser') return 'goreleaser';
  }
  return null;
}

/** `push` triggers limited to tags. */
function tagPush(t: Trigger): boolean {
  return t.name === 'push' && (get(t.config, 'tags') !== null || get(t.config, 'tags-ignore') !== null) && get(t.config, 'branches') === null;
}

function cacheMode(model: WorkflowModel, job: Job): string | undefined {
  return (asScalar(get(job.node, 'cache-mode')) ?? asScalar(get(model.root, 'cache-mode')))?.text.trim().toLowerCase();
}

export const cachePoisoning: WorkflowCheck = {
  id: 'cache-poisoning',
  category: 'workflow',
  description: 'A release or deploy job restores an Actions cache that default-branch jobs running untrusted code could have written.',
  run({ model, analysis, isProductionEnvironment, report }) {
    if (model.kind !== 'workflow') return;
    for (const job of model.jobs) {
      const mode = cacheMode(model, job);
      // `none` and `write-only` never restore.
      if (mode === 'none' || mode === 'write-only') continue;
      const facts = analysis.facts(job);
      // Pull-request runs hold no publishing credentials; what they restore does not ship.
      if (facts.triggers.every((t) => FORK_CODE_TRIGGERS.has(t.name))) continue;
      const release = facts.triggers.find((t) => t.name === 'release' || tagPush(t));
      const env = facts.environmentName !== undefined && isProductionEnvironment(facts.environmentName) ? job.environment : undefined;
      const publishStep = job.steps.map((s) => ({ s, why: publishes(s) })).find((x) => x.why !== null);
      if (!release && !env && !publishStep) continue;
      const why: string[] = [];
      const related: RelatedSpan[] = [];
      if (release) {
        why.push(release.name === 'release' ? 'runs on `release`' : 'runs on tag pushes');
        related.push(triggerRelated(release));
      }
      if (env) {
        why.push(`deploys to the \`${facts.environmentName}\` environment`);
        related.push({ span: (env.name?.node ?? env.keyNode).span, label: 'production environment' });
      }
      if (publishStep) {
        why.push(`publishes (${publishStep.why})`);
        related.push({ span: stepSpan(publishStep.s), label: 'publishes' });
      }
      for (const step of job.steps) {
        const restore = restoresCache(job, step);
        if (!restore) continue;
        report({
          severity: 'high',
          message: `job \`${job.id}\` ${why.join(', ')}, and restores a cache with ${restore}. Tag and default-branch runs restore entries saved in the default branch's scope, which any default-branch job that runs untrusted code (\`pull_request_target\`, \`issue_comment\`, \`workflow_run\`) can write, so a poisoned dependency or tool ends up in the release. Turn caching off in this job (\`cache-mode: none\`, or drop the cache input) and build releases from a clean install.`,
          span: (step.with.get('cache')?.key ?? step.uses?.node ?? step.node).span,
          related,
          what: `${job.id}/${step.key}/${restore}`,
        });
      }
    }
  },
};
