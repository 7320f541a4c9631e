/**
 * GitHub's published REST description (the @octokit/openapi package) as a test oracle: the local
 * API server's answers, and keyfence's requests to it, are validated against its schemas, so the
 * fakes cannot drift from what GitHub really sends and accepts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// The description is untyped JSON, walked by path: its values are whatever the path leads to.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON, see above
type Json = Record<string, any>;

let spec: Json | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction | null>();

function load(): { spec: Json; ajv: Ajv } {
  if (!spec || !ajv) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('@octokit/openapi/generated/api.github.com.json');
    spec = JSON.parse(readFileSync(path, 'utf8')) as Json;
    // OpenAPI 3.0 schemas: `nullable`, `example` and x- keywords; formats such as date-time and uri.
    ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    spec.components.responses.__basic_error = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/basic-error' } } } };
    ajv.addSchema(spec, 'github');
  }
  return { spec, ajv };
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function deref(value: Json): Json {
  const { spec: s } = load();
  let v = value;
  while (v && typeof v.$ref === 'string') {
    let o: Json = s;
    for (const part of v.$ref.replace(/^#\//, '').split('/')) o = o[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    v = o;
  }
  return v;
}

/** The operation of a method and path template, e.g. ('GET', '/repos/{owner}/{repo}/environments'). */
export function operation(method: string, template: string): Json {
  const op = load().spec.paths?.[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`GitHub's OpenAPI description has no ${method} ${template}`);
  return op;
}

/** Every path template of the description, for matching a request's path. */
export function templates(): string[] {
  return Object.keys(load().spec.paths);
}

function validator(key: string, ref: string): ValidateFunction {
  let fn = compiled.get(key);
  if (fn === undefined) {
    fn = load().ajv.compile({ $ref: `github#/${ref}` });
    compiled.set(key, fn);
  }
  return fn!;
}

/** Problems of a response body against the schema GitHub documents for that status; [] when it fits. */
export function responseProblems(method: string, template: string, status: number, body: unknown): string[] {
  const op = operation(method, template);
  let response = op.responses[String(status)];
  // GitHub answers 403, 404 and 422 on most endpoints without documenting each: they carry a basic-error body.
  if (!response && status >= 400) response = { $ref: '#/components/responses/__basic_error' };
  if (!response) return [`${method} ${template}: GitHub documents no ${status} response`];
  const resolved = deref(response);
  if (!resolved.content?.['application/json']?.schema) return body === undefined || body === '' ? [] : [`${method} ${template} ${status}: GitHub documents no JSON body`];
  const ref = response.$ref
    ? pointer(...response.$ref.replace(/^#\//, '').split('/').map((p: string) => p.replace(/~1/g, '/')), 'content', 'application/json', 'schema')
    : pointer('paths', template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema');
  const fn = validator(`res ${method} ${template} ${status}`, ref);
  return fn(body) ? [] : (fn.errors ?? []).slice(0, 5).map((e) => `${method} ${template} ${status}: ${e.instancePath || '/'} ${e.message}`);
}

/** Problems of a request body against the operation's documented request schema. */
export function requestProblems(method: string, template: string, body: unknown): string[] {
  const op = operation(method, template);
  if (!op.requestBody) return body === undefined ? [] : [`${method} ${template}: GitHub documents no request body`];
  const fn = validator(`req ${method} ${template}`, pointer('paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'));
  return fn(body) ? [] : (fn.errors ?? []).slice(0, 5).map((e) => `${method} ${template} request: ${e.instancePath || '/'} ${e.message}`);
}

/** The documented example answer of an operation, as a base for realistic fake answers. */
export function example(method: string, template: string, status = 200): Json {
  const op = operation(method, template);
  const content = deref(op.responses[String(status)]).content?.['application/json'];
  const ex = content?.examples ? deref(Object.values(content.examples)[0] as Json).value : content?.example;
  return structuredClone(ex);
}

/** A component schema's example object (`simple-user`, …). */
export function componentExample(name: string): Json {
  return structuredClone(load().spec.components.examples[name]?.value);
}
