import { bearer, describe, readStatus, type Verifier } from '../verifier.js';

/** SendGrid: `GET /v3/scopes` lists what the key may do and nothing else. 401 `authorization required`. */
const HOST = 'api.sendgrid.com';

export const sendgrid: Verifier = {
  id: 'sendgrid',
  provider: 'SendGrid',
  rules: ['sendgrid-api-key'],
  hosts: [HOST],
  endpoint: 'GET https://api.sendgrid.com/v3/scopes',
  request(key) {
    return { method: 'GET', url: `https://${HOST}/v3/scopes`, headers: bearer(key) };
  },
  read(response) {
    return readStatus(response, {
      identity: (body) => {
        const scopes = (body as { scopes?: unknown })?.scopes;
        return describe([['scopes', Array.isArray(scopes) ? `${scopes.length} (${scopes.includes('mail.send') ? 'can send mail' : 'cannot send mail'})` : undefined]]);
      },
    });
  },
};
