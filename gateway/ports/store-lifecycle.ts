/** What every state port shares: a health probe for /readyz and an orderly close for shutdown. */

export interface HealthReport {
  readonly ok: boolean;
  /** One line for operators, e.g. "redis ready" or "redis unreachable (status: reconnecting)". */
  readonly detail: string;
}

export interface StoreLifecycle {
  health(): Promise<HealthReport>;
  /** Releases connections and files; the store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Told about infrastructure failures a store absorbed instead of throwing (a cache read that became
 * a miss, a dropped Redis connection), so the caller can log and count them.
 */
export type StoreErrorListener = (error: unknown, operation: string) => void;
