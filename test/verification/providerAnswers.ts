/**
 * Each provider's answers as its API documentation describes them (success, unknown credential,
 * revoked or expired credential where the provider tells it apart, rate limit), with the identity
 * keyfence must read from the success. Only the fields the verifiers read, and a few beside them.
 */
import type { Reply } from './providerServer.js';

export interface ProviderAnswers {
  live: Reply;
  /** What `verification.identity` must say for `live`. */
  identity: string;
  invalid: Reply;
  revoked?: Reply;
  rateLimited: Reply;
}

const unauthorized = (body: unknown, status = 401): Reply => ({ status, body });
const tooMany = (body: unknown = {}, headers: Record<string, string> = { 'retry-after': '30' }): Reply => ({ status: 429, headers, body });

export const ANSWERS: Record<string, ProviderAnswers> = {
  github: {
    live: { status: 200, headers: { 'x-oauth-scopes': 'repo, read:org', 'x-ratelimit-remaining': '4999' }, body: { login: 'octocat', id: 1, type: 'User' } },
    identity: 'login octocat, scopes repo, read:org',
    invalid: unauthorized({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' }),
    rateLimited: { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }, body: { message: 'API rate limit exceeded' } },
  },
  gitlab: {
    live: { status: 200, body: { id: 4, name: 'Test Token', revoked: false, scopes: ['api', 'read_user'], user_id: 24, active: true, expires_at: '2027-01-31' } },
    identity: 'user id 24, token Test Token, scopes api read_user, expires 2027-01-31',
    invalid: unauthorized({ message: '401 Unauthorized' }),
    revoked: unauthorized({ error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' }),
    rateLimited: tooMany('Retry later'),
  },
  stripe: {
    live: { status: 200, body: { object: 'balance', livemode: true, available: [{ amount: 0, currency: 'usd' }], pending: [] } },
    identity: 'livemode true',
    invalid: unauthorized({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_live_****************1234' } }),
    revoked: unauthorized({ error: { type: 'invalid_request_error', message: 'Expired API Key provided: sk_live_****************1234' } }),
    rateLimited: tooMany({ error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' } }),
  },
  slack: {
    live: { status: 200, body: { ok: true, url: 'https://acme.slack.com/', team: 'Acme', user: 'deploybot', team_id: 'T12345', user_id: 'U12345', bot_id: 'B12345' } },
    identity: 'team Acme, user deploybot, team id T12345, bot B12345',
    invalid: { status: 200, body: { ok: false, error: 'invalid_auth' } },
    revoked: { status: 200, body: { ok: false, error: 'token_revoked' } },
    rateLimited: tooMany({ ok: false, error: 'ratelimited' }),
  },
  'slack-webhook': {
    live: { status: 400, body: 'no_text' },
    identity: 'the webhook exists and accepts messages',
    invalid: { status: 404, body: 'no_service' },
    revoked: { status: 403, body: 'invalid_token' },
    rateLimited: tooMany('rate_limited'),
  },
  openai: {
    live: { status: 200, headers: { 'openai-organization': 'org-acme' }, body: { object: 'list', data: [{ id: 'gpt-4o', object: 'model' }] } },
    identity: 'organization org-acme',
    invalid: unauthorized({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } }),
    rateLimited: tooMany({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }),
  },
  anthropic: {
    live: { status: 200, body: { data: [{ id: 'claude-sonnet-4-5', type: 'model' }], has_more: false } },
    identity: '',
    invalid: unauthorized({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }),
    rateLimited: tooMany({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' } }),
  },
  aws: {
    live: {
      status: 200,
      body: '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLEUSERID</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
    },
    identity: 'account 123456789012, arn arn:aws:iam::123456789012:user/ci',
    invalid: { status: 403, body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>' },
    revoked: { status: 403, body: '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error></ErrorResponse>' },
    rateLimited: { status: 400, body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>' },
  },
  'google-api-key': {
    live: { status: 200, body: { models: [{ name: 'models/gemini-2.0-flash' }], nextPageToken: 'x' } },
    identity: 'key works for the Generative Language API',
    invalid: {
      status: 400,
      body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] } },
    },
    revoked: {
      status: 400,
      body: { error: { code: 400, message: 'API key expired. Please renew the API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_EXPIRED' }] } },
    },
    rateLimited: tooMany({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded' } }),
  },
  sendgrid: {
    live: { status: 200, body: { scopes: ['mail.send', 'alerts.read'] } },
    identity: 'scopes 2 (can send mail)',
    invalid: unauthorized({ errors: [{ field: null, message: 'authorization required' }] }),
    rateLimited: tooMany({ errors: [{ field: null, message: 'too many requests' }] }),
  },
  twilio: {
    live: { status: 200, body: { sid: 'ACxx', friendly_name: 'Acme Prod', status: 'active', type: 'Full' } },
    identity: 'account Acme Prod, status active',
    invalid: unauthorized({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 }),
    rateLimited: tooMany({ code: 20429, message: 'Too Many Requests', status: 429 }),
  },
  mailgun: {
    live: { status: 200, body: { total_count: 1, items: [{ name: 'mg.acme.io', state: 'active' }] } },
    identity: 'domains 1, first mg.acme.io',
    invalid: unauthorized('Forbidden'),
    rateLimited: tooMany({ message: 'Too many requests' }),
  },
  npm: {
    live: { status: 200, body: { username: 'acme-publisher' } },
    identity: 'user acme-publisher',
    invalid: unauthorized({ error: 'You must be logged in to do that' }),
    rateLimited: tooMany({ error: 'Too many requests' }),
  },
  huggingface: {
    live: {
      status: 200,
      body: { type: 'user', id: '1', name: 'acme-ml', orgs: [{ name: 'acme', type: 'org' }], auth: { type: 'access_token', accessToken: { displayName: 'ci', role: 'write' } } },
    },
    identity: 'user acme-ml, orgs acme, token ci, role write',
    invalid: unauthorized({ error: 'Invalid credentials in Authorization header' }),
    rateLimited: tooMany({ error: 'Rate limit reached' }),
  },
  datadog: {
    live: { status: 200, body: { valid: true } },
    identity: 'API key valid (site US1)',
    invalid: unauthorized({ errors: ['Forbidden'] }, 403),
    rateLimited: tooMany({ errors: ['Too many requests'] }),
  },
  digitalocean: {
    live: { status: 200, body: { account: { email: 'ops@acme.io', uuid: 'b6fr89', status: 'active', email_verified: true, team: { uuid: 't1', name: 'Acme' } } } },
    identity: 'account ops@acme.io, team Acme, status active',
    invalid: unauthorized({ id: 'Unauthorized', message: 'Unable to authenticate you.' }),
    rateLimited: tooMany({ id: 'too_many_requests', message: 'API Rate limit exceeded.' }),
  },
  heroku: {
    live: { status: 200, body: { email: 'ops@acme.io', id: '01234567-89ab-cdef-0123-456789abcdef', verified: true } },
    identity: 'account ops@acme.io',
    invalid: unauthorized({ id: 'unauthorized', message: 'Invalid credentials provided.' }),
    rateLimited: tooMany({ id: 'rate_limit', message: 'Your account reached the API rate limit' }),
  },
  discord: {
    live: { status: 200, body: { id: '80351110224678912', username: 'acme-bot', bot: true } },
    identity: 'bot acme-bot, id 80351110224678912',
    invalid: unauthorized({ message: '401: Unauthorized', code: 0 }),
    rateLimited: tooMany({ message: 'You are being rate limited.', retry_after: 64.57, global: false }),
  },
  'discord-webhook': {
    live: { status: 200, body: { type: 1, id: '223704706495545344', name: 'deploys', channel_id: '199737254929760256', guild_id: '199737254929760256' } },
    identity: 'webhook deploys, channel 199737254929760256, guild 199737254929760256',
    invalid: unauthorized({ message: 'Invalid Webhook Token', code: 50027 }),
    revoked: { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
    rateLimited: tooMany({ message: 'You are being rate limited.', retry_after: 1.5, global: false }),
  },
  telegram: {
    live: { status: 200, body: { ok: true, result: { id: 123456789, is_bot: true, first_name: 'Acme', username: 'acme_bot' } } },
    identity: 'bot acme_bot, id 123456789',
    invalid: unauthorized({ ok: false, error_code: 401, description: 'Unauthorized' }),
    rateLimited: tooMany({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 5', parameters: { retry_after: 5 } }),
  },
  postmark: {
    live: { status: 200, body: { ID: 1, Name: 'Acme Production', ApiTokens: ['redacted'] } },
    identity: 'server Acme Production, id 1',
    invalid: unauthorized({ ErrorCode: 10, Message: 'Request does not contain a valid Server token.' }),
    rateLimited: tooMany({ ErrorCode: 429, Message: 'Rate Limit Exceeded' }),
  },
  doppler: {
    live: { status: 200, body: { workplace: { name: 'Acme', slug: 'acme' }, name: 'ci', slug: 'ci', type: 'service_token' } },
    identity: 'workplace Acme, token ci, type service_token',
    invalid: unauthorized({ messages: ['Invalid Auth token'], success: false }),
    rateLimited: tooMany({ messages: ['Too many requests'], success: false }),
  },
  linear: {
    live: { status: 200, body: { data: { viewer: { id: 'u1', name: 'Ada', email: 'ada@acme.io' } } } },
    identity: 'user Ada, email ada@acme.io',
    invalid: { status: 400, body: { errors: [{ message: 'Authentication required, not authenticated', extensions: { code: 'AUTHENTICATION_ERROR' } }] } },
    rateLimited: { status: 400, body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] } },
  },
  notion: {
    live: { status: 200, body: { object: 'user', id: 'u1', name: 'Acme sync', type: 'bot', bot: { owner: { type: 'workspace', workspace: true }, workspace_name: 'Acme' } } },
    identity: 'integration Acme sync, workspace Acme',
    invalid: unauthorized({ object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.' }),
    rateLimited: tooMany({ object: 'error', status: 429, code: 'rate_limited', message: 'You have been rated limited.' }),
  },
};
