/** The resolver over real peers: negative caching, stale-while-revalidate, max-age bounds, circuit, single flight, metrics. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { ManualClock } from '../../contract/manual-clock.ts';
import { discoveryKit, fixtureBody, hits, sendJson } from './discovery-harness.ts';
import { discoveryConfig, resolverUnderTest, type ResolverUnderTest } from './resolver-harness.ts';

const kit = discoveryKit();
const handles: ResolverUnderTest[] = [];
after(async () => {
  for (const h of handles) await h.close();
  await kit.close();
});

const T0 = Date.UTC(2026, 3, 1);
const DOC = '/.well-known/ocm';

function track(h: ResolverUnderTest): ResolverUnderTest {
  handles.push(h);
  return h;
}

function document(
  res: ServerResponse,
  provider = 'peer',
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    { ...(fixtureBody('discovery-ocm-provider-nextcloud14') as object), provider },
    headers,
  );
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

const cacheTimes = {
  capabilityCache: {
    freshSeconds: 600,
    staleSeconds: 600,
    negativeSeconds: 30,
    minMaxAgeSeconds: 60,
  },
};

describe('capability cache over real peers', () => {
  test('100 concurrent lookups of an unknown peer: one discovery, counted once', async () => {
    const s = await kit.server({ [DOC]: (_q, res) => setTimeout(() => document(res), 100) });
    const h = track(resolverUnderTest({}));
    const peer = `bob@http://127.0.0.1:${s.port}`;
    const results = await Promise.all(Array.from({ length: 100 }, () => h.resolver.resolve(peer)));
    assert.equal(hits(s, DOC), 1);
    assert.ok(results.every((r) => r.dialect === 'ocm-proposal1'));
    assert.equal(await h.sample('gateway_peer_discoveries_total', { result: 'ocm' }), 1);
    assert.equal(await h.sample('gateway_peer_capability_lookups_total', { result: 'miss' }), 100);
    await h.resolver.resolve(peer);
    assert.equal(await h.sample('gateway_peer_capability_lookups_total', { result: 'hit' }), 1);
    const histogram = await h.sample('gateway_peer_discovery_duration_seconds_count', {
      result: 'ocm',
    });
    assert.equal(histogram, 1);
  });

  test('negative caching: a failed peer is not asked again until the negative TTL is over', async () => {
    const clock = new ManualClock(T0);
    const s = await kit.server({});
    const h = track(resolverUnderTest({ clock: clock.now, config: discoveryConfig(cacheTimes) }));
    const peer = `http://127.0.0.1:${s.port}`;
    assert.equal((await rejection(h.resolver.resolve(peer))).code, 'NOT_FOUND');
    assert.equal(s.requests.length, 5);
    const again = await rejection(h.resolver.resolve(peer));
    assert.equal(again.retryAfterSeconds, 30);
    assert.equal(s.requests.length, 5);
    assert.equal(
      await h.sample('gateway_peer_capability_lookups_total', { result: 'negative' }),
      1,
    );
    assert.equal(await h.sample('gateway_peer_discoveries_total', { result: 'no-document' }), 1);
    clock.advance(30_000);
    await rejection(h.resolver.resolve(peer));
    assert.equal(s.requests.length, 10);
  });

  test('stale-while-revalidate: the stale value is served and exactly one refresh happens', async () => {
    const clock = new ManualClock(T0);
    let version = 1;
    const s = await kit.server({
      [DOC]: (_q, res) => setTimeout(() => document(res, `v${version}`), 50),
    });
    const h = track(resolverUnderTest({ clock: clock.now, config: discoveryConfig(cacheTimes) }));
    const peer = `http://127.0.0.1:${s.port}`;
    assert.equal((await h.resolver.resolve(peer)).capabilities.provider, 'v1');
    version = 2;
    clock.advance(601_000);
    const stale = await Promise.all(Array.from({ length: 20 }, () => h.resolver.resolve(peer)));
    assert.ok(stale.every((r) => r.source === 'stale' && r.capabilities.provider === 'v1'));
    await h.resolver.idle();
    assert.equal(hits(s, DOC), 2);
    const fresh = await h.resolver.resolve(peer);
    assert.equal(fresh.source, 'hit');
    assert.equal(fresh.capabilities.provider, 'v2');
    assert.equal(await h.sample('gateway_peer_capability_lookups_total', { result: 'stale' }), 20);
  });

  test('the peer max-age is respected within [minMaxAgeSeconds, freshSeconds]', async () => {
    const clock = new ManualClock(T0);
    const s = await kit.server({
      [DOC]: (_q, res) => document(res, 'p', { 'cache-control': 'max-age=5' }),
    });
    const h = track(resolverUnderTest({ clock: clock.now, config: discoveryConfig(cacheTimes) }));
    const short = await h.resolver.show(`http://127.0.0.1:${s.port}`);
    assert.equal(short.staleAt - short.fetchedAt, 60_000, 'max-age=5 raised to the 60 s minimum');

    const long = await kit.server({
      [DOC]: (_q, res) => document(res, 'p', { 'cache-control': 'max-age=999999' }),
    });
    const capped = await h.resolver.show(`http://127.0.0.1:${long.port}`);
    assert.equal(capped.staleAt - capped.fetchedAt, 600_000, 'capped at freshSeconds');

    const inside = await kit.server({
      [DOC]: (_q, res) => document(res, 'p', { 'cache-control': 'max-age=300' }),
    });
    const kept = await h.resolver.show(`http://127.0.0.1:${inside.port}`);
    assert.equal(kept.staleAt - kept.fetchedAt, 300_000);
  });

  test('circuit breaker: opens after repeated failures, half-opens for one probe, closes on success', async () => {
    const clock = new ManualClock(T0);
    let healthy = false;
    const s = await kit.server({
      [DOC]: (_q, res) => {
        if (healthy) document(res);
        else {
          res.writeHead(500);
          res.end();
        }
      },
    });
    const h = track(resolverUnderTest({ clock: clock.now, config: discoveryConfig(cacheTimes) }));
    const peer = `http://127.0.0.1:${s.port}`;
    for (let i = 0; i < 3; i += 1) {
      await rejection(h.resolver.resolve(peer));
      clock.advance(30_000);
    }
    let status = await h.resolver.show(peer);
    assert.equal(status.failures, 3);
    assert.equal(status.circuit, 'open');
    assert.equal(await h.sample('gateway_peer_open_circuits'), 1);
    const asked = hits(s, DOC);
    await rejection(h.resolver.resolve(peer));
    assert.equal(hits(s, DOC), asked, 'no request while the circuit is open');

    clock.advance(30_000);
    assert.equal((await h.resolver.show(peer)).circuit, 'half-open');
    healthy = true;
    const probes = await Promise.all(Array.from({ length: 10 }, () => h.resolver.resolve(peer)));
    assert.ok(probes.every((p) => p.capabilities.dialects.includes('ocm-proposal1')));
    assert.equal(hits(s, DOC), asked + 1, 'one probe');
    status = await h.resolver.show(peer);
    assert.equal(status.circuit, 'closed');
    assert.equal(await h.sample('gateway_peer_open_circuits'), 0);
  });

  test('SSRF: with private peers not allowed a loopback peer is refused and never connected to', async () => {
    const s = await kit.server({ [DOC]: (_q, res) => document(res) });
    const h = track(resolverUnderTest({ config: discoveryConfig({}, false) }));
    const error = await rejection(h.resolver.resolve(`bob@127.0.0.1:${s.port}`));
    assert.equal(error.code, 'FORBIDDEN');
    assert.equal(s.connections(), 0);
    assert.equal(await h.sample('gateway_peer_discoveries_total', { result: 'refused' }), 1);
  });

  test('per-peer config: allowHttp lets one peer use plain http, dialect overrides the choice', async () => {
    const s = await kit.server({ [DOC]: (_q, res) => document(res) });
    const config = discoveryConfig(
      {
        policy: { allowNetworks: ['127.0.0.0/8'] },
        peers: [{ host: `127.0.0.1:${s.port}`, allowHttp: true, dialect: 'ocs-v2' }],
      },
      false,
    );
    const h = track(resolverUnderTest({ config }));
    const resolved = await h.resolver.resolve(`127.0.0.1:${s.port}`);
    assert.equal(resolved.capabilities.baseUrl, `http://127.0.0.1:${s.port}`);
    assert.equal(resolved.dialect, 'ocs-v2');
    assert.equal(resolved.choice.ok && resolved.choice.reason, 'override');
  });
});
