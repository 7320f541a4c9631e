/**
 * What the checks ask of a job: its shell commands with positions, whether it deploys, and which
 * credential variables it uses. Worked out once per job.
 */
import { parseShell, referencedVariables, type Pipeline } from '../shell.js';
import type { Span } from '../yamlNodes.js';
import type { GJob, GitlabModel, ScriptItem } from './model.js';
import type { At, GScalar } from './tree.js';

export interface ScriptPipeline {
  item: ScriptItem;
  pipeline: Pipeline;
}

export interface Deploy {
  kind: 'environment' | 'command';
  label: string;
  at: At;
}

export interface JobFacts {
  pipelines: ScriptPipeline[];
  deploy?: Deploy;
  /** Credential variables the job reads, each at its first use. */
  credentials: Map<string, At>;
}

const DEPLOY_COMMANDS: RegExp[] = [
  /^kubectl (apply|create|replace|set|rollout|patch|delete|scale)\b/,
  /^helm (upgrade|install|uninstall|rollback)\b/,
  /^(terraform|tofu|terragrunt) (apply|destroy)\b/,
  /^pulumi (up|destroy)\b/,
  /^aws (s3 (sync|cp)|ecs update-service|lambda update-function-code|cloudformation deploy|deploy)\b/,
  /^gcloud (app deploy|run deploy|functions deploy|deploy)\b/,
  /^az (webapp|functionapp) deploy|^az deployment\b/,
  /^(firebase|netlify|fly|flyctl|serverless|sls|cdk|eb|kamal|wrangler) deploy\b/,
  /^vercel\b.*--prod\b/,
  /^ansible-playbook\b/,
  /^(npm|yarn|pnpm) publish\b/,
  /^twine upload\b/,
  /^gem push\b/,
  /^cargo publish\b/,
  /^docker stack deploy\b/,
  /^dpl\b/,
];

/** A name GitLab CI/CD settings hold credentials under: *_TOKEN, *_PASSWORD, AWS_SECRET_ACCESS_KEY, … */
export function isCredentialName(name: string): boolean {
  if (/^(CI|GITLAB)_/.test(name)) return false; // predefined: the job token and its derivatives
  const parts = name.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  if (parts.some((p) => ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'CREDENTIALS', 'CREDENTIAL', 'APIKEY', 'KUBECONFIG', 'AUTH'].includes(p))) return true;
  const last = parts.length >= 2 && parts[parts.length - 1] === 'KEY' ? parts[parts.length - 2]! : '';
  return ['API', 'ACCESS', 'PRIVATE', 'SECRET', 'SSH', 'DEPLOY', 'SIGNING', 'GPG', 'ENCRYPTION', 'MASTER', 'LICENSE'].includes(last);
}

/** PROD_*, *_PRODUCTION, LIVE_*: a credential for production. */
export function isProductionName(name: string): boolean {
  return name.toUpperCase().split(/[^A-Z0-9]+/).some((p) => p === 'PROD' || p === 'PRODUCTION' || p === 'PRD' || p === 'LIVE');
}

/** The span of `needle` on line `lineIdx` of a script string (block scalars map lines one to one). */
export function locateIn(str: GScalar, lineIdx: number, needle?: string): At {
  const { src, span } = str.at;
  if (str.style.startsWith('BLOCK')) {
    const header = src.lineCounter.linePos(span.start).line;
    const line = header + 1 + lineIdx;
    const start = src.lineCounter.lineStarts[line - 1];
    const text = src.lines[line - 1];
    if (start !== undefined && text !== undefined && start < span.end) {
      let idx = needle ? text.indexOf(needle) : -1;
      let len = needle?.length ?? 0;
      if (idx < 0) {
        idx = text.length - text.trimStart().length;
        len = text.trim().length;
      }
      return { src, span: { start: start + idx, end: start + idx + Math.max(len, 1) } };
    }
    return str.at;
  }
  if (needle) {
    const i = src.text.indexOf(needle, span.start);
    if (i >= 0 && i + needle.length <= span.end) return { src, span: { start: i, end: i + needle.length } as Span };
  }
  return str.at;
}

export function jobFacts(model: GitlabModel, job: GJob, isProductionEnvironment: (name: string) => boolean): JobFacts {
  const pipelines: ScriptPipeline[] = [];
  for (const item of job.scripts) for (const pipeline of parseShell(item.str.value === null ? '' : item.str.text)) pipelines.push({ item, pipeline });
  let deploy: Deploy | undefined;
  if (job.environment && (isProductionEnvironment(job.environment.name.text) || job.environment.tier === 'production')) {
    deploy = { kind: 'environment', label: `environment \`${job.environment.name.text}\``, at: job.environment.name.at };
  }
  if (!deploy) {
    outer: for (const p of pipelines) {
      for (const c of p.pipeline.commands) {
        const text = c.args.join(' ');
        if (DEPLOY_COMMANDS.some((re) => re.test(text))) {
          const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
          deploy = { kind: 'command', label: `\`${shown}\``, at: locateIn(p.item.str, p.pipeline.line, c.words[0]) };
          break outer;
        }
      }
    }
  }
  // Variables the pipeline gives a literal value are not settings credentials (a literal is the
  // secret rules' business).
  const literal = new Set([...model.globalVariables, ...job.variables].filter((v) => v.value !== null && !/\$/.test(v.value.text)).map((v) => v.name));
  const credentials = new Map<string, At>();
  for (const p of pipelines) {
    for (const name of referencedVariables(p.pipeline.text)) {
      if (!isCredentialName(name) || literal.has(name) || credentials.has(name)) continue;
      credentials.set(name, locateIn(p.item.str, p.pipeline.line, name));
    }
  }
  for (const v of job.variables) {
    for (const name of v.value ? referencedVariables(v.value.text) : []) {
      if (isCredentialName(name) && !literal.has(name) && !credentials.has(name)) credentials.set(name, v.value!.at);
    }
  }
  for (const p of job.secrets?.pairs ?? []) if (!credentials.has(p.key.text)) credentials.set(p.key.text, p.key.at);
  return { pipelines, ...(deploy ? { deploy } : {}), credentials };
}
