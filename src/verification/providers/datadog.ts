import { field, json, readStatus, type Verifier } from '../verifier.js';

/**
 * Datadog: `GET /api/v1/validate` with `DD-API-KEY` answers `{ "valid": true }` or 403
 * `{ "errors": ["Forbidden"] }`. Only the US1 site is asked (api.datadoghq.com); a key of another
 * site reads as invalid there.
 */
const HOST = 'api.datadoghq.com';

export const datadog: Verifier = {
  id: 'datadog',
  provider: 'Datadog',
  rules: ['datadog-api-key'],
  hosts: [HOST],
  endpoint: 'GET https://api.datadoghq.com/api/v1/validate',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/api/v1/validate`, headers: { 'dd-api-key': key, accept: 'application/json' } };
  },
  read(response) {
    const outcome = readStatus(response, { identity: () => 'API key valid (site US1)' });
    if (outcome.status === 'live' && field(json(response), 'valid') === 'false') return { status: 'invalid' };
    return outcome;
  },
};
