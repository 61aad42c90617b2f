/**
 * Flow 3 streams both ways: 50 MiB down, 50 MiB up and a 16 MiB Multi-Status listing pass through
 * the facade while the process's live memory (heap + Buffers, after a GC) stays flat. The peer
 * here generates and hashes bytes on the fly, so the whole body never exists anywhere.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { basicAuth, startFacadeHarness, type FacadeHarness } from './facade-harness.ts';

const MiB = 1024 * 1024;
const TOTAL = 50 * MiB;
const CHUNK = 64 * 1024;
const MAX_GROWTH = 16 * MiB;
const LISTING_ENTRIES = 80_000;
const SECRET = randomBytes(18).toString('base64url');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Heap in use + Buffers after a full GC. ArrayBuffer backing stores are released by a background
 * sweeper, so the GC runs twice around a turn of the event loop before reading.
 */
async function liveMemory(): Promise<number> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** TOTAL bytes made on demand, each chunk stamped with its index; hashed as they are made. */
function generated(hash: Hash): Readable {
  const block = randomBytes(CHUNK);
  let index = 0;
  return new Readable({
    read() {
      if (index * CHUNK >= TOTAL) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(CHUNK);
      block.copy(chunk);
      chunk.writeUInt32BE(index, 0);
      index += 1;
      hash.update(chunk);
      this.push(chunk);
    },
  });
}

/** The Multi-Status of a folder with LISTING_ENTRIES files, written as it is read. */
function listing(): Readable {
  let index = -1;
  return new Readable({
    read() {
      if (index === -1) {
        this.push('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">');
      } else if (index < LISTING_ENTRIES) {
        const name = `file-${String(index).padStart(6, '0')}.txt`;
        this.push(
          `<d:response><d:href>/dav/key-1/${name}</d:href><d:propstat><d:prop>` +
            `<d:getetag>"${index}"</d:getetag><d:getcontentlength>${index}</d:getcontentlength>` +
            `</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
        );
      } else {
        this.push('</d:multistatus>');
        this.push(null);
      }
      index += 1;
    },
  });
}

interface BigPeer {
  readonly server: Server;
  readonly host: string;
  readonly sentHash: Hash;
  readonly uploads: { bytes: number; hash: string }[];
  readonly downloads: { closed: boolean; finished: boolean }[];
}

/** A 1.3-style peer: discovery, and WebDAV at /dav/key-1/ for `Bearer <SECRET>`. */
async function startBigPeer(): Promise<BigPeer> {
  const sentHash = createHash('sha256');
  const uploads: BigPeer['uploads'] = [];
  const downloads: BigPeer['downloads'] = [];
  let origin = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/.well-known/ocm') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          enabled: true,
          apiVersion: '1.3.0',
          endPoint: `${origin}/ocm`,
          resourceTypes: [{ name: 'file', shareTypes: ['user'], protocols: { webdav: '/dav/' } }],
        }),
      );
      return;
    }
    if (req.headers.authorization !== `Bearer ${SECRET}`) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    if (req.method === 'GET' && path === '/dav/key-1/big.bin') {
      const download = { closed: false, finished: false };
      downloads.push(download);
      res.once('close', () => {
        download.closed = true;
        download.finished = res.writableFinished;
      });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': TOTAL });
      // Each download hashes what it sends; the first test compares against it.
      void pipeline(generated(downloads.length === 1 ? sentHash : createHash('sha256')), res).catch(
        () => undefined,
      );
    } else if (req.method === 'PUT' && path === '/dav/key-1/up.bin') {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => {
        uploads.push({ bytes, hash: hash.digest('hex') });
        res.writeHead(201, { etag: '"up"' }).end();
      });
    } else if (req.method === 'PROPFIND' && path === '/dav/key-1/') {
      res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
      void pipeline(listing(), res).catch(() => undefined);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return { server, host: `127.0.0.1:${port}`, sentHash, uploads, downloads };
}

let h: FacadeHarness;
let peer: BigPeer;
let base: string;

before(async () => {
  h = await startFacadeHarness();
  peer = await startBigPeer();
  await h.ledger.shares.create({
    direction: 'incoming',
    peerHost: peer.host,
    providerId: 'big-1',
    sharedSecret: SECRET,
    dialects: { peer: 'ocm-1.3', backend: 'ocs-v2' },
    owner: `alice@${peer.host}`,
    sender: `alice@${peer.host}`,
    shareWith: `bob@${h.ourHost}`,
    resourceName: 'big',
    state: 'accepted',
    protocol: { webdavUri: 'key-1' },
  });
  base = `/peers/${peer.host}/public.php/webdav`;
});

after(async () => {
  peer.server.closeAllConnections();
  await new Promise<void>((resolve) => peer.server.close(() => resolve()));
  await h.close();
});

/**
 * Reads `body`, pausing at a few points to measure live memory; returns the peak growth over
 * `baseline`, taken before the request (a buffering gateway holds the body before the first byte).
 */
async function drain(
  baseline: number,
  body: Readable,
  onChunk: (chunk: Buffer) => void,
  probeEvery: number,
): Promise<number> {
  let peak = 0;
  let nextProbe = probeEvery;
  let seen = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    onChunk(buffer);
    seen += buffer.length;
    if (seen >= nextProbe) {
      peak = Math.max(peak, (await liveMemory()) - baseline);
      nextProbe += probeEvery;
    }
  }
  return peak;
}

test('a 50 MiB download streams through with flat memory and identical bytes', async (t) => {
  const baseline = await liveMemory();
  const { status, body } = await h.open('GET', `${base}/big.bin`, SECRET);
  assert.equal(status, 200);
  const received = createHash('sha256');
  let bytes = 0;
  const growth = await drain(
    baseline,
    body,
    (chunk) => {
      bytes += chunk.length;
      received.update(chunk);
    },
    10 * MiB,
  );
  t.diagnostic(`live memory growth during the download: ${(growth / MiB).toFixed(1)} MiB`);
  assert.equal(bytes, TOTAL);
  assert.equal(received.digest('hex'), peer.sentHash.digest('hex'));
  assert.ok(growth < MAX_GROWTH, `live memory grew by ${(growth / MiB).toFixed(1)} MiB`);
});

test('a 50 MiB upload streams through with flat memory and arrives intact', async (t) => {
  const sent = createHash('sha256');
  const baseline = await liveMemory();
  let peak = 0;
  // Pulled chunk by chunk (backpressure), pausing every 10 MiB to measure.
  async function* upload(): AsyncGenerator<Buffer> {
    let produced = 0;
    for await (const chunk of generated(sent)) {
      yield chunk as Buffer;
      produced += (chunk as Buffer).length;
      if (produced % (10 * MiB) === 0) peak = Math.max(peak, (await liveMemory()) - baseline);
    }
  }
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port: h.internal.port,
      method: 'PUT',
      path: `${base}/up.bin`,
      headers: { authorization: basicAuth(SECRET), 'content-length': String(TOTAL) },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    // A request not yet connected buffers whatever is written: start once the socket is up.
    req.once('socket', (socket) => {
      const start = (): void => {
        pipeline(Readable.from(upload()), req).catch(reject);
      };
      if (socket.connecting) socket.once('connect', start);
      else start();
    });
  });
  t.diagnostic(`live memory growth during the upload: ${(peak / MiB).toFixed(1)} MiB`);
  assert.equal(status, 201);
  assert.deepEqual(peer.uploads.at(-1), { bytes: TOTAL, hash: sent.digest('hex') });
  assert.ok(peak < MAX_GROWTH, `live memory grew by ${(peak / MiB).toFixed(1)} MiB`);
});

test('a large 207 listing is rewritten as it streams, every href mapped', async (t) => {
  const baseline = await liveMemory();
  const { status, body } = await h.open('PROPFIND', `${base}/`, SECRET);
  assert.equal(status, 207);
  let mapped = 0;
  let unmapped = 0;
  let tail = '';
  const hrefs = /<d:href>([^<]*)<\/d:href>/g;
  let bytes = 0;
  const growth = await drain(
    baseline,
    body,
    (chunk) => {
      bytes += chunk.length;
      const text = tail + chunk.toString('latin1');
      const lastClose = text.lastIndexOf('</d:response>');
      const complete = lastClose < 0 ? '' : text.slice(0, lastClose);
      tail = lastClose < 0 ? text : text.slice(lastClose);
      for (const match of complete.matchAll(hrefs)) {
        if (match[1]?.startsWith(`${base}/file-`) === true) mapped += 1;
        else unmapped += 1;
      }
    },
    4 * MiB,
  );
  t.diagnostic(
    `${(bytes / MiB).toFixed(1)} MiB listing, live memory growth ${(growth / MiB).toFixed(1)} MiB`,
  );
  assert.ok(bytes > 15 * MiB);
  assert.equal(mapped, LISTING_ENTRIES);
  assert.equal(unmapped, 0);
  assert.ok(growth < MAX_GROWTH, `live memory grew by ${(growth / MiB).toFixed(1)} MiB`);
});

test('the backend hanging up mid-download stops the transfer from the peer', async () => {
  const { body } = await h.open('GET', `${base}/big.bin`, SECRET);
  await new Promise<void>((resolve) => body.once('data', () => resolve()));
  body.destroy();
  const download = peer.downloads.at(-1);
  assert.ok(download !== undefined);
  for (let i = 0; i < 150 && !download.closed; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(download.closed, true, 'the peer response was closed');
  assert.equal(download.finished, false, 'not streamed to the end into the void');
});
