/** Share records in the embedded SQLite ledger: idempotent create, alias counter, keyed-hash lookups. */
import { randomUUID } from 'node:crypto';
import type { StatementSync } from 'node:sqlite';
import type {
  CreatedShare,
  NewShareRecord,
  ShareKey,
  ShareLedger,
  SharePatch,
  ShareRecord,
} from '../../gateway/ports/ledger.ts';
import {
  SHARE_SECRET_INDEX,
  checkNewShare,
  checkSharePatch,
  isShareState,
  secretInUse,
} from '../ledger-common/ledger-input.ts';
import { openShareProtocol, sealShareProtocol } from '../ledger-common/share-protocol-blob.ts';
import { inTransaction, type SqliteLedgerContext } from './sqlite-ledger-database.ts';
import { integer, optionalText, text, type SqliteRow } from './sqlite-row.ts';

export class SqliteShareLedger implements ShareLedger {
  readonly #context: SqliteLedgerContext;
  readonly #byId: StatementSync;
  readonly #byAlias: StatementSync;
  readonly #byKey: StatementSync;
  readonly #bySecret: StatementSync;
  readonly #nextAlias: StatementSync;
  readonly #insert: StatementSync;
  readonly #update: StatementSync;

  constructor(context: SqliteLedgerContext) {
    this.#context = context;
    const { db } = context;
    this.#byId = db.prepare('SELECT * FROM shares WHERE id = ?');
    this.#byAlias = db.prepare('SELECT * FROM shares WHERE alias = ?');
    this.#byKey = db.prepare(
      'SELECT * FROM shares WHERE direction = ? AND peer_host = ? AND provider_id = ?',
    );
    this.#bySecret = db.prepare('SELECT * FROM shares WHERE secret_index = ?');
    this.#nextAlias = db.prepare(
      "UPDATE counters SET value = value + 1 WHERE name = 'share-alias' RETURNING value",
    );
    this.#insert = db.prepare(
      `INSERT INTO shares (id, alias, direction, peer_host, provider_id, backend_share_id,
         secret_sealed, secret_index, dialect_peer, dialect_backend, owner, sender, share_with,
         resource_name, state, created_at, updated_at, protocol_sealed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#update = db.prepare(
      `UPDATE shares SET state = COALESCE(?, state),
         backend_share_id = COALESCE(?, backend_share_id), updated_at = ?
       WHERE id = ? RETURNING *`,
    );
  }

  async create(input: NewShareRecord): Promise<CreatedShare> {
    checkNewShare(input);
    const { box, db, clock } = this.#context;
    const secretIndex = box.index(SHARE_SECRET_INDEX, input.sharedSecret);
    const everyIndex = box.indexes(SHARE_SECRET_INDEX, input.sharedSecret);
    // Sealing is async, so it happens before the (synchronous) transaction.
    const sealed = await box.seal(input.sharedSecret);
    const protocolSealed = await sealShareProtocol(box, input.protocol);
    const outcome = await this.#context.run(() =>
      inTransaction(db, () => {
        const existing = this.#byKey.get(input.direction, input.peerHost, input.providerId);
        if (existing !== undefined) return { row: existing, created: false };
        // Under any key: a share written before a rotation still holds its secret.
        if (everyIndex.some((index) => this.#bySecret.get(index) !== undefined)) {
          throw secretInUse();
        }
        const alias = integer(this.#nextAlias.get() ?? {}, 'value');
        const now = clock();
        const id = randomUUID();
        this.#insert.run(
          id,
          alias,
          input.direction,
          input.peerHost,
          input.providerId,
          input.backendShareId ?? null,
          sealed,
          secretIndex,
          input.dialects.peer,
          input.dialects.backend,
          input.owner,
          input.sender,
          input.shareWith,
          input.resourceName,
          input.state ?? 'pending',
          now,
          now,
          protocolSealed ?? null,
        );
        return { row: this.#byId.get(id) ?? {}, created: true };
      }),
    );
    return { record: await this.#toRecord(outcome.row), created: outcome.created };
  }

  get(id: string): Promise<ShareRecord | undefined> {
    return this.#one(this.#byId, id);
  }

  findByAlias(alias: number): Promise<ShareRecord | undefined> {
    if (!Number.isSafeInteger(alias)) return Promise.resolve(undefined);
    return this.#one(this.#byAlias, alias);
  }

  findByKey(key: ShareKey): Promise<ShareRecord | undefined> {
    return this.#one(this.#byKey, key.direction, key.peerHost, key.providerId);
  }

  async findBySecret(sharedSecret: string): Promise<ShareRecord | undefined> {
    for (const index of this.#context.box.indexes(SHARE_SECRET_INDEX, sharedSecret)) {
      const found = await this.#one(this.#bySecret, index);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async update(id: string, patch: SharePatch): Promise<ShareRecord | undefined> {
    checkSharePatch(patch);
    const { db, clock } = this.#context;
    const row = await this.#context.run(() =>
      inTransaction(db, () =>
        this.#update.get(patch.state ?? null, patch.backendShareId ?? null, clock(), id),
      ),
    );
    return row === undefined ? undefined : this.#toRecord(row);
  }

  async #one(
    statement: StatementSync,
    ...key: (string | number)[]
  ): Promise<ShareRecord | undefined> {
    const row = await this.#context.run(() => statement.get(...key));
    return row === undefined ? undefined : this.#toRecord(row);
  }

  async #toRecord(row: SqliteRow): Promise<ShareRecord> {
    const direction = text(row, 'direction');
    const state = text(row, 'state');
    if ((direction !== 'incoming' && direction !== 'outgoing') || !isShareState(state)) {
      throw new Error(
        'ledger share row has an unknown direction or state; the database may be corrupt',
      );
    }
    const protocol = await openShareProtocol(
      this.#context.box,
      optionalText(row, 'protocol_sealed'),
    );
    return {
      id: text(row, 'id'),
      alias: integer(row, 'alias'),
      direction,
      peerHost: text(row, 'peer_host'),
      providerId: text(row, 'provider_id'),
      backendShareId: optionalText(row, 'backend_share_id'),
      sharedSecret: await this.#context.box.open(text(row, 'secret_sealed')),
      dialects: { peer: text(row, 'dialect_peer'), backend: text(row, 'dialect_backend') },
      owner: text(row, 'owner'),
      sender: text(row, 'sender'),
      shareWith: text(row, 'share_with'),
      resourceName: text(row, 'resource_name'),
      state,
      ...(protocol !== undefined && { protocol }),
      createdAt: integer(row, 'created_at'),
      updatedAt: integer(row, 'updated_at'),
    };
  }
}
