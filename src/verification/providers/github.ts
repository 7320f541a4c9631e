import { bearer, describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * GitHub: `GET /user` answers for personal, OAuth and user-to-server tokens with the login, and
 * the classic scopes in `X-OAuth-Scopes`; installation tokens (ghs_) are not users, so they ask
 * `GET /installation/repositories`. A 403 with no rate limit left is a rate limit, not a bad token.
 */
const HOST = 'api.github.com';

export const github: Verifier = {
  id: 'github',
  provider: 'GitHub',
  rules: [
    'github-personal-access-token',
    'github-fine-grained-personal-access-token',
    'github-oauth-access-token',
    'github-user-to-server-token',
    'github-app-installation-token',
    'github-app-installation-token-jwt',
  ],
  hosts: [HOST],
  endpoint: 'GET https://api.github.com/user (installation tokens: GET /installation/repositories?per_page=1)',
  request(token) {
    const path = token.startsWith('ghs_') ? '/installation/repositories?per_page=1' : '/user';
    return { method: 'GET', url: `https://${HOST}${path}`, headers: bearer(token, { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' }) };
  },
  read(response) {
    if ((response.status === 403 || response.status === 429) && response.headers['x-ratelimit-remaining'] === '0')
      return { status: 'error', reason: `rate limited (HTTP ${response.status})` };
    return readStatus(response, {
      identity: (body, r) =>
        describe([
          ['login', field(body, 'login')],
          ['installation repositories', field(body, 'total_count')],
          ['scopes', r.headers['x-oauth-scopes'] || undefined],
          ['expires', r.headers['github-authentication-token-expiration']],
        ]),
    });
  },
};
