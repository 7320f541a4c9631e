import { bearer, describe, field, json, readStatus, type Verifier } from '../verifier.js';

/**
 * OpenAI: `GET /v1/models` lists models for any working key and costs nothing; the organisation
 * comes back in the `openai-organization` header. 401 `invalid_api_key`; 429 is a rate limit,
 * except `insufficient_quota`, which a working key without credit gets.
 */
const HOST = 'api.openai.com';

export const openai: Verifier = {
  id: 'openai',
  provider: 'OpenAI',
  rules: ['openai-api-key'],
  hosts: [HOST],
  endpoint: 'GET https://api.openai.com/v1/models',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/v1/models`, headers: bearer(key) };
  },
  read(response) {
    if (response.status === 429 && field(json(response), 'error', 'code') === 'insufficient_quota') return { status: 'live', identity: 'no quota left' };
    return readStatus(response, { identity: (_body, r) => describe([['organization', r.headers['openai-organization']]]) });
  },
};
