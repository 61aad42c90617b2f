/**
 * The one way the gateway builds an ioredis client (DESIGN §4 shared mode), for a standalone
 * server, a Sentinel-managed master or a Cluster: fail fast while Redis is down (no offline
 * queue, no resend of unanswered writes), reconnect forever with a bounded backoff, connect only
 * when asked, and report connection errors instead of crashing.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient, RedisConnection } from './redis-connection.ts';
import { fenceSentinelFailovers } from './sentinel-failover-fence.ts';
import { watchSentinelMaster } from './watch-sentinel-master.ts';

export interface RedisClientOptions {
  /** redis:// or rediss:// (TLS), with optional user:password@ and /db (a standalone server). */
  readonly url?: string;
  /** Standalone, Sentinel or Cluster; takes the place of `url`. */
  readonly connection?: RedisConnection;
  /** Connection loss and failures, once per outage (repeats are dropped until the next 'ready'). */
  readonly onError?: (error: Error) => void;
  readonly connectionName?: string;
  /** A command without a reply after this fails (a half-open connection). Default 2000. */
  readonly commandTimeoutMs?: number;
  /** Default 3000. */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff doubles from 50 ms up to this. Default 2000. */
  readonly maxReconnectDelayMs?: number;
  /** Sentinel mode: how often a Sentinel is asked where the master is. Default 500. */
  readonly sentinelCheckMs?: number;
}

export function createRedisClient(options: RedisClientOptions & { readonly url: string }): Redis;
export function createRedisClient(options: RedisClientOptions): RedisClient;
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const connection: RedisConnection | undefined =
    options.connection ??
    (options.url === undefined ? undefined : { mode: 'standalone', url: options.url });
  if (connection === undefined) throw new RangeError('a Redis URL or connection is required');
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const backoff = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt - 1, 16), maxDelay);
  // While disconnected, commands fail at once: a durable write must never be queued in memory
  // and run later, after the caller was told it failed.
  const failFast = {
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: options.connectTimeoutMs ?? 3_000,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  } satisfies RedisOptions;
  let client: RedisClient;
  switch (connection.mode) {
    case 'standalone':
      checkRedisUrl(connection.url);
      client = new Redis(connection.url, {
        ...failFast,
        ...credentials(connection),
        lazyConnect: true,
        enableOfflineQueue: false,
        retryStrategy: backoff,
      });
      break;
    case 'sentinel':
      client = new Redis({
        ...failFast,
        ...credentials(connection),
        sentinels: connection.nodes.map(({ host, port }) => ({ host, port })),
        name: connection.sentinelName,
        role: 'master',
        ...(connection.tls === true && { tls: {}, enableTLSForSentinelMode: true }),
        // Ask the Sentinels again at once when they announce a new master.
        failoverDetector: true,
        lazyConnect: true,
        enableOfflineQueue: false,
        retryStrategy: backoff,
        sentinelRetryStrategy: backoff,
        // A demoted master answers READONLY, one cut off from its replicas NOREPLICAS (with
        // min-replicas-to-write): reconnect, which asks the Sentinels for the master.
        reconnectOnError: (error) => /^(READONLY|NOREPLICAS)\b/.test(error.message),
      });
      watchSentinelMaster(client, {
        nodes: connection.nodes,
        sentinelName: connection.sentinelName,
        intervalMs: options.sentinelCheckMs ?? 500,
        tls: connection.tls,
      });
      fenceSentinelFailovers(client, {
        nodes: connection.nodes,
        sentinelName: connection.sentinelName,
        tls: connection.tls,
      });
      break;
    case 'cluster':
      client = new Cluster(
        connection.nodes.map(({ host, port }) => ({ host, port })),
        {
          lazyConnect: true,
          enableOfflineQueue: false,
          clusterRetryStrategy: backoff,
          // MOVED/ASK and a failover in progress are followed by ioredis itself, within bounds.
          maxRedirections: 16,
          retryDelayOnFailover: 100,
          retryDelayOnClusterDown: 100,
          retryDelayOnTryAgain: 100,
          slotsRefreshTimeout: options.connectTimeoutMs ?? 3_000,
          redisOptions: {
            ...failFast,
            ...credentials(connection),
            ...(connection.tls === true && { tls: {} }),
          },
        },
      );
      break;
  }
  watchConnection(client, options.onError);
  return client;
}

function checkRedisUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // The URL may carry a password: never echo it.
    throw new RangeError('the Redis URL is not a valid URL');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new RangeError('the Redis URL must start with redis:// or rediss://');
  }
}

/** Credentials given beside the URL (a user:password@ in the URL wins). */
function credentials(connection: {
  readonly username?: string | undefined;
  readonly password?: string | undefined;
}): { username?: string; password?: string } {
  return {
    ...(connection.username === undefined ? {} : { username: connection.username }),
    ...(connection.password === undefined ? {} : { password: connection.password }),
  };
}

function watchConnection(client: RedisClient, onError: ((error: Error) => void) | undefined) {
  let reported = false;
  let wasReady = false;
  const report = (error: Error): void => {
    if (reported) return;
    reported = true;
    onError?.(error);
  };
  // Without an 'error' listener ioredis would print every reconnect failure to stderr.
  client.on('error', report);
  // A server that dies closes the socket without an error: say so before the first retry fails.
  client.on('reconnecting', () => {
    if (!wasReady) return;
    wasReady = false;
    report(new Error('the connection to Redis was lost; reconnecting'));
  });
  client.on('ready', () => {
    reported = false;
    wasReady = true;
  });
}

/**
 * Starts connecting and waits for the first attempt. A failed attempt is not thrown (the client's
 * 'error' listener has reported it): the client keeps reconnecting and health() says what is wrong.
 */
export async function connectRedisClient(client: RedisClient): Promise<void> {
  if (client.status !== 'wait') return;
  await client.connect().catch(() => undefined);
}

/**
 * Quits politely when connected (pending replies arrive), else drops the socket. Resolves once the
 * client has ended (at most about a second); never throws.
 */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'reconnecting' || client.status === 'close') {
    // No socket to wait for: this only cancels the pending reconnect.
    client.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      client.disconnect();
      resolve();
    }, 1_000);
    client.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  if (client.status === 'ready') {
    // A failed QUIT (the connection broke meanwhile) falls back to dropping the socket.
    await client.quit().catch(() => {
      client.disconnect();
    });
  } else {
    client.disconnect();
  }
  await ended;
  // QUIT ends the data connection only: a Sentinel client's failover detector keeps its own
  // connections to the Sentinels (and the process alive) until the connector is disconnected.
  if (client instanceof Redis) client.disconnect();
}
