/**
 * A lock of the short-lived store that stays held while its holder works: taken with a short
 * TTL and renewed every third of it. A replica that dies mid-task stops renewing, so its lock
 * frees itself within one TTL instead of blocking every retry for a long fixed lease.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../ports/logger.ts';
import type { ShortLivedStore } from '../ports/short-lived-store.ts';

export interface HeldLock {
  /** Stops renewing and releases the lock (never throws). */
  release(): Promise<void>;
}

export type LockStore = Pick<ShortLivedStore, 'acquireLock' | 'releaseLock'>;

/** Undefined when someone else holds `key`; store failures reject as the store does. */
export async function acquireHeldLock(
  store: LockStore,
  key: string,
  options: { readonly ttlMs: number; readonly logger: Logger },
): Promise<HeldLock | undefined> {
  const owner = randomUUID();
  if (!(await store.acquireLock(key, owner, options.ttlMs))) return undefined;
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = store.acquireLock(key, owner, options.ttlMs).then(
        (kept) => {
          if (!kept) options.logger.warn('a held lock was lost before its work ended', { key });
        },
        (error: unknown) => {
          options.logger.debug('could not renew a held lock', { key, error });
        },
      );
    },
    Math.max(1, Math.floor(options.ttlMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await renewing;
      await store.releaseLock(key, owner).catch(() => false);
    },
  };
}
