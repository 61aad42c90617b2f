/** The notification outbox in the embedded SQLite ledger: leases make a claim exclusive. */
import { randomUUID } from 'node:crypto';
import type { StatementSync } from 'node:sqlite';
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
import { inTransaction, type SqliteLedgerContext } from './sqlite-ledger-database.ts';
import { integer, optionalInteger, optionalText, text, type SqliteRow } from './sqlite-row.ts';

const CLAIMABLE = 'due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)';

export class SqliteOutbox implements Outbox {
  readonly #context: SqliteLedgerContext;
  readonly #insert: StatementSync;
  readonly #claim: StatementSync;
  readonly #ack: StatementSync;
  readonly #nack: StatementSync;
  readonly #due: StatementSync;

  constructor(context: SqliteLedgerContext) {
    this.#context = context;
    const { db } = context;
    this.#insert = db.prepare(
      `INSERT INTO outbox (id, peer_host, kind, payload_sealed, share_id, attempts, due_at,
         created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING *`,
    );
    this.#claim = db.prepare(
      `UPDATE outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
       WHERE id IN (SELECT id FROM outbox WHERE ${CLAIMABLE} ORDER BY due_at, created_at LIMIT ?)
       RETURNING *`,
    );
    this.#ack = db.prepare('DELETE FROM outbox WHERE id = ? AND lease_owner = ?');
    this.#nack = db.prepare(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL, due_at = ?,
         last_error = COALESCE(?, last_error)
       WHERE id = ? AND lease_owner = ?`,
    );
    this.#due = db.prepare(
      `SELECT * FROM outbox WHERE ${CLAIMABLE} ORDER BY due_at, created_at LIMIT ?`,
    );
  }

  async enqueue(item: NewOutboxItem): Promise<OutboxItem> {
    checkNewOutboxItem(item);
    const { db, clock } = this.#context;
    const sealed = await sealPayload(this.#context.box, item.payload);
    const row = await this.#context.run(() =>
      inTransaction(db, () => {
        const now = clock();
        const dueAt = Math.floor(item.dueAt ?? now);
        return this.#insert.get(
          randomUUID(),
          item.peerHost,
          item.kind,
          sealed,
          item.shareId ?? null,
          dueAt,
          now,
        );
      }),
    );
    return this.#toItem(row ?? {});
  }

  async claim(request: OutboxClaimRequest): Promise<readonly OutboxItem[]> {
    checkNonNegativeInteger('leaseMs', request.leaseMs);
    checkNonNegativeInteger('limit', request.limit);
    if (request.limit === 0) return [];
    const { db, clock } = this.#context;
    const rows = await this.#context.run(() =>
      inTransaction(db, () => {
        const now = clock();
        return this.#claim.all(request.owner, now + request.leaseMs, now, now, request.limit);
      }),
    );
    const items = await Promise.all(rows.map((row) => this.#toItem(row)));
    return items.sort((a, b) => a.dueAt - b.dueAt || a.createdAt - b.createdAt);
  }

  async ack(id: string, owner: string): Promise<boolean> {
    const { db } = this.#context;
    const result = await this.#context.run(() => inTransaction(db, () => this.#ack.run(id, owner)));
    return result.changes > 0;
  }

  async nack(id: string, owner: string, nack: OutboxNack): Promise<boolean> {
    checkNonNegativeInteger('retryAfterMs', nack.retryAfterMs);
    const { db, clock } = this.#context;
    const result = await this.#context.run(() =>
      inTransaction(db, () =>
        this.#nack.run(clock() + nack.retryAfterMs, outboxErrorText(nack.error) ?? null, id, owner),
      ),
    );
    return result.changes > 0;
  }

  async listDue(limit: number): Promise<readonly OutboxItem[]> {
    checkNonNegativeInteger('limit', limit);
    const now = this.#context.clock();
    const rows = await this.#context.run(() => this.#due.all(now, now, limit));
    return Promise.all(rows.map((row) => this.#toItem(row)));
  }

  async #toItem(row: SqliteRow): Promise<OutboxItem> {
    return {
      id: text(row, 'id'),
      peerHost: text(row, 'peer_host'),
      kind: text(row, 'kind'),
      payload: await openPayload(this.#context.box, text(row, 'payload_sealed')),
      shareId: optionalText(row, 'share_id'),
      attempts: integer(row, 'attempts'),
      dueAt: integer(row, 'due_at'),
      createdAt: integer(row, 'created_at'),
      lastError: optionalText(row, 'last_error'),
      leaseOwner: optionalText(row, 'lease_owner'),
      leaseUntil: optionalInteger(row, 'lease_until'),
    };
  }
}
