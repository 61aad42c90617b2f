/** 256 MiB up and 256 MiB down through the pass-through, with the gateway (a child process) staying flat in memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, type Hash } from 'node:crypto';
import http from 'node:http';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startUpstream, type RunningServer } from './passthrough-harness.ts';

const MiB = 1024 * 1024;
const TOTAL = 256 * MiB;
const CHUNK = 64 * 1024;
const MAX_RSS_GROWTH = 64 * MiB;
const FIXTURE = fileURLToPath(new URL('./fixtures/gateway-process.ts', import.meta.url));

/**
 * `TOTAL` bytes produced on the fly: one random block, each chunk stamped with its index so a
 * lost, repeated or reordered chunk changes the hash. Hashes what it emits as it goes.
 */
function generatedBody(hash: Hash): Readable {
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

/** Counts and hashes a stream without keeping it. */
function sink(hash: Hash, counter: { bytes: number }): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      counter.bytes += chunk.length;
      hash.update(chunk);
      callback();
    },
  });
}

interface MemorySample {
  readonly rss: number;
  readonly live: number;
}

/**
 * Live memory (heap in use + Buffers) is what a buffering proxy would grow by the body size; it
 * is held to the 64 MiB target. RSS also counts what the allocator has not handed back yet, which
 * varies with GC timing on a loaded machine, so it gets a looser bound that still is half the body.
 */
function assertFlat(
  t: { diagnostic(message: string): void },
  baseline: MemorySample,
  peak: MemorySample,
): void {
  const live = peak.live - baseline.live;
  const rss = peak.rss - baseline.rss;
  t.diagnostic(
    `gateway live +${(live / MiB).toFixed(1)} MiB, RSS ${(baseline.rss / MiB).toFixed(1)} MiB +${(rss / MiB).toFixed(1)} MiB`,
  );
  assert.ok(live < MAX_RSS_GROWTH, `gateway live memory grew by ${(live / MiB).toFixed(1)} MiB`);
  assert.ok(rss < TOTAL / 2, `gateway RSS grew by ${(rss / MiB).toFixed(1)} MiB`);
}

class GatewayProcess {
  readonly child: ChildProcess;
  port = 0;
  #nextId = 0;
  readonly #pending = new Map<number, (sample: MemorySample) => void>();

  constructor(backendUrl: string) {
    this.child = spawn(process.execPath, ['--expose-gc', FIXTURE, backendUrl], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: { type: string; id: number } & MemorySample) => {
      if (message.type === 'rss') {
        this.#pending.get(message.id)?.({ rss: message.rss, live: message.live });
      }
      this.#pending.delete(message.id);
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('exit', (code) => {
        reject(new Error(`gateway process exited early (${code})`));
      });
      this.child.on('message', (message: { type: string; port: number }) => {
        if (message.type === 'ready') {
          this.port = message.port;
          resolve();
        }
      });
    });
  }

  rss(): Promise<MemorySample> {
    const id = (this.#nextId += 1);
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.child.send({ type: 'rss', id });
    });
  }

  /** Samples memory every 50 ms while `work` runs; returns the peaks seen. */
  async peakRssDuring(work: () => Promise<void>): Promise<MemorySample> {
    let peak = await this.rss();
    const max = (a: MemorySample, b: MemorySample) => ({
      rss: Math.max(a.rss, b.rss),
      live: Math.max(a.live, b.live),
    });
    const done = new AbortController();
    const sampler = (async () => {
      while (!done.signal.aborted) {
        peak = max(peak, await this.rss());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await work();
    } finally {
      done.abort();
      await sampler;
    }
    return max(peak, await this.rss());
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) {
        resolve();
        return;
      }
      this.child.once('exit', () => {
        resolve();
      });
      this.child.disconnect();
    });
  }
}

function request(
  port: number,
  options: http.RequestOptions,
  body: Readable | undefined,
  onResponse: (res: http.IncomingMessage) => Promise<void>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, agent: false, ...options }, (res) => {
      onResponse(res).then(() => {
        resolve(res.statusCode ?? 0);
      }, reject);
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else pipeline(body, req).catch(reject);
  });
}

describe('streaming through the pass-through', { timeout: 60_000 }, () => {
  let upstream: RunningServer;
  let gateway: GatewayProcess;
  let uploadReceived: { bytes: number; hash: string } | undefined;
  let downloadSentHash: Hash;

  before(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.method === 'PUT') {
        const hash = createHash('sha1');
        const counter = { bytes: 0 };
        pipeline(req, sink(hash, counter)).then(
          () => {
            uploadReceived = { bytes: counter.bytes, hash: hash.digest('hex') };
            res.writeHead(201).end();
          },
          () => res.destroy(),
        );
      } else if (req.url === '/warm-up') {
        res.end('warm');
      } else {
        downloadSentHash = createHash('sha1');
        res.writeHead(200, { 'content-length': TOTAL, 'content-type': 'application/octet-stream' });
        pipeline(generatedBody(downloadSentHash), res).catch(() => res.destroy());
      }
    });
    gateway = new GatewayProcess(`${upstream.origin}/nextcloud`);
    await gateway.ready();
    // Warm the child up (modules, pools, JIT) so the baseline is its steady state.
    for (let i = 0; i < 5; i += 1) {
      await request(gateway.port, { path: '/warm-up' }, undefined, async (res) => {
        res.resume();
        await new Promise((resolve) => res.on('end', resolve));
      });
    }
  });

  after(async () => {
    await gateway.stop();
    await upstream.close();
  });

  test('a 256 MiB upload arrives intact while the gateway RSS stays flat', async (t) => {
    const baseline = await gateway.rss();
    const sentHash = createHash('sha1');
    let status = 0;
    const peak = await gateway.peakRssDuring(async () => {
      status = await request(
        gateway.port,
        {
          method: 'PUT',
          path: '/remote.php/dav/files/x/big.bin',
          headers: { 'content-length': TOTAL },
        },
        generatedBody(sentHash),
        async (res) => {
          res.resume();
          await new Promise((resolve) => res.on('end', resolve));
        },
      );
    });
    assert.equal(status, 201);
    assert.deepEqual(uploadReceived, { bytes: TOTAL, hash: sentHash.digest('hex') });
    assertFlat(t, baseline, peak);
  });

  test('a 256 MiB download arrives intact while the gateway RSS stays flat', async (t) => {
    const baseline = await gateway.rss();
    const receivedHash = createHash('sha1');
    const counter = { bytes: 0 };
    let status = 0;
    const peak = await gateway.peakRssDuring(async () => {
      status = await request(
        gateway.port,
        { path: '/remote.php/dav/files/x/big.iso' },
        undefined,
        (res) => pipeline(res, sink(receivedHash, counter)),
      );
    });
    assert.equal(status, 200);
    assert.equal(counter.bytes, TOTAL);
    assert.equal(receivedHash.digest('hex'), downloadSentHash.digest('hex'));
    assertFlat(t, baseline, peak);
  });
});
