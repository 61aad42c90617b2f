/**
 * How Redis failures surface (DESIGN §4): an unreachable or overloaded Redis is UNAVAILABLE with
 * Retry-After, so the sender retries; a Redis reply error that means a bug stays an error (INTERNAL).
 */
import type { RedisClient } from './redis-connection.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { HealthReport } from '../../gateway/ports/store-lifecycle.ts';

export const REDIS_RETRY_AFTER_SECONDS = 5;

/** Server replies that mean "not now" rather than "wrong command". */
const TRANSIENT_REPLY =
  /^(OOM|LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MISCONF)\b/;

export function toRedisFailure(error: unknown, what: string): Error {
  if (error instanceof GatewayError) return error;
  if (
    error instanceof Error &&
    error.name === 'ReplyError' &&
    !TRANSIENT_REPLY.test(error.message)
  ) {
    return error;
  }
  return new GatewayError('UNAVAILABLE', `The ${what} is temporarily unavailable (Redis).`, {
    retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS,
    cause: error,
  });
}

/** Runs one Redis call, mapping its failure; errors of the caller's own code are not touched. */
export async function callRedis<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toRedisFailure(error, what);
  }
}

export async function redisHealth(client: RedisClient, what: string): Promise<HealthReport> {
  if (client.status !== 'ready') {
    return { ok: false, detail: `redis ${what}: not connected (status: ${client.status})` };
  }
  try {
    await client.ping();
    return { ok: true, detail: `redis ${what}: ready` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    return { ok: false, detail: `redis ${what}: ping failed (${reason})` };
  }
}

/** MULTI/EXEC reports a failed command inside the results; treat that as the call failing. */
export async function execChecked(transaction: {
  exec(): Promise<[error: Error | null, result: unknown][] | null>;
}): Promise<unknown[]> {
  const results = await transaction.exec();
  if (results === null) throw new Error('Redis transaction was aborted');
  return results.map(([error, result]) => {
    if (error !== null) throw error;
    return result;
  });
}
