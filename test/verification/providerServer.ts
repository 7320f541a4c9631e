/**
 * A real HTTP server on 127.0.0.1 standing in for every provider a verifier asks. keyfence reaches
 * it through KEYFENCE_VERIFY_BASE_URL, which turns `https://HOST/PATH` into `BASE/HOST/PATH`; the
 * server records each request (host, method, path, headers, body) and answers with what the test's
 * `respond` returns. Nothing here reaches beyond loopback.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  host: string;
  method: string;
  /** Path and query after the host. */
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Everything a credential could hide in: the path, the headers (basic auth decoded) and the body. */
  text: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  /** Never answer (for timeouts). */
  hang?: boolean;
}

export interface ProviderServer {
  url: string;
  requests: SeenRequest[];
  respond: (request: SeenRequest) => Reply;
  close(): Promise<void>;
}

export async function startProviderServer(): Promise<ProviderServer> {
  const state: ProviderServer = {
    url: '',
    requests: [],
    respond: () => ({ status: 500, body: 'no answer set' }),
    close: async () => {},
  };
  const hanging = new Set<import('node:http').ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [, host = '', ...rest] = (req.url ?? '/').split('/');
      const body = Buffer.concat(chunks).toString('utf8');
      const auth = req.headers.authorization ?? '';
      const decoded = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
      const path = `/${rest.join('/')}`;
      const seen: SeenRequest = {
        host,
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        text: [decodeURIComponent(path), JSON.stringify(req.headers), decoded, body].join('\n'),
      };
      state.requests.push(seen);
      const reply = state.respond(seen);
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      const type = typeof reply.body === 'string' ? 'text/plain' : 'application/json';
      res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
