import { type Verifier, unexpected } from '../verifier.js';

/**
 * Slack incoming webhooks, without posting: a JSON body with an empty `text` is refused by a live
 * webhook with 400 `no_text` (or `invalid_payload`) and nothing reaches the channel; a removed one
 * answers 403 `invalid_token` or 404 `no_service`, an archived channel 410 `channel_is_archived`.
 */
const HOST = 'hooks.slack.com';
const PATH = /hooks\.slack\.com\/services\/(T[A-Z0-9]{6,12})\/(B[A-Z0-9]{6,12})\/([A-Za-z0-9]{20,32})$/;

export const slackWebhook: Verifier = {
  id: 'slack-webhook',
  provider: 'Slack incoming webhook',
  rules: ['slack-webhook-url'],
  hosts: [HOST],
  endpoint: 'POST https://hooks.slack.com/services/… with {"text":""} (refused, never posted)',
  credential: (c) => (PATH.test(c.secret) ? c.secret : undefined),
  request(url) {
    const [, team, bot, token] = PATH.exec(url) ?? ['', 'T', 'B', ''];
    return {
      method: 'POST',
      url: `https://${HOST}/services/${team}/${bot}/${encodeURIComponent(token!)}`,
      headers: { 'content-type': 'application/json' },
      body: '{"text":""}',
    };
  },
  read(response) {
    const text = response.body.trim();
    if (response.status === 400 && (text === 'no_text' || text === 'invalid_payload' || text === 'missing_text_or_fallback_or_attachments'))
      return { status: 'live', identity: 'the webhook exists and accepts messages' };
    if (response.status === 410) return { status: 'revoked', identity: 'channel archived' };
    if (response.status === 403 || response.status === 404) return { status: text === 'invalid_token' ? 'revoked' : 'invalid' };
    if (response.status === 429) return { status: 'error', reason: 'rate limited (HTTP 429)' };
    return unexpected(response.status);
  },
};
