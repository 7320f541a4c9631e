import { anthropic } from './providers/anthropic.js';
import { aws } from './providers/aws.js';
import { datadog } from './providers/datadog.js';
import { digitalocean } from './providers/digitalocean.js';
import { discord } from './providers/discord.js';
import { discordWebhook } from './providers/discordWebhook.js';
import { doppler } from './providers/doppler.js';
import { github } from './providers/github.js';
import { gitlab } from './providers/gitlab.js';
import { google } from './providers/google.js';
import { heroku } from './providers/heroku.js';
import { huggingface } from './providers/huggingface.js';
import { linear } from './providers/linear.js';
import { mailgun } from './providers/mailgun.js';
import { notion } from './providers/notion.js';
import { npm } from './providers/npm.js';
import { openai } from './providers/openai.js';
import { postmark } from './providers/postmark.js';
import { sendgrid } from './providers/sendgrid.js';
import { slack } from './providers/slack.js';
import { slackWebhook } from './providers/slackWebhook.js';
import { stripe } from './providers/stripe.js';
import { telegram } from './providers/telegram.js';
import { twilio } from './providers/twilio.js';
import type { Verifier } from './verifier.js';

/** Every verifier, in the order docs/verification.md lists them. A new provider is one module and one line here. */
export const VERIFIERS: readonly Verifier[] = [
  github,
  gitlab,
  stripe,
  slack,
  slackWebhook,
  openai,
  anthropic,
  aws,
  google,
  sendgrid,
  twilio,
  mailgun,
  npm,
  huggingface,
  datadog,
  digitalocean,
  heroku,
  discord,
  discordWebhook,
  telegram,
  postmark,
  doppler,
  linear,
  notion,
];

const byRule = new Map<string, Verifier>();
for (const v of VERIFIERS)
  for (const rule of v.rules) {
    if (byRule.has(rule)) throw new Error(`rule ${rule} has two verifiers: ${byRule.get(rule)!.id} and ${v.id}`);
    byRule.set(rule, v);
  }

export function verifierFor(ruleId: string): Verifier | undefined {
  return byRule.get(ruleId);
}

/** The fixed list of hosts a credential may be sent to, with the provider that owns each. */
export function verificationHosts(): Array<{ host: string; provider: string; endpoint: string }> {
  return VERIFIERS.flatMap((v) => v.hosts.map((host) => ({ host, provider: v.provider, endpoint: v.endpoint })));
}
