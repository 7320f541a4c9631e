import { describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Anthropic: `GET /v1/models` for API keys (free, read-only); admin keys ask
 * `GET /v1/organizations/me`, which names the organisation. 401 `authentication_error`,
 * 429 `rate_limit_error`, 529 `overloaded_error`.
 */
const HOST = 'api.anthropic.com';
const HEADERS = { 'anthropic-version': '2023-06-01', accept: 'application/json' };

export const anthropic: Verifier = {
  id: 'anthropic',
  provider: 'Anthropic',
  rules: ['anthropic-api-key', 'anthropic-admin-api-key'],
  hosts: [HOST],
  endpoint: 'GET https://api.anthropic.com/v1/models (admin keys: GET /v1/organizations/me)',
  request(key) {
    const path = key.startsWith('sk-ant-admin') ? '/v1/organizations/me' : '/v1/models';
    return { method: 'GET', url: `https://${HOST}${path}`, headers: { 'x-api-key': key, ...HEADERS } };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['organization', field(body, 'name')], ['id', field(body, 'id')]]) });
  },
};
