/**
 * Keeps a Sentinel client on the master the Sentinels name. ioredis follows a failover when the
 * Sentinels publish +switch-master, which comes only at the end of the failover (after every
 * replica is reconfigured) — until then the client keeps reading the old master's stale data.
 * This asks a Sentinel every `intervalMs` where the master is and reconnects the client (which
 * asks the Sentinels again) when it is talking to another server.
 */
import { isIP } from 'node:net';
import { Redis } from 'ioredis';
import type { RedisNodeAddress } from './redis-connection.ts';

export interface SentinelWatch {
  readonly nodes: readonly RedisNodeAddress[];
  readonly sentinelName: string;
  readonly intervalMs: number;
  readonly tls?: boolean | undefined;
}

export function watchSentinelMaster(client: Redis, watch: SentinelWatch): void {
  let next = 0;
  let sentinel: Redis | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking = false;

  const dropSentinel = () => {
    sentinel?.disconnect();
    sentinel = undefined;
  };
  const askedSentinel = (): Redis => {
    if (sentinel !== undefined) return sentinel;
    const node = watch.nodes[next % watch.nodes.length] ?? { host: '127.0.0.1', port: 26379 };
    next += 1;
    const created = new Redis({
      host: node.host,
      port: node.port,
      lazyConnect: true,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1_000,
      commandTimeout: 1_000,
      connectionName: 'ocm-gateway-sentinel-watch',
      ...(watch.tls === true && { tls: {} }),
    });
    // Failures are not the data connection's: the next check asks the next Sentinel.
    created.on('error', () => undefined);
    sentinel = created;
    return created;
  };

  const check = async () => {
    if (checking || !isReady(client)) return;
    checking = true;
    try {
      const reply = await askedSentinel().call(
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        watch.sentinelName,
      );
      if (!Array.isArray(reply) || reply.length < 2) return;
      const [host, port] = reply as unknown[];
      const stream = client.stream;
      // Hostnames (announce-hostnames) cannot be compared with the socket's address: ioredis's
      // own +switch-master handling is all there is then.
      if (typeof host !== 'string' || isIP(host) === 0 || !isReady(client)) return;
      if (host !== stream.remoteAddress || Number(port) !== stream.remotePort) {
        client.disconnect(true);
      }
    } catch {
      dropSentinel();
    } finally {
      checking = false;
    }
  };

  client.on('ready', () => {
    timer ??= setInterval(() => void check(), watch.intervalMs);
    timer.unref();
  });
  client.on('end', () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    dropSentinel();
  });
}

/** A function, so the status read after an await is not narrowed by the one before it. */
function isReady(client: Redis): boolean {
  return client.status === 'ready';
}
