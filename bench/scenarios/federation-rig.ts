/**
 * What the federation scenarios (translated shares, notifications, facade streaming) share: the
 * bench OCM 1.3 peer, the gateway configuration they run under, a private Redis key prefix per
 * gateway and the clean-up that proves none of its keys stay behind.
 */
import { randomBytes } from 'node:crypto';
import {
  closeRedisClient,
  connectRedisClient,
  createRedisClient,
} from '../../adapters/redis/create-redis-client.ts';
import type { BenchChild, ChildFleet } from '../child-fleet.ts';

export interface RunningPeer {
  readonly child: BenchChild;
  readonly origin: string;
  /** `127.0.0.1:port`: the server part of the peer's users' addresses, the ledger's peer key. */
  readonly host: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
}

/** A 32-character alphanumeric share secret, as a 1.3 peer mints them. */
export function newShareSecret(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32);
}

export async function startPeer(fleet: ChildFleet, secret: string): Promise<RunningPeer> {
  const child = await fleet.start('ocm-peer', { script: 'peer-child.ts', args: [secret] });
  const field = (name: string): string => {
    const value = child.announced[name];
    if (typeof value !== 'string') throw new Error(`the peer announced no ${name}`);
    return value;
  };
  return {
    child,
    origin: field('origin'),
    host: field('host'),
    keyId: field('keyId'),
    privateKeyPem: field('privateKeyPem'),
  };
}

/**
 * The gateway as an operator expecting this traffic would set it: signatures required (every
 * share is verified), and the per-peer rate limit (default 120 a minute) raised above what the
 * bench sends, so the figures measure the flow and not the limiter (which still runs).
 */
export const FEDERATION_GATEWAY_YAML = `policy:
  signatures: require
  rateLimit:
    requests: 100000000
    windowSeconds: 60
  perPeerRateLimit:
    requests: 100000000
    windowSeconds: 60
`;

/** `ocmgw-bench-<hex>:`, so a shared Redis only ever gets keys this run can find and delete. */
export function benchKeyPrefix(): string {
  return `ocmgw-bench-${randomBytes(6).toString('hex')}:`;
}

/** Why Redis cannot be used (unreachable), or null when it answers. */
export async function redisProblem(url: string): Promise<string | null> {
  const client = createRedisClient({ url, connectionName: 'ocm-gateway-bench' });
  try {
    await connectRedisClient(client);
    if (client.status !== 'ready') return `Redis unreachable at ${new URL(url).host}`;
    await client.ping();
    return null;
  } catch {
    return `Redis unreachable at ${new URL(url).host}`;
  } finally {
    await closeRedisClient(client).catch(() => undefined);
  }
}

/** Deletes every key under `prefix`; throws when some are left (a run must leave Redis as it was). */
export async function deleteBenchKeys(url: string, prefix: string): Promise<number> {
  const client = createRedisClient({ url, connectionName: 'ocm-gateway-bench' });
  try {
    await connectRedisClient(client);
    const scan = async (): Promise<string[]> => {
      const found: string[] = [];
      let cursor = '0';
      for (let page = 0; page < 1_000_000; page += 1) {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        found.push(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
      return found;
    };
    const keys = await scan();
    let deleted = 0;
    for (let start = 0; start < keys.length; start += 500) {
      deleted += await client.del(...keys.slice(start, start + 500));
    }
    const left = (await scan()).length;
    if (left > 0) throw new Error(`${left} bench keys left in Redis under ${prefix}`);
    return deleted;
  } finally {
    await closeRedisClient(client).catch(() => undefined);
  }
}
