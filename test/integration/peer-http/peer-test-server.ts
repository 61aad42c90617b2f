/** A real HTTP(S) server on a loopback address for the peer client tests: counts connections, records requests. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly localAddress: string;
  readonly servername: string | undefined;
}

export interface PeerTestServer {
  readonly port: number;
  readonly host: string;
  /** TCP connections accepted so far. */
  connections(): number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

export const TEST_CA = fixture('ca.pem');

export async function startPeerServer(
  handler: Handler,
  options: { host?: string; port?: number; tls?: boolean } = {},
): Promise<PeerTestServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const socket = req.socket as Socket & Partial<Pick<TLSSocket, 'servername'>>;
      const servername = typeof socket.servername === 'string' ? socket.servername : undefined;
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        localAddress: req.socket.localAddress ?? '',
        servername,
      });
      handler(req, res, body);
    });
  };
  const server: Server = options.tls
    ? createTlsServer({ cert: fixture('peer.pem'), key: fixture('peer.key') }, onRequest)
    : createServer(onRequest);
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    host,
    connections: () => connections,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Two servers, on 127.0.0.1 and 127.0.0.2, sharing one port number (bounded retries). */
export async function startTwinServers(
  handler: Handler,
): Promise<{ first: PeerTestServer; second: PeerTestServer }> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const second = await startPeerServer(handler, { host: '127.0.0.2' });
    try {
      const first = await startPeerServer(handler, { host: '127.0.0.1', port: second.port });
      return { first, second };
    } catch {
      await second.close();
    }
  }
  throw new Error('no port free on both 127.0.0.1 and 127.0.0.2');
}

export function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  type = 'application/json',
): void {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(value));
}

/** An injected resolver: answers from `table` (a list per call, the last one repeating) and counts calls. */
export function fakeLookup(table: Record<string, string[][]>): {
  lookup: (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;
  calls: string[];
} {
  const calls: string[] = [];
  const lookup = (host: string) => {
    const n = calls.filter((h) => h === host).length;
    calls.push(host);
    const answers = table[host];
    const answer = answers?.[Math.min(n, answers.length - 1)];
    if (answer === undefined) {
      return Promise.reject(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }),
      );
    }
    return Promise.resolve(
      answer.map((address) => ({
        address,
        family: address.includes(':') ? (6 as const) : (4 as const),
      })),
    );
  };
  return { lookup, calls };
}
