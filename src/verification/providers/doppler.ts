import { bearer, describe, field, readStatus, type Verifier } from '../verifier.js';

/** Doppler: `GET /v3/me` describes the token (name, type, workplace). 401 `Invalid Auth token`. */
const HOST = 'api.doppler.com';

export const doppler: Verifier = {
  id: 'doppler',
  provider: 'Doppler',
  rules: ['doppler-api-token', 'doppler-service-token'],
  hosts: [HOST],
  endpoint: 'GET https://api.doppler.com/v3/me',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/v3/me`, headers: bearer(token) };
  },
  read(response) {
    return readStatus(response, {
      identity: (body) => describe([['workplace', field(body, 'workplace', 'name')], ['token', field(body, 'name')], ['type', field(body, 'type')]]),
    });
  },
};
