/**
 * The one way the gateway builds an ioredis client (DESIGN §4 shared mode): fail fast while Redis
 * is down (no offline queue, no resend of unanswered writes), reconnect forever with a bounded
 * backoff, connect only when asked, and report connection errors instead of crashing.
 */
import { Redis } from 'ioredis';

export interface RedisClientOptions {
  /** redis:// or rediss:// (TLS), with optional user:password@ and /db. */
  readonly url: string;
  /** Connection loss and failures, once per outage (repeats are dropped until the next 'ready'). */
  readonly onError?: (error: Error) => void;
  readonly connectionName?: string;
  /** A command without a reply after this fails (a half-open connection). Default 2000. */
  readonly commandTimeoutMs?: number;
  /** Default 3000. */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff doubles from 50 ms up to this. Default 2000. */
  readonly maxReconnectDelayMs?: number;
}

export function createRedisClient(options: RedisClientOptions): Redis {
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch {
    // The URL may carry a password: never echo it.
    throw new RangeError('the Redis URL is not a valid URL');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new RangeError('the Redis URL must start with redis:// or rediss://');
  }
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const client = new Redis(options.url, {
    lazyConnect: true,
    // While disconnected, commands fail at once: a durable write must never be queued in memory
    // and run later, after the caller was told it failed.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    connectTimeout: options.connectTimeoutMs ?? 3_000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt - 1, 16), maxDelay),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  });
  let reported = false;
  let wasReady = false;
  const report = (error: Error): void => {
    if (reported) return;
    reported = true;
    options.onError?.(error);
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
  return client;
}

/**
 * Starts connecting and waits for the first attempt. A failed attempt is not thrown (the client's
 * 'error' listener has reported it): the client keeps reconnecting and health() says what is wrong.
 */
export async function connectRedisClient(client: Redis): Promise<void> {
  if (client.status !== 'wait') return;
  await client.connect().catch(() => undefined);
}

/**
 * Quits politely when connected (pending replies arrive), else drops the socket. Resolves once the
 * client has ended (at most about a second); never throws.
 */
export async function closeRedisClient(client: Redis): Promise<void> {
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
}
