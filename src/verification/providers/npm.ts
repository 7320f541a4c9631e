import { bearer, describe, field, readStatus, type Verifier } from '../verifier.js';

/** npm: `GET /-/whoami` on the public registry returns `{ "username": … }`; 401 for a token it does not know. */
const HOST = 'registry.npmjs.org';

export const npm: Verifier = {
  id: 'npm',
  provider: 'npm',
  rules: ['npm-access-token', 'npm-legacy-access-token'],
  hosts: [HOST],
  endpoint: 'GET https://registry.npmjs.org/-/whoami',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/-/whoami`, headers: bearer(token) };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['user', field(body, 'username')]]) });
  },
};
