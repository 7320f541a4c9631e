import { bearer, describe, field, json, rateLimited, type Verifier, unexpected } from '../verifier.js';

/**
 * Slack tokens: `POST /api/auth.test` answers 200 with `ok: true`, the workspace and user, or
 * `ok: false` and an error code: `invalid_auth`/`not_authed` (unknown), `token_revoked`,
 * `token_expired`, `account_inactive` (revoked).
 */
const HOST = 'slack.com';
const REVOKED = new Set(['token_revoked', 'token_expired', 'account_inactive']);

export const slack: Verifier = {
  id: 'slack',
  provider: 'Slack',
  rules: ['slack-bot-token', 'slack-user-token', 'slack-legacy-token', 'slack-workspace-token'],
  hosts: [HOST],
  endpoint: 'POST https://slack.com/api/auth.test',
  request(token) {
    return { method: 'POST', url: `https://${HOST}/api/auth.test`, headers: bearer(token, { 'content-type': 'application/x-www-form-urlencoded' }), body: '' };
  },
  read(response) {
    if (response.status === 429) return { status: 'error', reason: rateLimited(response) };
    if (response.status !== 200) return unexpected(response.status);
    const body = json(response);
    if (field(body, 'ok') === 'true')
      return { status: 'live', identity: describe([['team', field(body, 'team')], ['user', field(body, 'user')], ['team id', field(body, 'team_id')], ['bot', field(body, 'bot_id')]]) ?? 'valid' };
    const error = field(body, 'error') ?? '';
    if (REVOKED.has(error)) return { status: 'revoked' };
    if (error === 'invalid_auth' || error === 'not_authed') return { status: 'invalid' };
    if (error === 'ratelimited') return { status: 'error', reason: rateLimited(response) };
    return { status: 'error', reason: `unexpected answer (${error.slice(0, 40) || 'no error code'})` };
  },
};
