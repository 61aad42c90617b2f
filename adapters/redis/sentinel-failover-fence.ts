/**
 * Fences ledger writes off a Sentinel failover. During a failover the old master goes on taking
 * writes until the Sentinels reconfigure it, and the replica that is not promoted goes on
 * replicating them, so WAIT is satisfied; when both follow the new master those writes vanish.
 * ioredis learns of the new master only from +switch-master, at the end of the failover.
 *
 * The fence listens to every Sentinel's event channels: from the first sign of a failover of our
 * master (+try-failover, a vote, a selected replica, ...) until the client is ready again after
 * +switch-master (or the failover was aborted), it is raised. A ledger write refuses to start
 * while it is raised, and one that was in flight when it rose is reported as failed (the sender
 * retries; every ledger write is idempotent), never as done.
 */
import { Redis } from 'ioredis';
import type { RedisNodeAddress } from './redis-connection.ts';

export interface FailoverFence {
  /** True from the first sign of a failover until the client serves the new master. */
  raised(): boolean;
  /** Counts failovers seen: a write spanning a change may have reached the old master. */
  generation(): number;
}

export interface FenceOptions {
  readonly nodes: readonly RedisNodeAddress[];
  readonly sentinelName: string;
  readonly tls?: boolean | undefined;
  /** A failover the Sentinels never finish (or whose end was missed) lowers it after this. */
  readonly maxRaisedMs?: number;
}

/** Sentinel events that mean a failover of some master has started. */
const STARTED = [
  '+try-failover',
  '+elected-leader',
  '+failover-state-select-slave',
  '+selected-slave',
  '+failover-state-send-slaveof-noone',
  '+failover-state-wait-promotion',
  '+promoted-slave',
  '+failover-state-reconf-slaves',
];
const ABORTED = ['-failover-abort-not-elected', '-failover-abort-no-good-slave'];
const SWITCHED = '+switch-master';

const fences = new WeakMap<Redis, FailoverFence>();

/** The fence of a Sentinel client, if it has one. */
export function failoverFenceOf(client: unknown): FailoverFence | undefined {
  return client instanceof Redis ? fences.get(client as Redis) : undefined;
}

/** Which master an event names: `<type> <name> <ip> <port> [@ <master> <ip> <port>]`. */
export function masterNamed(channel: string, message: string): string | undefined {
  const words = message.split(' ');
  if (channel === SWITCHED) return words[0];
  const at = words.indexOf('@');
  return at >= 0 ? words[at + 1] : words[1];
}

export function fenceSentinelFailovers(client: Redis, options: FenceOptions): FailoverFence {
  let raisedAt: number | undefined;
  let count = 0;
  let awaitingReady = false;
  const maxRaisedMs = options.maxRaisedMs ?? 30_000;

  const raise = () => {
    if (raisedAt === undefined) count += 1;
    raisedAt = Date.now();
  };
  const lower = () => {
    raisedAt = undefined;
    awaitingReady = false;
  };
  const fence: FailoverFence = {
    raised() {
      if (raisedAt !== undefined && Date.now() - raisedAt > maxRaisedMs) lower();
      return raisedAt !== undefined;
    },
    generation: () => count,
  };

  const subscribers = options.nodes.map(({ host, port }) => {
    const subscriber = new Redis({
      host,
      port,
      lazyConnect: true,
      maxRetriesPerRequest: null,
      connectTimeout: 1_000,
      connectionName: 'ocm-gateway-failover-fence',
      retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
      ...(options.tls === true && { tls: {} }),
    });
    // A Sentinel that is down only makes the fence less watchful; the data client is unaffected.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) => {
      if (masterNamed(channel, message) !== options.sentinelName) return;
      if (STARTED.includes(channel)) raise();
      else if (ABORTED.includes(channel)) lower();
      else if (channel === SWITCHED) {
        raise();
        awaitingReady = true;
        // Follow the new master now; the fence lowers once the client is ready on it.
        client.disconnect(true);
      }
    });
    return subscriber;
  });

  client.on('ready', () => {
    if (awaitingReady) lower();
  });
  client.once('ready', () => {
    for (const subscriber of subscribers) {
      subscriber
        .connect()
        .then(() => subscriber.subscribe(...STARTED, ...ABORTED, SWITCHED))
        .catch(() => undefined);
    }
  });
  client.on('end', () => {
    for (const subscriber of subscribers) subscriber.disconnect();
  });
  fences.set(client, fence);
  return fence;
}
