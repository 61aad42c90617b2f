/**
 * A load balancer in front of gateway replicas, as a Kubernetes Service or an ingress would be:
 * each HTTP request (no keep-alive to the replicas) goes to a replica picked at random, the Host
 * header untouched, absolute-form proxy requests passed on as they are. A replica that does not
 * answer costs the caller a 502, as in real life until the endpoint is removed.
 */
import { randomInt } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RandomBalancer {
  readonly url: string;
  readonly port: number;
  /** Loopback ports of the replicas; set (and changed) by the test. */
  targets: number[];
  /** Requests sent to each target port, answered or not. */
  readonly served: Map<number, number>;
  /** Requests that got a 502 because the chosen replica failed. */
  failed: number;
  close(): Promise<void>;
}

export async function startRandomBalancer(): Promise<RandomBalancer> {
  const balancer: RandomBalancer = {
    url: '',
    port: 0,
    targets: [],
    served: new Map(),
    failed: 0,
    close: () => closeServer(server),
  };
  const server: Server = createServer((req, res) => {
    const port = balancer.targets[randomInt(balancer.targets.length)];
    if (port === undefined) {
      res.writeHead(503).end('no replica');
      return;
    }
    balancer.served.set(port, (balancer.served.get(port) ?? 0) + 1);
    const upstream = request(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once('error', () => res.destroy());
      },
    );
    upstream.once('error', () => {
      balancer.failed += 1;
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end('replica failed');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(balancer, { port, url: `http://127.0.0.1:${port}` });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
