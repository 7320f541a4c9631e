import { describe, field, readStatus, bearer, type Verifier } from '../verifier.js';

/**
 * Hugging Face: `GET /api/whoami-v2` names the user (or organisation), its organisations and the
 * token's display name and role. 401 `Invalid credentials in Authorization header`.
 */
const HOST = 'huggingface.co';

export const huggingface: Verifier = {
  id: 'huggingface',
  provider: 'Hugging Face',
  rules: ['huggingface-access-token', 'huggingface-organization-token'],
  hosts: [HOST],
  endpoint: 'GET https://huggingface.co/api/whoami-v2',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/api/whoami-v2`, headers: bearer(token) };
  },
  read(response) {
    return readStatus(response, {
      identity: (body) => {
        const orgs = (body as { orgs?: unknown })?.orgs;
        return describe([
          [field(body, 'type') === 'org' ? 'organization' : 'user', field(body, 'name')],
          ['orgs', Array.isArray(orgs) && orgs.length ? orgs.map((o) => field(o, 'name') ?? '?').join(' ') : undefined],
          ['token', field(body, 'auth', 'accessToken', 'displayName')],
          ['role', field(body, 'auth', 'accessToken', 'role')],
        ]);
      },
    });
  },
};
