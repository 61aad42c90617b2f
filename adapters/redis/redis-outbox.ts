/**
 * The notification outbox in the Redis ledger. A sorted set holds when each item may next be
 * claimed (its due time, or the end of its lease), so a claim is one atomic script and a crashed
 * worker's items come back by themselves when the lease runs out.
 */
import { randomUUID } from 'node:crypto';
import type {
  NewOutboxItem,
  Outbox,
  OutboxClaimRequest,
  OutboxItem,
  OutboxNack,
} from '../../gateway/ports/ledger.ts';
import {
  checkNewOutboxItem,
  checkNonNegativeInteger,
  outboxErrorText,
} from '../ledger-common/ledger-input.ts';
import { openPayload, sealPayload } from '../ledger-common/outbox-payload.ts';
import { LEDGER, corrupt, type RedisLedgerContext } from './redis-ledger-context.ts';
import { callRedis } from './redis-failure.ts';
import { ledgerWrite } from './ledger-write.ts';
import {
  ACK_OUTBOX,
  CLAIM_OUTBOX,
  ENQUEUE_OUTBOX,
  LIST_OUTBOX,
  NACK_OUTBOX,
} from './redis-ledger-scripts.ts';

interface OutboxBody {
  readonly peerHost: string;
  readonly kind: string;
  readonly shareId?: string;
  readonly createdAt: number;
  /** Sealed JSON. */
  readonly payload: string;
}

export class RedisOutbox implements Outbox {
  readonly #context: RedisLedgerContext;

  constructor(context: RedisLedgerContext) {
    this.#context = context;
  }

  async enqueue(item: NewOutboxItem): Promise<OutboxItem> {
    checkNewOutboxItem(item);
    const { box, client, keys, clock } = this.#context;
    const now = clock();
    const body: OutboxBody = {
      peerHost: item.peerHost,
      kind: item.kind,
      ...(item.shareId === undefined ? {} : { shareId: item.shareId }),
      createdAt: now,
      payload: await sealPayload(box, item.payload),
    };
    const dueAt = Math.floor(item.dueAt ?? now);
    const reply = await ledgerWrite(this.#context, () =>
      ENQUEUE_OUTBOX.run(client, keys.outbox, [randomUUID(), JSON.stringify(body), dueAt]),
    );
    return this.#toItem(reply);
  }

  async claim(request: OutboxClaimRequest): Promise<readonly OutboxItem[]> {
    checkNonNegativeInteger('leaseMs', request.leaseMs);
    checkNonNegativeInteger('limit', request.limit);
    if (request.limit === 0) return [];
    const { client, keys, clock } = this.#context;
    const now = clock();
    const reply = await ledgerWrite(this.#context, () =>
      CLAIM_OUTBOX.run(client, keys.outbox, [
        now,
        request.owner,
        now + request.leaseMs,
        request.limit,
      ]),
    );
    return this.#toItems(reply);
  }

  async ack(id: string, owner: string): Promise<boolean> {
    const { client, keys } = this.#context;
    const reply = await ledgerWrite(this.#context, () =>
      ACK_OUTBOX.run(client, keys.outbox, [id, owner]),
    );
    return reply === 1;
  }

  async nack(id: string, owner: string, nack: OutboxNack): Promise<boolean> {
    checkNonNegativeInteger('retryAfterMs', nack.retryAfterMs);
    const { client, keys, clock } = this.#context;
    const dueAt = clock() + nack.retryAfterMs;
    const error = outboxErrorText(nack.error) ?? '';
    const reply = await ledgerWrite(this.#context, () =>
      NACK_OUTBOX.run(client, keys.outbox, [id, owner, dueAt, error]),
    );
    return reply === 1;
  }

  async listDue(limit: number): Promise<readonly OutboxItem[]> {
    checkNonNegativeInteger('limit', limit);
    if (limit === 0) return [];
    const { client, keys, clock } = this.#context;
    const reply = await callRedis(LEDGER, () =>
      LIST_OUTBOX.run(client, keys.outbox, [clock(), limit]),
    );
    return this.#toItems(reply);
  }

  async #toItems(reply: unknown): Promise<OutboxItem[]> {
    if (!Array.isArray(reply)) throw corrupt('outbox reply');
    return Promise.all(reply.map((tuple: unknown) => this.#toItem(tuple)));
  }

  /** From the scripts' {id, body, attempts, dueAt, leaseOwner, leaseUntil, lastError}. */
  async #toItem(tuple: unknown): Promise<OutboxItem> {
    if (!Array.isArray(tuple) || tuple.length !== 7) throw corrupt('outbox item');
    const [id, rawBody, attempts, dueAt, leaseOwner, leaseUntil, lastError] = tuple as unknown[];
    if (typeof id !== 'string' || typeof rawBody !== 'string') throw corrupt('outbox item');
    const body = JSON.parse(rawBody) as OutboxBody;
    return {
      id,
      peerHost: body.peerHost,
      kind: body.kind,
      payload: await openPayload(this.#context.box, body.payload),
      shareId: body.shareId,
      attempts: integerOf(attempts, 'attempts'),
      dueAt: integerOf(dueAt, 'dueAt'),
      createdAt: body.createdAt,
      lastError: typeof lastError === 'string' ? lastError : undefined,
      leaseOwner: typeof leaseOwner === 'string' ? leaseOwner : undefined,
      leaseUntil: leaseUntil === null ? undefined : integerOf(leaseUntil, 'leaseUntil'),
    };
  }
}

function integerOf(value: unknown, name: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) throw corrupt(name);
  return number;
}
