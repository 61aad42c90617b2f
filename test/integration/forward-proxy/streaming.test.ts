import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { startProxyHarness, type ProxyHarness } from './proxy-harness.ts';

// The upstream sends its first chunk and then waits until the client has received it: a proxy
// that buffered the response (or the request body) would never let this finish.
let proxy: ProxyHarness;
let upstream: Server;
let port: number;
let release: () => void = () => undefined;

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not arrive: something buffers`));
    }, 3_000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

before(async () => {
  proxy = await startProxyHarness({ recordAndForward: true });
  upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    req.once('data', (chunk: Buffer) => {
      res.write(`got ${chunk.toString('utf8')};`);
    });
    new Promise<void>((resolve) => {
      release = resolve;
    })
      .then(() => {
        res.end('end');
      })
      .catch(() => undefined);
  });
  upstream.listen(0, '127.0.0.1');
  await once(upstream, 'listening');
  port = (upstream.address() as AddressInfo).port;
});
after(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  upstream.close();
});

test('bodies stream both ways through a forwarded federation call (public WebDAV)', async () => {
  const req = request({
    host: '127.0.0.1',
    port: proxy.port,
    method: 'PUT',
    path: `http://127.0.0.1:${port}/public.php/webdav/big.bin`,
    headers: { host: `127.0.0.1:${port}`, 'transfer-encoding': 'chunked' },
    agent: false,
  });
  req.write('part-1');
  const [res] = (await within(once(req, 'response'), 'the response head')) as [IncomingMessage];
  res.setEncoding('utf8');
  const [first] = (await within(once(res, 'data'), 'the first chunk')) as [string];
  assert.equal(first, 'got part-1;');
  release();
  req.end();
  let rest = '';
  res.on('data', (chunk: string) => (rest += chunk));
  await once(res, 'end');
  assert.equal(rest, 'end');
  assert.equal(proxy.federationCalls.at(-1)?.path, '/public.php/webdav/big.bin');
});
