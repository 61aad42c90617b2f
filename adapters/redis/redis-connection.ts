/**
 * How the gateway reaches Redis (DESIGN §4 shared mode): one server, a Sentinel-managed master, or
 * a Cluster. Every variant ends up as an ioredis client; the adapters only see RedisClient.
 */
import type { Cluster, Redis } from 'ioredis';

/** A plain server or Sentinel master (Redis), or a Cluster: the adapters accept either. */
export type RedisClient = Redis | Cluster;

export interface RedisNodeAddress {
  readonly host: string;
  readonly port: number;
}

export type RedisConnection =
  | {
      readonly mode: 'standalone';
      /** redis:// or rediss:// (TLS), with optional user:password@ and /db. */
      readonly url: string;
      /** Used when the URL carries none. */
      readonly password?: string | undefined;
    }
  | {
      readonly mode: 'sentinel';
      /** Sentinels to ask where the master is (any one answering is enough). */
      readonly nodes: readonly RedisNodeAddress[];
      /** The master group name the Sentinels monitor (`sentinel monitor <name> ...`). */
      readonly sentinelName: string;
      /** For the data nodes (master and replicas); Sentinels are asked without auth. */
      readonly username?: string | undefined;
      readonly password?: string | undefined;
      readonly tls?: boolean | undefined;
    }
  | {
      readonly mode: 'cluster';
      /** Seed nodes: the client learns the rest of the Cluster from any one of them. */
      readonly nodes: readonly RedisNodeAddress[];
      readonly username?: string | undefined;
      readonly password?: string | undefined;
      readonly tls?: boolean | undefined;
    };

/**
 * "host:port,host:port" (IPv6 in brackets: [::1]:7000) → addresses, or a RangeError that names
 * the bad entry (node lists carry no secrets).
 */
export function parseRedisNodes(list: string): RedisNodeAddress[] {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new RangeError('needs at least one host:port');
  return entries.map((entry) => {
    const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[3]);
    const host = match?.[1] ?? match?.[2];
    if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new RangeError(`"${entry}" is not host:port (IPv6 as [::1]:7000)`);
    }
    return { host, port };
  });
}

/** Where a connection points, for logs: hosts and ports only, never credentials. */
export function describeRedisConnection(connection: RedisConnection): string {
  const nodes = (list: readonly RedisNodeAddress[]) =>
    list.map((node) => `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}`);
  switch (connection.mode) {
    case 'standalone': {
      try {
        return `standalone ${new URL(connection.url).host}`;
      } catch {
        return 'standalone (invalid URL)';
      }
    }
    case 'sentinel':
      return `sentinel ${connection.sentinelName} via ${nodes(connection.nodes).join(',')}`;
    case 'cluster':
      return `cluster via ${nodes(connection.nodes).join(',')}`;
  }
}
