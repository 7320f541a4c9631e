import { bearer, describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * DigitalOcean: `GET /v2/account` returns the account (email, status, team). 401 `Unable to
 * authenticate you`; 429 `too_many_requests`.
 */
const HOST = 'api.digitalocean.com';

export const digitalocean: Verifier = {
  id: 'digitalocean',
  provider: 'DigitalOcean',
  rules: ['digitalocean-personal-access-token', 'digitalocean-oauth-access-token'],
  hosts: [HOST],
  endpoint: 'GET https://api.digitalocean.com/v2/account',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/v2/account`, headers: bearer(token) };
  },
  read(response) {
    return readStatus(response, {
      identity: (body) => describe([['account', field(body, 'account', 'email')], ['team', field(body, 'account', 'team', 'name')], ['status', field(body, 'account', 'status')]]),
    });
  },
};
