import { describe, field, json, rateLimited, type Verifier, unexpected } from '../verifier.js';

/**
 * Linear: the GraphQL query `{ viewer { id name email } }` (a query, never a mutation). API keys
 * go bare in `Authorization`, OAuth tokens as `Bearer`. Unauthenticated requests get an error of
 * type `AUTHENTICATION_ERROR` (HTTP 400 or 401); rate limits `RATELIMITED`.
 */
const HOST = 'api.linear.app';

export const linear: Verifier = {
  id: 'linear',
  provider: 'Linear',
  rules: ['linear-api-key', 'linear-oauth-access-token'],
  hosts: [HOST],
  endpoint: 'POST https://api.linear.app/graphql { viewer { id name email } }',
  request(token) {
    return {
      method: 'POST',
      url: `https://${HOST}/graphql`,
      headers: { authorization: token.startsWith('lin_oauth_') ? `Bearer ${token}` : token, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id name email } }' }),
    };
  },
  read(response) {
    const body = json(response);
    const code = field((body as { errors?: unknown[] })?.errors?.[0], 'extensions', 'code') ?? '';
    if (code === 'RATELIMITED' || response.status === 429) return { status: 'error', reason: rateLimited(response) };
    if (code === 'AUTHENTICATION_ERROR' || response.status === 401) return { status: 'invalid' };
    if (response.status === 200 && field(body, 'data', 'viewer', 'id'))
      return { status: 'live', identity: describe([['user', field(body, 'data', 'viewer', 'name')], ['email', field(body, 'data', 'viewer', 'email')]]) ?? 'valid' };
    return unexpected(response.status);
  },
};
