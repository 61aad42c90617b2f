/**
 * Drains the durable outbox (issue 9 item 2): any replica claims due notifications under a lease,
 * delivers them, acks what arrived or was refused for good, and nacks transient failures with
 * exponential backoff; an item older than the give-up age is dropped with a log line and a
 * metric. A notification overtaken by a later one that ended the share is dropped too.
 */
import { randomUUID } from 'node:crypto';
import { readBackendCallback } from '../core/facade/backend-callback.ts';
import {
  DEFAULT_OUTBOX_RETRY,
  outboxGivenUp,
  outboxRetryDelayMs,
  type OutboxRetryPolicy,
} from '../core/outgoing/outbox-backoff.ts';
import type { Clock } from '../ports/clock.ts';
import type { Ledger, OutboxItem } from '../ports/ledger.ts';
import type { Logger } from '../ports/logger.ts';
import { NO_FACADE_METRICS, type FacadeMetrics, type OutboxResult } from './facade-metrics.ts';
import { OUTBOX_NOTIFICATION_KIND, readOutboxNotification } from './outbox-notification.ts';
import { retryLedgerWrite } from './retry-ledger-write.ts';
import type { SendPeerNotification } from './send-peer-notification.ts';

export interface OutboxDrainerOptions {
  readonly ledger: Pick<Ledger, 'shares' | 'outbox'>;
  readonly send: SendPeerNotification;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: FacadeMetrics;
  /** Pause between drains. Default 5000. */
  readonly intervalMs?: number;
  /**
   * How long a claimed item is ours: longer than one delivery (discovery, token, the call; each
   * bounded by the peer timeouts). Items are claimed one at a time, so a replica that dies holds
   * back at most one item, for at most this long. Default 60 000.
   */
  readonly leaseMs?: number;
  /** Items per drain round. Default 20. */
  readonly batchSize?: number;
  readonly retry?: OutboxRetryPolicy;
  /** Pauses between tries of the ack of a delivered item (retry-ledger-write.ts). */
  readonly ledgerRetryDelaysMs?: readonly number[];
  /** This replica's worker id; default a random UUID. */
  readonly owner?: string;
}

export interface DrainReport {
  readonly claimed: number;
  readonly results: Readonly<Partial<Record<OutboxResult, number>>>;
}

export interface OutboxDrainer {
  /** Drains now and then every interval until stopped. */
  start(): void;
  /** Stops the timer and waits for a drain in progress. */
  stop(): Promise<void>;
  /** One claim-and-deliver round (tests, operators). */
  drainOnce(): Promise<DrainReport>;
}

export function createOutboxDrainer(options: OutboxDrainerOptions): OutboxDrainer {
  const metrics = options.metrics ?? NO_FACADE_METRICS;
  const retry = options.retry ?? DEFAULT_OUTBOX_RETRY;
  const owner = options.owner ?? randomUUID();
  const { outbox, shares } = options.ledger;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<DrainReport> | undefined;
  let stopped = true;

  async function superseded(item: OutboxItem, type: string): Promise<boolean> {
    if (item.shareId === undefined) return false;
    const record = await shares.get(item.shareId);
    const after = readBackendCallback(type)?.stateAfter;
    // A later call ended the share (decline after accept, unshare): the older news is moot.
    return (
      record !== undefined &&
      (record.state === 'declined' || record.state === 'unshared') &&
      after !== record.state
    );
  }

  async function handle(item: OutboxItem): Promise<OutboxResult> {
    const log = { item: item.id, peerHost: item.peerHost, attempts: item.attempts };
    const payload =
      item.kind === OUTBOX_NOTIFICATION_KIND ? readOutboxNotification(item.payload) : undefined;
    if (payload === undefined) {
      options.logger.error('outbox item is not a notification; dropped', {
        ...log,
        kind: item.kind,
      });
      await outbox.ack(item.id, owner);
      return 'rejected';
    }
    const type = payload.notification.notificationType;
    if (await superseded(item, type)) {
      await outbox.ack(item.id, owner);
      options.logger.info('queued notification overtaken by a later one; dropped', {
        ...log,
        type,
      });
      return 'superseded';
    }
    const delivery = await options.send(item.peerHost, payload.notification);
    if (delivery.outcome === 'delivered') {
      // The peer has it: an ack lost now would deliver it again once the lease runs out.
      await retryLedgerWrite(() => outbox.ack(item.id, owner), options.ledgerRetryDelaysMs);
      options.logger.info('queued notification delivered', { ...log, type });
      return 'delivered';
    }
    if (delivery.outcome === 'refused') {
      await outbox.ack(item.id, owner);
      options.logger.warn('peer refused a queued notification; dropped', {
        ...log,
        type,
        error: delivery.error.message,
      });
      return 'rejected';
    }
    if (outboxGivenUp(item.createdAt, options.clock(), retry)) {
      await outbox.ack(item.id, owner);
      options.logger.error('gave up delivering a notification', {
        ...log,
        type,
        since: new Date(item.createdAt).toISOString(),
        error: delivery.error.message,
      });
      return 'gave_up';
    }
    await outbox.nack(item.id, owner, {
      retryAfterMs: outboxRetryDelayMs(item.attempts, retry),
      error: delivery.error.message.slice(0, 200),
    });
    return 'retried';
  }

  async function drain(): Promise<DrainReport> {
    const results: Partial<Record<OutboxResult, number>> = {};
    const limit = options.batchSize ?? 20;
    let claimed = 0;
    // One at a time: a lease taken for a whole batch would run out behind a few slow peers, and
    // another replica would deliver the rest a second time.
    while (claimed < limit) {
      const [item] = await outbox.claim({ owner, leaseMs: options.leaseMs ?? 60_000, limit: 1 });
      if (item === undefined) break;
      claimed += 1;
      let result: OutboxResult;
      try {
        result = await handle(item);
      } catch (error) {
        // A store failure mid-item: the lease runs out and the item is claimed again.
        options.logger.warn('outbox item could not be settled', { item: item.id, error });
        continue;
      }
      metrics.outbox(result);
      results[result] = (results[result] ?? 0) + 1;
    }
    return { claimed, results };
  }

  function drainOnce(): Promise<DrainReport> {
    // One round at a time per replica; a second caller shares the round in progress.
    running ??= drain().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      drainOnce()
        .catch((error: unknown) => {
          options.logger.warn('outbox drain failed', { error });
        })
        .finally(schedule);
    }, options.intervalMs ?? 5_000);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
    drainOnce,
  };
}
