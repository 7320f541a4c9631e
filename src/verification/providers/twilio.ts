import { basic, describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Twilio: `GET /2010-04-01/Accounts/{AccountSid}.json` with the account SID and auth token as basic
 * auth returns the account (friendly name, status). 401 error 20003 `Authenticate`; 429 error 20429.
 * The rule finds the auth token; its SID is on the same line.
 */
const HOST = 'api.twilio.com';
const SID = /\b(AC[a-f0-9]{32})\b/;
const TOKEN = /^[a-f0-9]{32}$/;

export const twilio: Verifier = {
  id: 'twilio',
  provider: 'Twilio',
  rules: ['twilio-account-credentials'],
  hosts: [HOST],
  endpoint: 'GET https://api.twilio.com/2010-04-01/Accounts/{AccountSid}.json',
  credential(c) {
    const sid = SID.exec(c.lineText)?.[1];
    return sid && TOKEN.test(c.secret) ? `${sid}:${c.secret}` : undefined;
  },
  request(credential) {
    const [sid = '', token = ''] = credential.split(':');
    const account = SID.test(sid) ? sid : 'AC';
    return { method: 'GET', url: `https://${HOST}/2010-04-01/Accounts/${account}.json`, headers: basic(account, token) };
  },
  read(response) {
    return readStatus(response, {
      identity: (body) => describe([['account', field(body, 'friendly_name')], ['status', field(body, 'status')]]),
      revoked: (body) => field(body, 'status') === 'closed',
    });
  },
};
