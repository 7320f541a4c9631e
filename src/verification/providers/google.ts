import { field, json, readStatus, type Verifier } from '../verifier.js';

/**
 * Google API keys: listing the Generative Language models is free and read-only. Google checks the
 * key before the API: an unknown key gets 400 with reason `API_KEY_INVALID`; a working key whose
 * project has not enabled that API gets 403 (`SERVICE_DISABLED`, `API_KEY_SERVICE_BLOCKED`), which
 * still says the key is live.
 */
const HOST = 'generativelanguage.googleapis.com';

function reasonOf(body: unknown): string {
  const details = (body as { error?: { details?: Array<{ reason?: string }> } })?.error?.details;
  return (Array.isArray(details) ? details.map((d) => d?.reason ?? '').join(' ') : '') + ' ' + (field(body, 'error', 'status') ?? '');
}

export const google: Verifier = {
  id: 'google-api-key',
  provider: 'Google API key',
  rules: ['gcp-api-key'],
  hosts: [HOST],
  endpoint: 'GET https://generativelanguage.googleapis.com/v1beta/models?pageSize=1 (x-goog-api-key)',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/v1beta/models?pageSize=1`, headers: { 'x-goog-api-key': key, accept: 'application/json' } };
  },
  read(response) {
    const reason = reasonOf(json(response));
    if (response.status === 400 && /API_KEY_INVALID/.test(reason)) return { status: 'invalid' };
    if (response.status === 400 && /API_KEY_EXPIRED/.test(reason)) return { status: 'revoked', identity: 'expired' };
    if (response.status === 403 && /SERVICE_DISABLED|API_KEY_SERVICE_BLOCKED|PERMISSION_DENIED/.test(reason))
      return { status: 'live', identity: 'key exists; the Generative Language API is not enabled for it' };
    return readStatus(response, { identity: () => 'key works for the Generative Language API' });
  },
};
