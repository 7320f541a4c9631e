import { describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * GitLab.com: `GET /api/v4/personal_access_tokens/self` describes the token that asks (name,
 * scopes, owner id, expiry). A revoked or expired token gets 401 with `invalid_token` and a
 * description that says which.
 */
const HOST = 'gitlab.com';

export const gitlab: Verifier = {
  id: 'gitlab',
  provider: 'GitLab',
  rules: ['gitlab-personal-access-token'],
  hosts: [HOST],
  endpoint: 'GET https://gitlab.com/api/v4/personal_access_tokens/self',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/api/v4/personal_access_tokens/self`, headers: { 'private-token': token, accept: 'application/json' } };
  },
  read(response) {
    return readStatus(response, {
      identity: (body) =>
        describe([
          ['user id', field(body, 'user_id')],
          ['token', field(body, 'name')],
          ['scopes', Array.isArray((body as { scopes?: unknown })?.scopes) ? (body as { scopes: string[] }).scopes.join(' ') : undefined],
          ['expires', field(body, 'expires_at')],
        ]),
      revoked: (body) => /revoked|expired/i.test(field(body, 'error_description') ?? ''),
    });
  },
};
