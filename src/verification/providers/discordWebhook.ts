import { describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Discord webhooks: `GET /api/webhooks/{id}/{token}` reads the webhook (name, channel, guild)
 * without posting. A deleted webhook answers 404 `Unknown Webhook` (code 10015), a wrong token 401.
 */
const HOST = 'discord.com';
const URL_PARTS = /discord(?:app)?\.com\/api\/webhooks\/([0-9]{17,20})\/([A-Za-z0-9_-]{60,72})$/;

export const discordWebhook: Verifier = {
  id: 'discord-webhook',
  provider: 'Discord webhook',
  rules: ['discord-webhook-url'],
  hosts: [HOST],
  endpoint: 'GET https://discord.com/api/webhooks/{id}/{token} (reads, never posts)',
  credential: (c) => (URL_PARTS.test(c.secret) ? c.secret : undefined),
  request(url) {
    const [, id, token] = URL_PARTS.exec(url) ?? ['', '0', ''];
    return { method: 'GET', url: `https://${HOST}/api/webhooks/${id}/${encodeURIComponent(token!)}`, headers: { accept: 'application/json' } };
  },
  read(response) {
    return readStatus(response, {
      notFoundIsInvalid: true,
      identity: (body) => describe([['webhook', field(body, 'name')], ['channel', field(body, 'channel_id')], ['guild', field(body, 'guild_id')]]),
      revoked: (body) => field(body, 'code') === '10015',
    });
  },
};
