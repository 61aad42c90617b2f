/** Real loopback peers for the discovery tests: a route table over the peer-http test server, fixtures, clients. */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHttpPeerDiscovery } from '../../../adapters/discovery/http-peer-discovery.ts';
import { createPeerHttpClient } from '../../../adapters/peer-http/create-peer-http-client.ts';
import type {
  PeerHttpClient,
  PeerHttpClientOptions,
} from '../../../adapters/peer-http/peer-http-types.ts';
import type { PeerDiscovery, PeerReference } from '../../../gateway/ports/peer-discovery.ts';
import { parsePeerReference } from '../../../gateway/services/peer-reference.ts';
import { startPeerServer, type PeerTestServer } from '../peer-http/peer-test-server.ts';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export function sendJson(
  res: ServerResponse,
  body: unknown,
  headers: Record<string, string> = {},
  status = 200,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/html' });
  res.end('<html><body>Not Found</body></html>');
}

/** A peer answering `routes` by exact path (query ignored); every other path is an HTML 404. */
export function startRoutes(
  routes: Record<string, Route>,
  options: { tls?: boolean; host?: string } = {},
): Promise<PeerTestServer> {
  return startPeerServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route === undefined) notFound(res);
    else route(req, res);
  }, options);
}

/** How many requests for `path` the server saw. */
export function hits(server: PeerTestServer, path: string): number {
  return server.requests.filter((r) => new URL(r.url, 'http://x').pathname === path).length;
}

export function paths(server: PeerTestServer): string[] {
  return server.requests.map((r) => new URL(r.url, 'http://x').pathname);
}

interface FixtureFile {
  response: { body: unknown };
  alternateResponses?: { body: unknown }[];
}

/** A legacy fixture's response body (or an alternate), its example host replaced by `origin`. */
export function fixtureBody(name: string, origin?: string, alternate?: number): unknown {
  const url = new URL(`../../sim/fixtures/legacy/${name}.json`, import.meta.url);
  const file = JSON.parse(readFileSync(url, 'utf8')) as FixtureFile;
  const body =
    alternate === undefined ? file.response.body : file.alternateResponses?.[alternate]?.body;
  if (origin === undefined) return body;
  const text = JSON.stringify(body).replace(
    /https:\/\/(nc\.example\.org|oc1\.example\.com)/g,
    origin,
  );
  return JSON.parse(text) as unknown;
}

export function reference(input: string): PeerReference {
  const parsed = parsePeerReference(input);
  if (!parsed.ok) throw new Error(`bad test peer ${input}`);
  return parsed.value;
}

export interface DiscoveryKit {
  discovery(
    options?: Partial<PeerHttpClientOptions> & {
      allowHttp?: boolean;
      maxResponseBytes?: number;
      budgetMs?: number;
      deniedHosts?: string[];
    },
  ): PeerDiscovery;
  server(routes: Record<string, Route>, options?: { tls?: boolean }): Promise<PeerTestServer>;
  close(): Promise<void>;
}

/** Everything a test opens, closed together at the end (a leaked handle hangs the runner). */
export function discoveryKit(): DiscoveryKit {
  const clients: PeerHttpClient[] = [];
  const servers: PeerTestServer[] = [];
  return {
    discovery(options = {}) {
      const { allowHttp = true, maxResponseBytes, budgetMs, deniedHosts, ...http } = options;
      const client = createPeerHttpClient({
        allowPrivatePeers: true,
        connectTimeoutMs: 2_000,
        totalTimeoutMs: 3_000,
        ...http,
      });
      clients.push(client);
      return createHttpPeerDiscovery({
        client,
        allowHttp: () => allowHttp,
        ...(maxResponseBytes !== undefined && { maxResponseBytes }),
        ...(budgetMs !== undefined && { budgetMs }),
        ...(deniedHosts !== undefined && { deniedHosts }),
      });
    },
    async server(routes, options = {}) {
      const s = await startRoutes(routes, options);
      servers.push(s);
      return s;
    },
    async close() {
      for (const c of clients) c.close();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
