import { describe, field, json, readStatus, type Verifier } from '../verifier.js';

/**
 * Telegram bots: `getMe` returns `{ ok: true, result: { id, username } }`. A revoked token gets
 * 401 `Unauthorized`, a malformed one 404 `Not Found`; 429 carries `parameters.retry_after`.
 */
const HOST = 'api.telegram.org';

export const telegram: Verifier = {
  id: 'telegram',
  provider: 'Telegram bot',
  rules: ['telegram-bot-token'],
  hosts: [HOST],
  endpoint: 'GET https://api.telegram.org/bot{token}/getMe',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/bot${encodeURIComponent(token)}/getMe`, headers: { accept: 'application/json' } };
  },
  read(response) {
    const body = json(response);
    if (response.status === 200 && field(body, 'ok') !== 'true') return { status: 'error', reason: 'unexpected answer (ok is not true)' };
    return readStatus(response, {
      notFoundIsInvalid: true,
      identity: () => describe([['bot', field(body, 'result', 'username')], ['id', field(body, 'result', 'id')]]),
    });
  },
};
