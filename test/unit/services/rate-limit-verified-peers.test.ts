import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import type { PeerPolicyConfig } from '../../../gateway/core/policy/peer-policy.ts';
import { createMetrics } from '../../../gateway/observability/create-metrics.ts';
import type {
  IncomingSignedRequest,
  PeerAuthentication,
  PeerAuthenticator,
} from '../../../gateway/ports/peer-authenticator.ts';
import { rateLimitVerifiedPeers } from '../../../gateway/services/rate-limit-verified-peers.ts';
import { ManualClock } from '../../contract/manual-clock.ts';
import { policyOf } from '../../integration/hardening/public-listener-harness.ts';
import { captureLogger, type LogLine } from '../http/capture-logger.ts';

const REQUEST: IncomingSignedRequest = {
  method: 'POST',
  targetUri: 'https://cloud.example.org/ocm/shares',
  headers: {},
  body: new Uint8Array(),
};

/** Answers as the signature says: `signedBy` verified, undefined unsigned, 'bad' a refusal. */
function fakeAuthenticator(): PeerAuthenticator & { signedBy: string | undefined } {
  const fake = {
    signedBy: undefined as string | undefined,
    authenticate(): Promise<PeerAuthentication> {
      if (fake.signedBy === 'bad') {
        return Promise.reject(new GatewayError('UNAUTHENTICATED', 'bad signature'));
      }
      return Promise.resolve(
        fake.signedBy === undefined
          ? { verified: false }
          : { verified: true, host: fake.signedBy, scheme: 'rfc9421', keyId: `${fake.signedBy}#k` },
      );
    },
  };
  return fake;
}

function setup(overrides: Partial<PeerPolicyConfig> = {}, store?: MemoryShortLivedStore) {
  const policy = policyOf({
    rateLimit: { requests: 1_000, windowSeconds: 60 },
    perPeerRateLimit: { requests: 2, windowSeconds: 60 },
    ...overrides,
  });
  const clock = new ManualClock(1_000_000);
  const inner = fakeAuthenticator();
  const metrics = createMetrics({ collectDefaults: false });
  const logs: LogLine[] = [];
  const limited = rateLimitVerifiedPeers(inner, {
    store: store ?? new MemoryShortLivedStore({ clock: clock.now }),
    policy,
    logger: captureLogger(logs),
    count: {
      refused: () => metrics.requestsRefused.inc({ guard: 'rate-limit', reason: 'peer' }),
      storeFailed: () => metrics.storeErrors.inc({ store: 'short-lived', operation: 'rate-limit' }),
    },
  });
  const outcome = async (signedBy: string | undefined) => {
    inner.signedBy = signedBy;
    try {
      const auth = await limited.authenticate(REQUEST, signedBy);
      return auth.verified ? `ok ${auth.host}` : 'ok unsigned';
    } catch (error) {
      assert.ok(error instanceof GatewayError);
      return `${error.code}${error.retryAfterSeconds === undefined ? '' : ` ${error.retryAfterSeconds}`}`;
    }
  };
  return { outcome, clock, metrics, logs };
}

test('a verified peer spends its own bucket: over it, RATE_LIMITED with Retry-After, counted and logged', async () => {
  const { outcome, metrics, logs } = setup();
  assert.equal(await outcome('a.example'), 'ok a.example');
  assert.equal(await outcome('a.example'), 'ok a.example');
  // 2 per 60 s refills one token every 30 s.
  assert.equal(await outcome('a.example'), 'RATE_LIMITED 30');
  assert.equal(await outcome('b.example'), 'ok b.example', 'another peer has its own bucket');
  const refused = await metrics.requestsRefused.get();
  assert.equal(refused.values.find((v) => v.labels.reason === 'peer')?.value, 1);
  const line = logs.find((l) => l.message === 'rate limited');
  assert.equal(line?.fields.peerHost, 'a.example');
  assert.equal(line.fields.verified, true);
});

test('only a verified signer spends the bucket: unsigned and refused requests leave it whole', async () => {
  const { outcome } = setup();
  for (let i = 0; i < 5; i += 1) assert.equal(await outcome(undefined), 'ok unsigned');
  for (let i = 0; i < 5; i += 1) assert.equal(await outcome('bad'), 'UNAUTHENTICATED');
  assert.equal(await outcome('a.example'), 'ok a.example');
  assert.equal(await outcome('a.example'), 'ok a.example');
});

test('the bucket refills with time, and a peers[] override sizes it', async () => {
  const { outcome, clock } = setup({
    peers: [{ host: 'big.example', rateLimit: { requests: 4, windowSeconds: 60 } }],
  });
  const big = [];
  for (let i = 0; i < 5; i += 1) big.push(await outcome('big.example'));
  assert.deepEqual(big, [...Array<string>(4).fill('ok big.example'), 'RATE_LIMITED 15']);
  await outcome('a.example');
  await outcome('a.example');
  assert.equal(await outcome('a.example'), 'RATE_LIMITED 30');
  clock.advance(30_000);
  assert.equal(await outcome('a.example'), 'ok a.example');
});

test('a failing store lets a verified request through, logged and counted', async () => {
  const broken = new MemoryShortLivedStore();
  broken.hit = () => Promise.reject(new Error('redis down'));
  const { outcome, metrics, logs } = setup({}, broken);
  for (let i = 0; i < 4; i += 1) assert.equal(await outcome('a.example'), 'ok a.example');
  const errors = await metrics.storeErrors.get();
  assert.equal(errors.values[0]?.value, 4);
  assert.ok(logs.some((l) => l.level === 'warn' && /rate limit not applied/.test(l.message)));
});
