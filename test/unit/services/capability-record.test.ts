import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backoffMs,
  entryVersion,
  failureEntry,
  freshForMs,
  isNewer,
  successEntry,
  validEntry,
} from '../../../gateway/services/capability-record.ts';
import type { DiscoveryFailure } from '../../../gateway/ports/peer-discovery.ts';
import { capabilities, POLICY, SECOND } from './discovery-fakes.ts';

const T0 = Date.UTC(2026, 0, 1);
const down: DiscoveryFailure = {
  reason: 'unreachable',
  code: 'UPSTREAM_UNREACHABLE',
  message: 'down',
};

describe('freshness bounded by the peer max-age', () => {
  test('no max-age: the configured fresh time', () => {
    assert.equal(freshForMs(POLICY, undefined), 60 * SECOND);
  });
  test('a max-age inside the bounds is used as is', () => {
    assert.equal(freshForMs(POLICY, 30), 30 * SECOND);
  });
  test('a tiny max-age (or no-store = 0) is raised to the minimum', () => {
    assert.equal(freshForMs(POLICY, 1), 5 * SECOND);
    assert.equal(freshForMs(POLICY, 0), 5 * SECOND);
  });
  test('a huge max-age is capped at the configured fresh time', () => {
    assert.equal(freshForMs(POLICY, 9_999_999), 60 * SECOND);
  });
  test('a minimum above the fresh time cannot make entries outlive it', () => {
    assert.equal(freshForMs({ ...POLICY, minMaxAgeMs: 600 * SECOND }, 1), 60 * SECOND);
  });
});

describe('backoff', () => {
  test('below the threshold every failure waits the negative TTL', () => {
    assert.equal(backoffMs(POLICY, 1), 10 * SECOND);
    assert.equal(backoffMs(POLICY, 2), 10 * SECOND);
  });
  test('once open, the wait doubles per failure up to the maximum', () => {
    assert.equal(backoffMs(POLICY, 3), 20 * SECOND);
    assert.equal(backoffMs(POLICY, 4), 40 * SECOND);
    assert.equal(backoffMs(POLICY, 5), 80 * SECOND);
    assert.equal(backoffMs(POLICY, 6), 100 * SECOND);
    assert.equal(backoffMs(POLICY, 60), 100 * SECOND);
  });
});

describe('entries', () => {
  test('a success is fresh for the bounded max-age, then stale for staleMs', () => {
    const entry = successEntry(capabilities('p'), T0, POLICY, 30);
    assert.equal(entry.staleAt, T0 + 30 * SECOND);
    assert.equal(entry.expiresAt, T0 + 90 * SECOND);
    assert.equal(entry.failures, 0);
  });

  test('a first failure is a negative entry: retry after the TTL, remembered longer', () => {
    const entry = failureEntry(undefined, down, T0, POLICY);
    assert.equal(entry.negative, true);
    assert.equal(entry.failures, 1);
    assert.equal(entry.value.retryAt, T0 + 10 * SECOND);
    assert.equal(entry.staleAt, T0 + 10 * SECOND);
    assert.ok(entry.expiresAt >= T0 + 70 * SECOND);
    assert.deepEqual(entry.value.lastError, { ...down, at: T0 });
  });

  test('failures accumulate across negative entries', () => {
    let entry = failureEntry(undefined, down, T0, POLICY);
    entry = failureEntry(entry, down, T0 + 11 * SECOND, POLICY);
    entry = failureEntry(entry, down, T0 + 22 * SECOND, POLICY);
    assert.equal(entry.failures, 3);
    assert.equal(entry.value.retryAt, T0 + 42 * SECOND);
  });

  test('a failed refresh keeps the unexpired good value (stale-if-error) and records the error', () => {
    const good = successEntry(capabilities('p'), T0, POLICY, undefined);
    const after = failureEntry(good, down, T0 + 70 * SECOND, POLICY);
    assert.equal(after.negative, undefined);
    assert.equal(after.value.capabilities?.peer, 'p');
    assert.equal(after.expiresAt, good.expiresAt);
    assert.equal(after.failures, 1);
    assert.equal(after.value.retryAt, T0 + 80 * SECOND);
  });

  test('an expired good value is not kept', () => {
    const good = successEntry(capabilities('p'), T0, POLICY, undefined);
    const after = failureEntry(good, down, T0 + 200 * SECOND, POLICY);
    assert.equal(after.negative, true);
    assert.equal(after.value.capabilities, undefined);
  });

  test('entries of another shape are misses', () => {
    const good = successEntry(capabilities('p'), T0, POLICY, undefined);
    assert.equal(validEntry(good), good);
    assert.equal(validEntry({ ...good, value: { schema: 99 } }), undefined);
    assert.equal(validEntry({ ...good, value: 'x' }), undefined);
    assert.equal(validEntry(undefined), undefined);
  });

  test('a later fetch or a later failure is newer', () => {
    const good = successEntry(capabilities('p'), T0, POLICY, undefined);
    const failed = failureEntry(good, down, T0 + 70 * SECOND, POLICY);
    assert.ok(isNewer(failed, good));
    assert.ok(!isNewer(good, failed));
    assert.ok(isNewer(good, undefined));
    assert.equal(entryVersion(failed), T0 + 70 * SECOND);
  });
});
