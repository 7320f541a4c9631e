import { describe, field, readStatus, type Verifier } from '../verifier.js';

/**
 * Discord bot tokens: `GET /api/v10/users/@me` with `Authorization: Bot …` returns the bot user.
 * 401 `401: Unauthorized`; 429 with `retry_after`.
 */
const HOST = 'discord.com';

export const discord: Verifier = {
  id: 'discord',
  provider: 'Discord bot',
  rules: ['discord-bot-token'],
  hosts: [HOST],
  endpoint: 'GET https://discord.com/api/v10/users/@me',
  request(token) {
    return { method: 'GET', url: `https://${HOST}/api/v10/users/@me`, headers: { authorization: `Bot ${token}`, accept: 'application/json' } };
  },
  read(response) {
    return readStatus(response, { identity: (body) => describe([['bot', field(body, 'username')], ['id', field(body, 'id')]]) });
  },
};
