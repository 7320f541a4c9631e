import { bearer, describe, field, readStatus, type Verifier } from '../verifier.js';

/** Heroku: `GET /account` (Platform API v3) returns the account's email. 401 `unauthorized`, 429 `rate_limit`. */
const HOST = 'api.heroku.com';

export const heroku: Verifier = {
  id: 'heroku',
  provider: 'Heroku',
  rules: ['heroku-api-key', 'heroku-api-key-legacy'],
  hosts: [HOST],
  endpoint: 'GET https://api.heroku.com/account',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/account`, headers: bearer(key, { accept: 'application/vnd.heroku+json; version=3' }) };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['account', field(body, 'email')]]) });
  },
};
