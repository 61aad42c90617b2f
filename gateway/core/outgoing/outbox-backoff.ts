/**
 * When the outbox tries a notification again (issue 9 item 2): exponential backoff from
 * `baseMs`, doubling per attempt up to `maxMs`; an item older than `giveUpAfterMs` is given up.
 */

export interface OutboxRetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly giveUpAfterMs: number;
}

export const DEFAULT_OUTBOX_RETRY: OutboxRetryPolicy = {
  baseMs: 30_000,
  maxMs: 3_600_000,
  giveUpAfterMs: 7 * 24 * 3_600_000,
};

/** Delay after the `attempts`-th failed attempt (1 = the first). */
export function outboxRetryDelayMs(attempts: number, policy: OutboxRetryPolicy): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  return Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
}

export function outboxGivenUp(createdAt: number, now: number, policy: OutboxRetryPolicy): boolean {
  return now - createdAt >= policy.giveUpAfterMs;
}
