/**
 * The baseline the gateway's pass-through is held to: the least a node:http reverse proxy can do
 * (pipe both ways over a keep-alive pool sized like the gateway's), with no framework and no features.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { MemoryWatch } from './memory-watch.ts';
import { serveCommands } from './serve-commands.ts';

const backend = new URL(process.argv[2] ?? '');
const agent = new http.Agent({
  keepAlive: true,
  maxSockets: 256,
  maxFreeSockets: 64,
  scheduling: 'lifo',
});
// Connection-scoped headers are the two hops' own business (RFC 9110 §7.6.1).
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

const server = http.createServer((req, res) => {
  const headers = { ...req.headers, host: backend.host };
  for (const name of HOP_BY_HOP) Reflect.deleteProperty(headers, name);
  const upstream = http.request(
    {
      host: backend.hostname,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers,
      agent,
    },
    (answer) => {
      const out = { ...answer.headers };
      for (const name of HOP_BY_HOP) Reflect.deleteProperty(out, name);
      res.writeHead(answer.statusCode ?? 502, out);
      pipeline(answer, res).catch(() => undefined);
    },
  );
  upstream.once('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-length': 0 });
    res.end();
  });
  pipeline(req, upstream).catch(() => undefined);
});
server.keepAliveTimeout = 65_000;

// The same memory probes as the gateway's, so its streaming memory has a baseline too.
const watch = new MemoryWatch();
const ready = serveCommands(
  {
    'memory-start': (m) =>
      Promise.resolve(watch.start(typeof m.gcEveryMs === 'number' ? m.gcEveryMs : 0)),
    'memory-stop': () => Promise.resolve(watch.stop()),
  },
  () => {
    server.closeAllConnections();
    server.close();
    agent.destroy();
  },
);
server.listen(0, '127.0.0.1', () => {
  ready({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
