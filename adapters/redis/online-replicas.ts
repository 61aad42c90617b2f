/**
 * How many replicas are attached to a master and in sync (INFO replication, `state=online`), read
 * at most once a second per client. A ledger write in `online` durability waits for all of them:
 * whichever replica a Sentinel promotes then holds every acknowledged write, while a replica that
 * is down or still resynchronising after a failover does not make writes fail.
 */
import type { Redis } from 'ioredis';

const MAX_AGE_MS = 1_000;

interface Reading {
  readonly count: number;
  readonly at: number;
}

const readings = new WeakMap<Redis, Reading>();
const pending = new WeakMap<Redis, Promise<number>>();

/** `slave0:ip=…,port=…,state=online,offset=…,lag=0` lines of INFO replication that are online. */
export function countOnlineReplicas(info: string): number {
  return info
    .split(/\r?\n/)
    .filter((line) => /^slave\d+:/.test(line) && /(?:^|[:,])state=online(?:,|$)/.test(line)).length;
}

export function onlineReplicaCount(client: Redis, now: number = Date.now()): Promise<number> {
  const last = readings.get(client);
  if (last !== undefined && now - last.at < MAX_AGE_MS) return Promise.resolve(last.count);
  const running = pending.get(client);
  if (running !== undefined) return running;
  const reading = client
    .info('replication')
    .then((info) => {
      const count = countOnlineReplicas(info);
      readings.set(client, { count, at: Date.now() });
      return count;
    })
    .finally(() => pending.delete(client));
  pending.set(client, reading);
  return reading;
}
