import { bearer, describe, field, json, readStatus, type Verifier } from '../verifier.js';

/**
 * Stripe: `GET /v1/balance` is read-only and says `livemode`. A restricted key without the balance
 * permission gets 403: the key works. An invalid key gets 401 `Invalid API Key provided`, an
 * expired (rolled) one `Expired API Key provided`.
 */
const HOST = 'api.stripe.com';

export const stripe: Verifier = {
  id: 'stripe',
  provider: 'Stripe',
  rules: ['stripe-live-secret-key', 'stripe-live-restricted-key', 'stripe-test-secret-key', 'stripe-test-restricted-key'],
  hosts: [HOST],
  endpoint: 'GET https://api.stripe.com/v1/balance',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/v1/balance`, headers: bearer(key) };
  },
  read(response) {
    if (response.status === 403) return { status: 'live', identity: 'restricted key without balance read permission' };
    return readStatus(response, {
      identity: (body) => describe([['livemode', field(body, 'livemode')]]),
      revoked: () => /expired api key/i.test(field(json(response), 'error', 'message') ?? ''),
    });
  },
};
