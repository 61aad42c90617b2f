/**
 * Fuzz test (issue 6, hardening): many generated malformed requests against every public endpoint
 * and the internal facade of a gateway started as main.ts does. No 5xx (except 502/503/504 from a
 * facade peer), no crash, stable memory, and every error response well-formed for its dialect.
 *
 * FUZZ_REQUESTS sets the count; the default is the 100,000 issue 6 asks for (alone on the 2-core
 * box: 44 s wall clock, max RSS 366 MB; inside the suite, beside another test file, about twice
 * that). FUZZ_REQUESTS=20000 gives a quicker local run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../gateway/observability/create-logger.ts';
import { createMetrics } from '../../gateway/observability/create-metrics.ts';
import { startGateway, type RunningGateway } from '../../gateway/start-gateway.ts';
import { startLegacyServer, type LegacyServer } from '../sim/legacy/legacy-server.ts';
import { startOcmPeer, type OcmPeer } from '../sim/index.ts';
import { freePort } from '../support/free-port.ts';

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 100_000);
const CONCURRENCY = 16;

let dataDir: string;
let backend: LegacyServer;
let peer: OcmPeer;
let gateway: RunningGateway;
let publicUrl: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-fuzz-'));
  const [publicPort, internalPort, adminPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  publicUrl = `http://127.0.0.1:${String(publicPort)}`;
  // Facade peers are loopback simulators, so no 502/503/504 comes from an unresolvable host.
  peer = await startOcmPeer({ version: '1.3', users: { alice: 'Alice' }, schemes: ['http'] });
  backend = await startLegacyServer({
    flavour: 'nextcloud13',
    basePath: '/nextcloud',
    publicUrl,
    users: { bob: 'Bob' },
    proxy: `http://127.0.0.1:${String(internalPort)}`,
  });
  const config = loadConfig({
    env: {
      GATEWAY_PUBLIC_URL: publicUrl,
      GATEWAY_BACKEND_URL: backend.url,
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_ALLOW_PRIVATE_PEERS: '1',
    },
  });
  const sink = new PassThrough();
  sink.resume();
  gateway = await startGateway(config, {
    logger: createLogger({ level: 'error', stream: sink }),
    metrics: createMetrics({ collectDefaults: false }),
  });
});

after(async () => {
  await gateway.stop();
  await Promise.all([backend.close(), peer.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Mulberry32: a seeded PRNG so a failure can be replayed with the same FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Dialect = 'ocm' | 'ocs' | 'webdav' | 'plain';
interface Target {
  readonly base: 'public' | 'internal';
  readonly path: string;
  readonly dialect: Dialect;
}

function targets(peerHost: string): Target[] {
  const p = (path: string, dialect: Dialect): Target => ({ base: 'public', path, dialect });
  const i = (path: string, dialect: Dialect): Target => ({ base: 'internal', path, dialect });
  return [
    p('/.well-known/ocm', 'ocm'),
    p('/ocm-provider/', 'ocm'),
    p('/ocm/shares', 'ocm'),
    p('/ocm/notifications', 'ocm'),
    p('/ocm/token', 'ocm'),
    p('/public.php/webdav/', 'webdav'),
    p('/ocs/v2.php/cloud/shares', 'ocs'),
    i(`/peers/${peerHost}/status.php`, 'plain'),
    i(`/peers/${peerHost}/ocs/v2.php/cloud/shares/17/accept`, 'ocs'),
    i(`/peers/${peerHost}/public.php/webdav/`, 'webdav'),
  ];
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'MKCOL'];
const JUNK = [
  '%00',
  '%2e%2e/',
  '../',
  '..%2f',
  '%',
  '//',
  '?a=%zz',
  ';x',
  '%ff',
  '~',
  '#',
  '\u00e9',
];
const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'application/json; charset=utf-16',
  '',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function junkString(rand: () => number, max: number): string {
  const length = Math.floor(rand() * max);
  let out = '';
  for (let k = 0; k < length; k++) out += String.fromCharCode(32 + Math.floor(rand() * 95));
  return out;
}

function body(rand: () => number): string {
  const shapes = [
    () => '',
    () => junkString(rand, 200),
    () => '{',
    () => '[]',
    () => 'null',
    () => JSON.stringify({ shareWith: junkString(rand, 30), name: 7, protocol: 'x' }),
    () =>
      JSON.stringify({
        shareWith: 'bob@x',
        name: junkString(rand, 10),
        providerId: rand() < 0.5 ? null : {},
        owner: junkString(rand, 20),
        sender: '@',
        shareType: 'user',
        resourceType: 'file',
        protocol: { name: 'webdav', options: { sharedSecret: 3 } },
      }),
    () =>
      JSON.stringify({ notificationType: junkString(rand, 20), providerId: [], notification: 1 }),
    () => `grant_type=${junkString(rand, 20)}&code=${junkString(rand, 20)}&client_id=%zz`,
    () => `shareWith=${junkString(rand, 20)}&shareType=${String(Math.floor(rand() * 99))}&path=/..`,
    () => '{"a":'.repeat(200),
  ];
  return pick(rand, shapes)();
}

function wellFormed(dialect: Dialect, path: string, status: number, type: string, text: string) {
  if (status < 400 || text.length === 0) return undefined;
  const json = (): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  if (dialect === 'ocm') {
    const doc = json() as { message?: unknown; error?: unknown } | undefined;
    // The token endpoint answers in OAuth 2.0 (RFC 6749 §5.2) `error`, as OCM 1.2+ specifies.
    if (path.startsWith('/ocm/token') && typeof doc?.error === 'string') return undefined;
    return typeof doc?.message === 'string' ? undefined : 'OCM error without a JSON `message`';
  }
  if (dialect === 'ocs') {
    if (/<ocs>[\s\S]*<meta>[\s\S]*<statuscode>/.test(text)) return undefined;
    const doc = json() as { ocs?: { meta?: { statuscode?: unknown } } } | undefined;
    return typeof doc?.ocs?.meta?.statuscode === 'number'
      ? undefined
      : 'OCS error without envelope';
  }
  // A path that is no route any more (junk appended) may be answered in the dialect of the
  // route family it resembles: any of the three well-formed shapes is fine.
  const davError = /xml/.test(type) && /<d:error[\s>]/.test(text);
  const ocsEnvelope = /<ocs>[\s\S]*<meta>[\s\S]*<statuscode>/.test(text);
  if (davError) return undefined;
  if (dialect === 'plain' && ocsEnvelope) return undefined;
  if (/json/.test(type) && json() !== undefined) return undefined;
  return `unexpected ${type || 'untyped'} error body on ${path}`;
}

interface Outcome {
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

function send(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  payload: string,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, method, path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(method === 'GET' || method === 'HEAD' ? undefined : payload);
  });
}

function heapUsed(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test(
  `${String(TOTAL)} malformed requests: no 5xx, errors in the caller's dialect, memory stable`,
  { timeout: 420_000 },
  async () => {
    const rand = prng(Number(process.env.FUZZ_SEED ?? 0x6f636d));
    const list = targets(peer.host);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    let heapAtTenth = 0;
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const n = next++;
        if (n === Math.floor(TOTAL / 10)) heapAtTenth = heapUsed();
        const target = pick(rand, list);
        const method = pick(rand, METHODS);
        const suffix =
          rand() < 0.5 ? pick(rand, JUNK) + encodeURIComponent(junkString(rand, 8)) : '';
        const path = `${target.path}${suffix}`.replace(/#/g, '%23');
        const payload = body(rand);
        const headers: Record<string, string> = {
          'content-type': pick(rand, CONTENT_TYPES),
          'content-length': String(
            Buffer.byteLength(method === 'GET' || method === 'HEAD' ? '' : payload),
          ),
        };
        if (rand() < 0.3)
          headers.signature = `keyId="${junkString(rand, 20).replace(/"/g, '')}",signature="x"`;
        if (rand() < 0.2)
          headers['signature-input'] = `ocm=(${junkString(rand, 10).replace(/[()]/g, '')})`;
        if (rand() < 0.2) headers.authorization = `Bearer ${junkString(rand, 30)}`;
        if (rand() < 0.1) headers['ocs-apirequest'] = 'true';
        const base = target.base === 'public' ? publicUrl : gateway.internalUrl;
        let outcome: Outcome;
        try {
          outcome = await send(agent, base, method, path, headers, payload);
        } catch (e) {
          problems.push(`${method} ${path}: transport error ${String(e)}`);
          continue;
        }
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        const peerFailure = target.base === 'internal' && [502, 503, 504].includes(outcome.status);
        if (outcome.status >= 500 && !peerFailure) {
          problems.push(
            `${method} ${path}: ${String(outcome.status)} ${outcome.text.slice(0, 200)}`,
          );
        }
        // Junk after a route makes it another path: no dialect is owed beyond "JSON or empty".
        const dialect = suffix === '' ? target.dialect : 'plain';
        let bad =
          method === 'HEAD'
            ? undefined
            : wellFormed(dialect, path, outcome.status, outcome.type, outcome.text);
        if (bad !== undefined && target.base === 'public') {
          // Pass-through: the backend's own answer is relayed untouched, which is correct. Replay
          // the request against the backend directly and accept the response if it is the same.
          // The gateway collapses repeated slashes before proxying, so replay both spellings.
          for (const spelling of new Set([path, path.replace(/\/{2,}/g, '/')])) {
            const direct = await send(
              agent,
              backend.url,
              method,
              new URL(backend.url).pathname + spelling,
              headers,
              payload,
            ).catch(() => undefined);
            if (direct?.status === outcome.status && direct.text === outcome.text) bad = undefined;
          }
        }
        if (bad !== undefined) {
          problems.push(
            `${method} ${path}: ${String(outcome.status)} ${bad}: ${outcome.text.slice(0, 120)}`,
          );
        }
        if (/at \S+ \(.*:\d+:\d+\)/.test(outcome.text))
          problems.push(`${method} ${path}: stack trace`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    const heapAtEnd = heapUsed();
    const distinct = [...new Set(problems.map((p) => p.replace(/^\S+ \S+: /, '')))];
    assert.deepEqual(
      distinct.slice(0, 15),
      [],
      `${String(problems.length)} problems, e.g. ${problems.slice(0, 10).join('\n')}`,
    );
    // Generous bound: a leak proportional to the request count would far exceed it.
    assert.ok(
      heapAtEnd - heapAtTenth < 64 * 1024 * 1024,
      `heap grew from ${String(heapAtTenth)} to ${String(heapAtEnd)} bytes`,
    );
    // The gateway is still serving after the run.
    assert.equal((await fetch(`${publicUrl}/.well-known/ocm`)).status, 200);
    assert.ok(statuses.size > 3, `too few distinct statuses: ${JSON.stringify([...statuses])}`);
  },
);
