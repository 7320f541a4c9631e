import { basic, describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Mailgun: `GET /v3/domains?limit=1` with basic auth `api:KEY` lists the account's sending domains.
 * 401 `Forbidden` (or `Invalid private key`). Only the US region's host is asked: an EU key is
 * reported invalid there (docs/verification.md says so).
 */
const HOST = 'api.mailgun.net';

export const mailgun: Verifier = {
  id: 'mailgun',
  provider: 'Mailgun',
  rules: ['mailgun-api-key', 'mailgun-private-api-key'],
  hosts: [HOST],
  endpoint: 'GET https://api.mailgun.net/v3/domains?limit=1',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/v3/domains?limit=1`, headers: basic('api', key) };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['domains', field(body, 'total_count')], ['first', field((body as { items?: unknown[] })?.items?.[0], 'name')]]) });
  },
};
