import fc from 'fast-check';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTarget, createTransport, testBaseUrl } from '../../src/verification/http.js';
import { VERIFIERS, verificationHosts } from '../../src/verification/registry.js';
import { runChecks } from '../../src/verification/runner.js';
import type { Verifier } from '../../src/verification/verifier.js';
import { credentialFor } from './credentials.js';
import { startProviderServer, type ProviderServer } from './providerServer.js';

let server: ProviderServer;
beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());

/** Credential-like strings, with the characters that could bend a URL: / @ ? # : % \ and spaces. */
const credentials = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.stringMatching(/^[A-Za-z0-9_\-./@?#:%\\ +=]{1,120}$/),
  fc.constantFrom(...VERIFIERS.map((v) => credentialFor(v).credential)).chain((c) =>
    fc.tuple(fc.nat(c.length), fc.constantFrom('/', '@', '//evil.example/', '#', '?x=', '\\', '%2F', ':443')).map(([at, s]) => c.slice(0, at) + s + c.slice(at)),
  ),
);

/** A port nothing listens on: one the system just gave out and took back. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('where a credential may go', () => {
  it('every verifier asks only https on its own hosts, whatever the credential holds', () => {
    fc.assert(
      fc.property(fc.constantFrom(...VERIFIERS), credentials, (verifier: Verifier, credential: string) => {
        const url = new URL(verifier.request(credential).url);
        expect(url.protocol).toBe('https:');
        expect(verifier.hosts).toContain(url.hostname);
        expect(url.port).toBe('');
        expect(url.username + url.password).toBe('');
        expect(() => checkTarget(verifier.request(credential), verifier.hosts)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('the transport refuses any host off the list, and no connection is made', async () => {
    const hosts = new Set(verificationHosts().map((h) => h.host));
    await fc.assert(
      fc.asyncProperty(fc.domain().filter((d) => !hosts.has(d)), fc.constantFrom('http', 'https'), async (host, scheme) => {
        server.requests.length = 0;
        const rogue: Verifier = { ...VERIFIERS[0]!, request: () => ({ method: 'GET', url: `${scheme}://${host}/user`, headers: {} }) };
        const transport = createTransport({ KEYFENCE_VERIFY_BASE_URL: server.url });
        const check = { verifier: rogue, credential: 'x' };
        const result = (await runChecks([check], { transport })).get(check)!;
        await transport.close();
        expect(result.status).toBe('error');
        expect(result.reason).toMatch(/^refused: /);
        expect(server.requests).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('the host list is fixed, has no duplicates per provider, and names only https hosts', () => {
    const list = verificationHosts();
    expect(list.length).toBe(VERIFIERS.reduce((n, v) => n + v.hosts.length, 0));
    for (const { host } of list) expect(host).toMatch(/^[a-z0-9.-]+\.[a-z]{2,}$/);
  });

  it('the test redirect is refused unless it points at loopback', () => {
    expect(testBaseUrl({})).toBeUndefined();
    expect(testBaseUrl({ KEYFENCE_VERIFY_BASE_URL: 'http://127.0.0.1:8080' })?.host).toBe('127.0.0.1:8080');
    expect(testBaseUrl({ KEYFENCE_VERIFY_BASE_URL: 'http://localhost:1' })?.hostname).toBe('localhost');
    expect(testBaseUrl({ KEYFENCE_VERIFY_BASE_URL: 'http://[::1]:1' })?.hostname).toBe('[::1]');
    for (const bad of ['https://api.github.com', 'http://10.0.0.1:80', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example', 'file:///tmp/x', 'not a url'])
      expect(() => testBaseUrl({ KEYFENCE_VERIFY_BASE_URL: bad })).toThrow(/KEYFENCE_VERIFY_BASE_URL/);
  });

  it('asks once per distinct credential, and failures are reasons that never quote the credential', async () => {
    const telegram = VERIFIERS.find((v) => v.id === 'telegram')!;
    const { credential } = credentialFor(telegram);
    server.requests.length = 0;
    server.respond = () => ({ status: 200, body: { ok: true, result: { id: 1, username: 'b' } } });
    const transport = createTransport({ KEYFENCE_VERIFY_BASE_URL: server.url });
    const checks = [1, 2, 3].map(() => ({ verifier: telegram, credential }));
    const results = await runChecks(checks, { transport });
    expect(server.requests.length).toBe(1);
    expect([...results.values()].map((r) => r.status)).toEqual(['live', 'live', 'live']);
    // A closed port: connection refused, said without the URL (which holds the token).
    const closed = createTransport({ KEYFENCE_VERIFY_BASE_URL: `http://127.0.0.1:${await freePort()}` });
    const check = { verifier: telegram, credential };
    const failed = (await runChecks([check], { transport: closed })).get(check)!;
    await Promise.all([transport.close(), closed.close()]);
    expect(failed.status).toBe('error');
    expect(failed.reason).toBe('connection refused');
    expect(JSON.stringify(failed)).not.toContain(credential.slice(-12));
  });

  it('honours HTTP(S)_PROXY and NO_PROXY from the environment', async () => {
    const npm = VERIFIERS.find((v) => v.id === 'npm')!;
    const { credential } = credentialFor(npm);
    // A tunnelling proxy on loopback (undici's ProxyAgent always asks CONNECT), recording each tunnel.
    const proxied: string[] = [];
    const proxy = createHttpServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
      proxied.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    server.requests.length = 0;
    server.respond = () => ({ status: 200, body: { username: 'direct' } });
    const ask = async (env: NodeJS.ProcessEnv) => {
      const transport = createTransport({ KEYFENCE_VERIFY_BASE_URL: server.url, ...env });
      const check = { verifier: npm, credential };
      const result = (await runChecks([check], { transport })).get(check)!;
      await transport.close();
      return result.identity;
    };
    try {
      expect(await ask({ HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl })).toBe('user direct');
      expect(proxied).toEqual([new URL(server.url).host]);
      expect(await ask({ HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' })).toBe('user direct');
      expect(proxied.length).toBe(1);
      expect(server.requests.length).toBe(2);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('drops an identity that would repeat the credential', async () => {
    const npm = VERIFIERS.find((v) => v.id === 'npm')!;
    const { credential } = credentialFor(npm);
    server.respond = () => ({ status: 200, body: { username: `echo ${credential}` } });
    const transport = createTransport({ KEYFENCE_VERIFY_BASE_URL: server.url });
    const check = { verifier: npm, credential };
    const result = (await runChecks([check], { transport })).get(check)!;
    await transport.close();
    expect(result.status).toBe('live');
    expect(result.identity).toBeUndefined();
  });
});
