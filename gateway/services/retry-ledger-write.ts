/**
 * Retries a ledger write that follows an effect outside the gateway (a peer notified, a backend
 * share created). Failing the request then would make the caller retry and the effect happen
 * twice, so a write the ledger refuses for now (503: Redis reconnecting, a failover) is tried
 * again for a few seconds first. Other errors, and the last refusal, are the caller's to handle.
 */
import { GatewayError } from '../core/errors/gateway-error.ts';

/** Pauses between tries (about 6 s in all: a Redis Sentinel failover lasts about that long). */
export const LEDGER_RETRY_DELAYS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000, 2_000];

export async function retryLedgerWrite<T>(
  write: () => Promise<T>,
  delaysMs: readonly number[] = LEDGER_RETRY_DELAYS_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const delay = delaysMs[attempt];
      if (delay === undefined || !(error instanceof GatewayError) || error.status !== 503) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
