import { bearer, describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Notion: `GET /v1/users/me` returns the integration's bot user and its workspace. 401
 * `unauthorized` (`API token is invalid.`); 429 `rate_limited`.
 */
const HOST = 'api.notion.com';

export const notion: Verifier = {
  id: 'notion',
  provider: 'Notion',
  rules: ['notion-integration-token', 'notion-integration-token-legacy'],
  hosts: [HOST],
  endpoint: 'GET https://api.notion.com/v1/users/me',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/v1/users/me`, headers: bearer(token, { 'notion-version': '2022-06-28' }) };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['integration', field(body, 'name')], ['workspace', field(body, 'bot', 'workspace_name')]]) });
  },
};
