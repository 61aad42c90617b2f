/**
 * The load generator, in its own process so it never shares an event loop with what it measures:
 * a fixed number of keep-alive requests with bounded concurrency (GETs, or POSTs of federation
 * requests built and signed before the clock starts), and 1 GiB-class streams.
 */
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { generatedBody } from './generated-body.ts';
import {
  POST_KINDS,
  preparePosts,
  signerFrom,
  type PostKind,
  type PostSpec,
  type PreparedPost,
  type Signer,
} from './federation-requests.ts';
import { numberField, serveCommands, stringField, type CommandMessage } from './serve-commands.ts';
import { percentile } from '../sample-stats.ts';

const REQUEST_TIMEOUT_MS = 30_000;

const live = new Set<http.Agent>();

/**
 * Every run opens its own keep-alive connections and closes them at the end. Reusing sockets
 * across runs would race the server's idle timeout (node's default is 5 s, and a subject sits
 * idle while the others run): a request written as the server closes the socket gets ECONNRESET.
 */
async function withAgent<T>(sockets: number, work: (agent: http.Agent) => Promise<T>): Promise<T> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  live.add(agent);
  try {
    return await work(agent);
  } finally {
    agent.destroy();
    live.delete(agent);
  }
}

function getOnce(url: URL, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent }, (res) => {
      res.resume();
      res.once('end', () => {
        resolve(res.statusCode ?? 0);
      });
      res.once('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
    req.once('error', reject);
    req.end();
  });
}

export interface RequestsResult {
  readonly ok: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly elapsedMs: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

async function requests(
  target: string,
  count: number,
  concurrency: number,
): Promise<RequestsResult> {
  const url = new URL(target);
  return withAgent(concurrency, (agent) =>
    timedBatch(count, concurrency, async () => {
      const status = await getOnce(url, agent);
      if (status !== 200) throw new Error(`HTTP ${status}`);
    }),
  );
}

/** One POST; resolves with the status, rejects with the answer's start on any other status. */
function postOnce(
  origin: URL,
  post: PreparedPost,
  agent: http.Agent,
  expectStatus: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      origin,
      { method: 'POST', path: post.path, headers: post.headers, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 300) text += chunk;
        });
        res.once('end', () => {
          if (res.statusCode === expectStatus) resolve();
          else reject(new Error(`HTTP ${res.statusCode ?? 0} ${post.path}: ${text.slice(0, 300)}`));
        });
        res.once('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
    req.once('error', reject);
    req.end(post.body);
  });
}

let signer: Signer | undefined;

/** Builds every request (signing each one) first, then times sending them. */
async function posts(
  spec: PostSpec,
  concurrency: number,
  expectStatus: number,
): Promise<RequestsResult> {
  const prepared = preparePosts(spec, signer);
  const origin = new URL(spec.origin);
  return withAgent(concurrency, (agent) =>
    timedBatch(prepared.length, concurrency, (index) => {
      const post = prepared[index];
      if (post === undefined) throw new Error(`no request ${index}`);
      return postOnce(origin, post, agent, expectStatus);
    }),
  );
}

function postSpecOf(m: CommandMessage): PostSpec {
  const kind = stringField(m, 'kind');
  if (!(POST_KINDS as readonly string[]).includes(kind)) throw new TypeError(`kind ${kind}`);
  const optional = (name: string) =>
    typeof m[name] === 'string' ? stringField(m, name) : undefined;
  const secret = optional('secret');
  const webdavUri = optional('webdavUri');
  return {
    kind: kind as PostKind,
    origin: stringField(m, 'origin'),
    path: stringField(m, 'path'),
    first: numberField(m, 'first'),
    count: numberField(m, 'count'),
    tag: stringField(m, 'tag'),
    peerHost: stringField(m, 'peerHost'),
    recipient: stringField(m, 'recipient'),
    ...(secret !== undefined && { secret }),
    ...(webdavUri !== undefined && { webdavUri }),
  };
}

/** `count` calls of `send(index)`, `concurrency` at a time; latencies of the successful ones. */
async function timedBatch(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<void>,
): Promise<RequestsResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  let ok = 0;
  let errors = 0;
  let firstError: string | null = null;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      const started = process.hrtime.bigint();
      try {
        await send(index);
        latencies[index] = Number(process.hrtime.bigint() - started) / 1e6;
        ok += 1;
      } catch (error) {
        latencies[index] = Number.NaN;
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const good = Array.from(latencies).filter((value) => !Number.isNaN(value));
  good.sort((a, b) => a - b);
  return {
    ok,
    errors,
    firstError,
    elapsedMs,
    rps: (ok / elapsedMs) * 1000,
    p50Ms: percentile(good, 50),
    p99Ms: percentile(good, 99),
    meanMs: good.reduce((sum, value) => sum + value, 0) / Math.max(1, good.length),
  };
}

export interface StreamResult {
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly status: number;
}

async function getStream(
  target: string,
  bytes: number,
  agent: http.Agent,
  headers: Record<string, string>,
): Promise<StreamResult> {
  const url = new URL(target);
  url.searchParams.set('bytes', String(bytes));
  const started = process.hrtime.bigint();
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(url, { agent, headers }, resolve);
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('no answer in time')));
    req.once('error', reject);
    req.end();
  });
  let received = 0;
  await pipeline(
    res,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback();
      },
    }),
  );
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.statusCode !== 200 || received !== bytes) {
    throw new Error(`GET answered ${res.statusCode ?? 0} with ${received} of ${bytes} bytes`);
  }
  return { bytes: received, elapsedMs, status: res.statusCode ?? 0 };
}

async function putStream(
  target: string,
  bytes: number,
  agent: http.Agent,
  headers: Record<string, string>,
): Promise<StreamResult> {
  const url = new URL(target);
  const started = process.hrtime.bigint();
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'PUT',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          'content-length': bytes,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.once('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    pipeline(generatedBody(bytes), req).catch(reject);
  });
  const { status, body } = await answer;
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  let stored: number | undefined;
  try {
    stored = (JSON.parse(body) as { bytes?: number }).bytes;
  } catch {
    stored = undefined;
  }
  if (status !== 201 || stored !== bytes) {
    throw new Error(`PUT answered ${status}, backend stored ${String(stored)} of ${bytes} bytes`);
  }
  return { bytes, elapsedMs, status };
}

/** An optional `authorization` field of a stream command (the facade and the peer need one). */
function authHeader(m: CommandMessage): Record<string, string> {
  return typeof m.authorization === 'string' ? { authorization: m.authorization } : {};
}

const ready = serveCommands(
  {
    requests: (m) =>
      requests(stringField(m, 'url'), numberField(m, 'count'), numberField(m, 'concurrency')),
    'get-stream': (m) =>
      withAgent(1, (agent) =>
        getStream(stringField(m, 'url'), numberField(m, 'bytes'), agent, authHeader(m)),
      ),
    'put-stream': (m) =>
      withAgent(1, (agent) =>
        putStream(stringField(m, 'url'), numberField(m, 'bytes'), agent, authHeader(m)),
      ),
    'set-signer': (m) => {
      signer = signerFrom(stringField(m, 'keyId'), stringField(m, 'privateKeyPem'));
      return Promise.resolve({ keyId: signer.keyId });
    },
    posts: (m) =>
      posts(postSpecOf(m), numberField(m, 'concurrency'), numberField(m, 'expectStatus')),
  },
  () => {
    for (const agent of live) agent.destroy();
  },
);
ready({});
