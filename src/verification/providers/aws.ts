import aws4 from 'aws4';
import { type Candidate, type Outcome, type ProbeResponse, type Verifier, unexpected } from '../verifier.js';

/**
 * AWS: STS `GetCallerIdentity` needs no permission and changes nothing; it answers with the
 * account, the ARN and the user id. The request is signed with SigV4 by `aws4`. A secret needs its
 * key id: the rule that found one looks for the other on the same line or a few lines away.
 * 403 `InvalidClientTokenId` (no such key id) and `SignatureDoesNotMatch` (wrong secret) are
 * invalid; `ExpiredToken` is revoked; `Throttling` is a rate limit.
 */
const HOST = 'sts.amazonaws.com';
const KEY_ID = /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9])/;
const KEY_ID_RULES = new Set(['aws-access-key-id', 'aws-temporary-access-key-id']);
const SECRET_RULES = new Set(['aws-secret-access-key', 'aws-secret-key-beside-key-id']);

function pair(c: Candidate): string | undefined {
  if (KEY_ID_RULES.has(c.ruleId)) {
    const secret = c.nearby.find((n) => SECRET_RULES.has(n.ruleId))?.secret;
    return secret ? `${c.secret}:${secret}` : undefined;
  }
  const keyId = c.nearby.find((n) => KEY_ID_RULES.has(n.ruleId))?.secret ?? KEY_ID.exec(c.lineText)?.[1];
  return keyId ? `${keyId}:${c.secret}` : undefined;
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]{1,200})</${name}>`).exec(xml)?.[1];
}

export const aws: Verifier = {
  id: 'aws',
  provider: 'AWS',
  rules: [...KEY_ID_RULES, ...SECRET_RULES],
  hosts: [HOST],
  endpoint: 'POST https://sts.amazonaws.com/ Action=GetCallerIdentity (SigV4-signed)',
  credential: pair,
  request(credential) {
    const split = credential.indexOf(':');
    const accessKeyId = credential.slice(0, split);
    const secretAccessKey = credential.slice(split + 1);
    const body = 'Action=GetCallerIdentity&Version=2011-06-15';
    const signed = aws4.sign(
      { host: HOST, path: '/', method: 'POST', service: 'sts', region: 'us-east-1', body, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } },
      { accessKeyId, secretAccessKey },
    );
    const headers: Record<string, string> = {};
    // fetch sets Host from the URL: the same host that was signed.
    for (const [name, value] of Object.entries(signed.headers ?? {})) if (name.toLowerCase() !== 'host' && name.toLowerCase() !== 'content-length') headers[name.toLowerCase()] = String(value);
    return { method: 'POST', url: `https://${HOST}/`, headers, body };
  },
  read(response: ProbeResponse): Outcome {
    const xml = response.body;
    if (response.status === 200) {
      const account = tag(xml, 'Account');
      const arn = tag(xml, 'Arn');
      return { status: 'live', identity: [account && `account ${account}`, arn && `arn ${arn}`].filter(Boolean).join(', ') || 'valid' };
    }
    const code = tag(xml, 'Code') ?? '';
    if (code === 'Throttling' || response.status === 429) return { status: 'error', reason: `rate limited (HTTP ${response.status})` };
    if (code === 'ExpiredToken') return { status: 'revoked', identity: 'expired' };
    if (response.status === 403 || code === 'InvalidClientTokenId' || code === 'SignatureDoesNotMatch') return { status: 'invalid' };
    return unexpected(response.status);
  },
};
