import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { freshnessOf, freshnessWindow, remainingLifetimeMs } from './freshness.ts';

const window = { fetchedAt: 1_000, staleAt: 2_000, expiresAt: 3_000 };

describe('freshnessOf', () => {
  test('is fresh before staleAt, stale until expiresAt, expired from expiresAt on', () => {
    assert.equal(freshnessOf(window, 1_000), 'fresh');
    assert.equal(freshnessOf(window, 1_999), 'fresh');
    assert.equal(freshnessOf(window, 2_000), 'stale');
    assert.equal(freshnessOf(window, 2_999), 'stale');
    assert.equal(freshnessOf(window, 3_000), 'expired');
    assert.equal(freshnessOf(window, 10_000), 'expired');
  });

  test('a clock behind fetchedAt (another replica) still sees the entry as fresh', () => {
    assert.equal(freshnessOf(window, 500), 'fresh');
  });

  test('staleAt after expiresAt cannot keep an entry alive', () => {
    const odd = { fetchedAt: 0, staleAt: 5_000, expiresAt: 1_000 };
    assert.equal(freshnessOf(odd, 999), 'fresh');
    assert.equal(freshnessOf(odd, 1_000), 'expired');
  });

  test('non-finite times are expired, never served', () => {
    assert.equal(freshnessOf({ ...window, expiresAt: Number.NaN }, 1_500), 'expired');
    assert.equal(freshnessOf({ ...window, staleAt: Number.POSITIVE_INFINITY }, 1_500), 'expired');
    assert.equal(freshnessOf(window, Number.NaN), 'expired');
  });

  test('freshness only moves forward as time passes', () => {
    const rank = { fresh: 0, stale: 1, expired: 2 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.nat(1e6),
        fc.nat(1e6),
        fc.nat(3e6),
        fc.nat(3e6),
        (fetchedAt, fresh, stale, t1, dt) => {
          const w = freshnessWindow(fetchedAt, { freshForMs: fresh, staleForMs: stale });
          const a = rank[freshnessOf(w, fetchedAt + t1)];
          const b = rank[freshnessOf(w, fetchedAt + t1 + dt)];
          assert.ok(a <= b);
        },
      ),
    );
  });
});

describe('freshnessWindow', () => {
  test('adds the fresh and stale durations to the fetch time', () => {
    assert.deepEqual(freshnessWindow(100, { freshForMs: 50, staleForMs: 20 }), {
      fetchedAt: 100,
      staleAt: 150,
      expiresAt: 170,
    });
  });

  test('negative durations count as zero', () => {
    const w = freshnessWindow(100, { freshForMs: -5, staleForMs: -1 });
    assert.deepEqual(w, { fetchedAt: 100, staleAt: 100, expiresAt: 100 });
    assert.equal(freshnessOf(w, 100), 'expired');
  });
});

describe('remainingLifetimeMs', () => {
  test('counts down to expiresAt and stays at 0 afterwards', () => {
    assert.equal(remainingLifetimeMs(window, 1_000), 2_000);
    assert.equal(remainingLifetimeMs(window, 2_500), 500);
    assert.equal(remainingLifetimeMs(window, 3_000), 0);
    assert.equal(remainingLifetimeMs(window, 9_000), 0);
  });

  test('rounds a fractional remainder up so a TTL is never 0 for a live entry', () => {
    assert.equal(remainingLifetimeMs({ ...window, expiresAt: 1_000.2 }, 1_000), 1);
  });
});
