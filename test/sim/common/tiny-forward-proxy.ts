/** Test-only HTTP forward proxy (absolute-form requests and CONNECT tunnels) that logs what it was
 * asked, to prove a simulator's `proxy` setting routes its outgoing traffic. */
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyLogEntry {
  method: string;
  /** Absolute URL (absolute-form) or host:port (CONNECT). */
  target: string;
}

export interface TinyForwardProxy {
  url: string;
  log: ProxyLogEntry[];
  close(): Promise<void>;
}

export async function startTinyForwardProxy(): Promise<TinyForwardProxy> {
  const log: ProxyLogEntry[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const target = req.url ?? '';
    log.push({ method: req.method ?? 'GET', target });
    if (!/^http:\/\//.test(target)) {
      res.writeHead(400).end('absolute-form required');
      return;
    }
    const upstream = httpRequest(
      target,
      { method: req.method, headers: req.headers, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.once('error', () => res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket) => {
    const target = req.url ?? '';
    log.push({ method: 'CONNECT', target });
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.once('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
