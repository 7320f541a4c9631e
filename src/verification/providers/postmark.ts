import { describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Postmark server tokens: `GET /server` with `X-Postmark-Server-Token` returns the server (ID,
 * Name). 401 with ErrorCode 10 for a bad token.
 */
const HOST = 'api.postmarkapp.com';

export const postmark: Verifier = {
  id: 'postmark',
  provider: 'Postmark',
  rules: ['postmark-server-token'],
  hosts: [HOST],
  endpoint: 'GET https://api.postmarkapp.com/server',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/server`, headers: { 'x-postmark-server-token': token, accept: 'application/json' } };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['server', field(body, 'Name')], ['id', field(body, 'ID')]]) });
  },
};
