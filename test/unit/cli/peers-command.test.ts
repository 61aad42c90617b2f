import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCapabilityCache } from '../../../adapters/memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from '../../../adapters/memory/memory-short-lived-store.ts';
import { runPeersCommand, type PeersBackend } from '../../../gateway/cli/peers-command.ts';
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';
import { PeerCapabilitiesResolver } from '../../../gateway/services/resolve-peer-capabilities.ts';
import { ManualClock } from '../../contract/manual-clock.ts';
import { failure, POLICY, ScriptedDiscovery, success } from '../services/discovery-fakes.ts';

const T0 = Date.UTC(2026, 0, 1);

function harness(options: { shared?: boolean; up?: () => boolean } = {}) {
  const clock = new ManualClock(T0);
  const up = options.up ?? (() => true);
  const discovery = new ScriptedDiscovery((peer) => (up() ? success(peer.key) : failure(peer.key)));
  const resolver = new PeerCapabilitiesResolver({
    discovery,
    cache: new MemoryCapabilityCache({ clock: clock.now }),
    locks: new MemoryShortLivedStore({ clock: clock.now }),
    clock: clock.now,
    policy: POLICY,
  });
  let out = '';
  let err = '';
  let closed = 0;
  const backend: PeersBackend = {
    resolver,
    shared: options.shared ?? true,
    close: () => {
      closed += 1;
      return Promise.resolve();
    },
  };
  const run = (...args: string[]) => {
    out = '';
    err = '';
    return runPeersCommand(args, {
      out: { write: (t: string) => (out += t) },
      err: { write: (t: string) => (err += t) },
      open: () => Promise.resolve(backend),
      now: clock.now,
    });
  };
  return { run, out: () => out, err: () => err, closed: () => closed, discovery, clock };
}

describe('peers command', () => {
  test('bad usage exits 2 with the usage, and never opens the stores', async () => {
    const h = harness();
    for (const args of [
      [],
      ['nope'],
      ['show'],
      ['show', 'a', 'b'],
      ['list', 'x'],
      ['forget', 'p', '--json'],
    ]) {
      assert.equal(await h.run(...args), 2, args.join(' '));
      assert.match(h.err(), /usage: ocm-gateway peers/);
    }
    assert.equal(h.closed(), 0);
  });

  test('show prints a readable table; --json prints the status with ISO dates', async () => {
    const h = harness();
    assert.equal(await h.run('show', 'bob@peer.example'), 0);
    assert.match(h.out(), /^peer\s+peer\.example$/m);
    assert.match(h.out(), /^state\s+fresh, circuit closed$/m);
    assert.match(h.out(), /^dialect\s+ocm-1\.2 \(best in common\)$/m);
    assert.match(h.out(), /^sources\n\s+endPoint\s+https:\/\/peer\.example\/\.well-known\/ocm$/m);
    assert.equal(h.closed(), 1);

    assert.equal(await h.run('show', 'peer.example', '--json'), 0);
    const json = JSON.parse(h.out()) as Record<string, unknown>;
    assert.equal(json.peer, 'peer.example');
    assert.equal(json.dialect, 'ocm-1.2');
    assert.equal(json.fetchedAt, new Date(T0).toISOString());
    assert.equal(h.discovery.calls.length, 1, 'the second show used the cache');
  });

  test('show --fresh and refresh discover again', async () => {
    const h = harness();
    await h.run('show', 'peer.example');
    assert.equal(await h.run('show', 'peer.example', '--fresh'), 0);
    assert.equal(await h.run('refresh', 'peer.example'), 0);
    assert.equal(h.discovery.calls.length, 3);
  });

  test('a failed discovery: status on stdout, one line on stderr, exit 1', async () => {
    const h = harness({ up: () => false });
    assert.equal(await h.run('show', 'down.example', '--json'), 1);
    assert.equal((JSON.parse(h.out()) as { state: string }).state, 'negative');
    assert.equal(h.err(), 'error: down.example is down\n');
  });

  test('a failed refresh keeps the cached capabilities and says so (exit 1)', async () => {
    let up = true;
    const h = harness({ up: () => up });
    await h.run('show', 'peer.example');
    up = false;
    assert.equal(await h.run('refresh', 'peer.example'), 1);
    assert.match(
      h.err(),
      /^error: refresh failed, the cached capabilities are kept: peer\.example is down\n$/,
    );
    assert.match(h.out(), /^failures\s+1$/m);
  });

  test('list: a table for people, JSON for machines; forget removes', async () => {
    const h = harness();
    assert.equal(await h.run('list'), 0);
    assert.equal(h.out(), 'No peers in the capability cache.\n');
    await h.run('show', 'a.example');
    await h.run('show', 'b.example:8443');
    assert.equal(await h.run('list'), 0);
    const lines = h.out().trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^PEER\s+STATE\s+CIRCUIT\s+DIALECT/);
    assert.match(
      lines[1] ?? '',
      /^a\.example\s+fresh\s+closed\s+ocm-1\.2\s+ocm\s+test peer\s+0\s+in 2m$/,
    );
    assert.equal(lines.length, 3);
    assert.equal(await h.run('forget', 'bob@a.example'), 0);
    assert.equal(h.out(), 'Forgot a.example.\n');
    assert.equal(await h.run('list', '--json'), 0);
    assert.deepEqual(
      (JSON.parse(h.out()) as { peer: string }[]).map((p) => p.peer),
      ['b.example:8443'],
    );
  });

  test('embedded state: show discovers live, the cache commands refuse with a reason', async () => {
    const h = harness({ shared: false });
    assert.equal(await h.run('show', 'peer.example'), 0);
    for (const args of [['list'], ['refresh', 'peer.example'], ['forget', 'peer.example']]) {
      assert.equal(await h.run(...args), 1);
      assert.match(h.err(), /needs the shared cache \(GATEWAY_REDIS_URL\)/);
    }
  });

  test('a bad peer or a failing store is one line on stderr, never a stack trace', async () => {
    const h = harness();
    assert.equal(await h.run('show', 'not a peer'), 1);
    assert.equal(h.err(), 'error: peer contains whitespace or control characters\n');
    let err = '';
    const code = await runPeersCommand(['list'], {
      out: { write: () => undefined },
      err: { write: (t: string) => (err += t) },
      open: () =>
        Promise.reject(new GatewayError('UNAVAILABLE', 'capability cache: Redis unreachable')),
    });
    assert.equal(code, 1);
    assert.equal(err, 'error: capability cache: Redis unreachable\n');
    err = '';
    await runPeersCommand(['list'], {
      out: { write: () => undefined },
      err: { write: (t: string) => (err += t) },
      open: () => Promise.reject(new Error('secret://user:pw@host internal detail')),
    });
    assert.equal(err, 'error: Internal gateway error.\n');
  });
});
