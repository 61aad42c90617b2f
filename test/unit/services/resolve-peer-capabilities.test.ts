import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCapabilityCache } from '../../../adapters/memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import {
  PeerCapabilitiesResolver,
  type ResolvePeerCapabilitiesOptions,
} from '../../../gateway/services/resolve-peer-capabilities.ts';
import { ManualClock } from '../../contract/manual-clock.ts';
import {
  failure,
  POLICY,
  RecordingMetrics,
  ScriptedDiscovery,
  SECOND,
  success,
} from './discovery-fakes.ts';

const T0 = Date.UTC(2026, 0, 1);

function setup(
  discovery: ScriptedDiscovery,
  extra: Partial<ResolvePeerCapabilitiesOptions> = {},
): {
  resolver: PeerCapabilitiesResolver;
  clock: ManualClock;
  metrics: RecordingMetrics;
  cache: MemoryCapabilityCache;
  locks: MemoryShortLivedStore;
} {
  const clock = new ManualClock(T0);
  const metrics = new RecordingMetrics();
  const cache = new MemoryCapabilityCache({ clock: clock.now });
  const locks = new MemoryShortLivedStore({ clock: clock.now });
  const resolver = new PeerCapabilitiesResolver({
    discovery,
    cache,
    locks,
    clock: clock.now,
    policy: POLICY,
    metrics,
    ...extra,
  });
  return { resolver, clock, metrics, cache, locks };
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof GatewayError, String(error));
    return error;
  }
  assert.fail('expected a rejection');
}

describe('cache states', () => {
  test('a miss discovers; the next lookup is a hit without discovery', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key));
    const { resolver, metrics } = setup(discovery);
    const first = await resolver.resolve('bob@peer.example');
    assert.equal(first.source, 'miss');
    assert.equal(first.dialect, 'ocm-1.2');
    const second = await resolver.resolve('https://peer.example/');
    assert.equal(second.source, 'hit');
    assert.deepEqual(discovery.calls, ['peer.example']);
    assert.deepEqual(metrics.lookups, ['miss', 'hit']);
    assert.deepEqual(metrics.discoveries, ['ocm']);
  });

  test('stale: the old value is served at once and exactly one background refresh runs', async () => {
    const discovery = new ScriptedDiscovery(
      (peer, call) => success(peer.key, { provider: `v${call}` }),
      20,
    );
    const { resolver, clock, metrics } = setup(discovery);
    await resolver.resolve('peer.example');
    clock.advance(61 * SECOND);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => resolver.resolve('peer.example')),
    );
    assert.ok(answers.every((a) => a.source === 'stale' && a.capabilities.provider === 'v1'));
    await resolver.idle();
    assert.equal(discovery.calls.length, 2);
    const after = await resolver.resolve('peer.example');
    assert.equal(after.source, 'hit');
    assert.equal(after.capabilities.provider, 'v2');
    assert.equal(metrics.count('stale'), 50);
  });

  test('expired: a lookup discovers again and waits for it', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key));
    const { resolver, clock } = setup(discovery);
    await resolver.resolve('peer.example');
    clock.advance(121 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'miss');
    assert.equal(discovery.calls.length, 2);
  });

  test('the peer max-age shortens freshness within the bounds', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key, { maxAgeSeconds: 1 }));
    const { resolver, clock } = setup(discovery);
    await resolver.resolve('peer.example');
    clock.advance(4 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'hit');
    clock.advance(2 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'stale');
  });

  test('negative: a failure is answered from the cache until its TTL, then retried', async () => {
    let up = false;
    const discovery = new ScriptedDiscovery((peer) => (up ? success(peer.key) : failure(peer.key)));
    const { resolver, clock, metrics } = setup(discovery);
    const first = await rejection(resolver.resolve('peer.example'));
    assert.equal(first.code, 'UPSTREAM_UNREACHABLE');
    assert.match(first.message, /peer\.example is down/);
    const second = await rejection(resolver.resolve('peer.example'));
    assert.equal(second.retryAfterSeconds, 10);
    assert.equal(discovery.calls.length, 1);
    assert.equal(metrics.count('negative'), 1);
    up = true;
    clock.advance(10 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'miss');
    assert.equal(discovery.calls.length, 2);
  });

  test('a failed background refresh keeps serving the stale value and waits before retrying', async () => {
    let up = true;
    const discovery = new ScriptedDiscovery((peer) => (up ? success(peer.key) : failure(peer.key)));
    const { resolver, clock } = setup(discovery);
    await resolver.resolve('peer.example');
    up = false;
    clock.advance(61 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'stale');
    await resolver.idle();
    assert.equal(discovery.calls.length, 2);
    clock.advance(5 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'stale');
    await resolver.idle();
    assert.equal(discovery.calls.length, 2, 'no refresh before retryAt');
    clock.advance(6 * SECOND);
    await resolver.resolve('peer.example');
    await resolver.idle();
    assert.equal(discovery.calls.length, 3);
    const status = await resolver.show('peer.example');
    assert.equal(status.state, 'stale');
    assert.equal(status.failures, 2);
    assert.match(status.lastError?.message ?? '', /down/);
  });
});

describe('circuit breaker', () => {
  test('opens after the threshold, backs off exponentially, half-opens for one probe, closes on success', async () => {
    let up = false;
    const discovery = new ScriptedDiscovery((peer) => (up ? success(peer.key) : failure(peer.key)));
    const { resolver, clock } = setup(discovery);
    for (let i = 0; i < 3; i += 1) {
      await rejection(resolver.resolve('peer.example'));
      if (i < 2) clock.advance(10 * SECOND);
    }
    assert.equal(discovery.calls.length, 3);
    let status = await resolver.show('peer.example');
    assert.equal(status.circuit, 'open');
    assert.equal(status.retryAt, clock.now() + 20 * SECOND);
    assert.equal(resolver.openCircuits(), 1);

    clock.advance(19 * SECOND);
    await rejection(resolver.resolve('peer.example'));
    assert.equal(discovery.calls.length, 3, 'no call while open');

    clock.advance(1 * SECOND);
    status = await resolver.show('peer.example');
    assert.equal(status.circuit, 'half-open');
    const probes = await Promise.allSettled(
      Array.from({ length: 10 }, () => resolver.resolve('peer.example')),
    );
    assert.ok(probes.every((p) => p.status === 'rejected'));
    assert.equal(discovery.calls.length, 4, 'one probe for ten lookups');
    status = await resolver.show('peer.example');
    assert.equal(status.failures, 4);
    assert.equal(status.retryAt, clock.now() + 40 * SECOND);

    up = true;
    clock.advance(40 * SECOND);
    assert.equal((await resolver.resolve('peer.example')).source, 'miss');
    status = await resolver.show('peer.example');
    assert.equal(status.circuit, 'closed');
    assert.equal(status.failures, 0);
    assert.equal(resolver.openCircuits(), 0);
  });

  test('refresh asks the peer even while the circuit is open', async () => {
    const discovery = new ScriptedDiscovery((peer) => failure(peer.key));
    const { resolver } = setup(discovery);
    await rejection(resolver.resolve('peer.example'));
    const status = await resolver.refresh('peer.example');
    assert.equal(discovery.calls.length, 2);
    assert.equal(status.failures, 2);
    assert.equal(status.state, 'negative');
  });
});

describe('single flight', () => {
  test('100 concurrent lookups of an unknown peer make one discovery', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key), 30);
    const { resolver } = setup(discovery);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => resolver.resolve('bob@peer.example')),
    );
    assert.equal(discovery.calls.length, 1);
    assert.ok(results.every((r) => r.capabilities.peer === 'peer.example'));
  });

  test('two resolvers sharing stores: the follower waits for the leader instead of fetching', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key), 60);
    const { resolver: leader, cache, locks, clock } = setup(discovery);
    const follower = new PeerCapabilitiesResolver({
      discovery,
      cache,
      locks,
      clock: clock.now,
      policy: POLICY,
      pollMinMs: 5,
      pollMaxMs: 10,
    });
    const [a, b] = await Promise.all([
      leader.resolve('peer.example'),
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return follower.resolve('peer.example');
      })(),
    ]);
    assert.equal(discovery.calls.length, 1);
    assert.equal(a.capabilities.peer, b.capabilities.peer);
  });

  test('a follower takes over when the leader died and its lock expired', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key));
    const clock = new ManualClock(T0);
    const cache = new MemoryCapabilityCache({ clock: clock.now });
    const locks = new MemoryShortLivedStore({ clock: clock.now });
    // A leader on another replica took the lock and vanished.
    assert.ok(await locks.acquireLock('peer-discovery:peer.example', 'dead-replica', 2_000));
    const resolver = new PeerCapabilitiesResolver({
      discovery,
      cache,
      locks,
      clock: clock.now,
      policy: POLICY,
      lockTtlMs: 2_000,
      pollMinMs: 500,
      pollMaxMs: 500,
      sleep: (ms) => {
        clock.advance(ms);
        return Promise.resolve();
      },
    });
    const result = await resolver.resolve('peer.example');
    assert.equal(result.source, 'miss');
    assert.equal(discovery.calls.length, 1);
  });

  test('a follower whose leader never finishes gives up with UNAVAILABLE (bounded wait)', async () => {
    const discovery = new ScriptedDiscovery((peer) => success(peer.key));
    const clock = new ManualClock(T0);
    const locks = new MemoryShortLivedStore({ clock: clock.now });
    assert.ok(await locks.acquireLock('peer-discovery:peer.example', 'other', 3_600_000));
    const resolver = new PeerCapabilitiesResolver({
      discovery,
      cache: new MemoryCapabilityCache({ clock: clock.now }),
      locks,
      clock: clock.now,
      policy: POLICY,
      followerWaitMs: 50,
      pollMinMs: 10,
      pollMaxMs: 10,
      sleep: () => Promise.resolve(),
    });
    const error = await rejection(resolver.resolve('peer.example'));
    assert.equal(error.code, 'UNAVAILABLE');
    assert.equal(discovery.calls.length, 0);
  });
});

describe('operator views', () => {
  test('dialect: best in common, or the per-peer override (host or host:port)', async () => {
    const discovery = new ScriptedDiscovery((peer) =>
      success(peer.key, { dialects: ['ocm-proposal1', 'ocm-1.2'] }),
    );
    const { resolver } = setup(discovery, {
      peers: [
        { host: 'old.example', dialect: 'ocm-proposal1' },
        { host: 'port.example:8443', dialect: 'ocs-v2' },
      ],
      ourDialects: ['ocs-v2', 'ocm-proposal1', 'ocm-1.1', 'ocm-1.2'],
    });
    assert.equal((await resolver.resolve('new.example')).dialect, 'ocm-1.2');
    assert.equal((await resolver.resolve('bob@old.example/sub')).dialect, 'ocm-proposal1');
    const forced = await resolver.resolve('port.example:8443');
    assert.equal(forced.dialect, 'ocs-v2');
    assert.ok(forced.choice.ok && forced.choice.warning !== undefined);
  });

  test('show without a cache entry discovers; forget drops it; list shows every peer', async () => {
    const discovery = new ScriptedDiscovery((peer) =>
      peer.key.startsWith('bad') ? failure(peer.key) : success(peer.key),
    );
    const { resolver } = setup(discovery);
    const shown = await resolver.show('a.example');
    assert.equal(shown.state, 'fresh');
    assert.equal((await resolver.show('a.example')).fetchedAt, shown.fetchedAt);
    assert.equal(discovery.calls.length, 1);
    await resolver.show('bad.example');
    const listed = await resolver.list();
    assert.deepEqual(
      listed.map((s) => [s.peer, s.state]),
      [
        ['a.example', 'fresh'],
        ['bad.example', 'negative'],
      ],
    );
    assert.equal(await resolver.forget('bob@a.example'), 'a.example');
    assert.deepEqual(
      (await resolver.list()).map((s) => s.peer),
      ['bad.example'],
    );
  });

  test('a bad peer string is an INVALID_REQUEST naming the field', async () => {
    const { resolver } = setup(new ScriptedDiscovery((peer) => success(peer.key)));
    const error = await rejection(resolver.resolve('not a peer'));
    assert.equal(error.code, 'INVALID_REQUEST');
    assert.match(error.message, /^peer /);
  });
});
