/** Invites in the embedded SQLite ledger, keyed by a keyed hash of the token (sealed copy kept). */
import type { StatementSync } from 'node:sqlite';
import type {
  InviteLedger,
  InviteRecord,
  InviteTransition,
  InviteTransitionRequest,
  NewInviteRecord,
} from '../../gateway/ports/ledger.ts';
import {
  INVITE_TOKEN_INDEX,
  checkInviteTransition,
  checkNewInvite,
  inviteExists,
  isInviteState,
} from '../ledger-common/ledger-input.ts';
import { inTransaction, type SqliteLedgerContext } from './sqlite-ledger-database.ts';
import { integer, optionalText, text, type SqliteRow } from './sqlite-row.ts';

export class SqliteInviteLedger implements InviteLedger {
  readonly #context: SqliteLedgerContext;
  readonly #byIndex: StatementSync;
  readonly #insert: StatementSync;
  readonly #setState: StatementSync;

  constructor(context: SqliteLedgerContext) {
    this.#context = context;
    const { db } = context;
    this.#byIndex = db.prepare('SELECT * FROM invites WHERE token_index = ?');
    this.#insert = db.prepare(
      `INSERT INTO invites (token_index, token_sealed, sender, expires_at, state, accepted_by,
         created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', NULL, ?, ?) RETURNING *`,
    );
    this.#setState = db.prepare(
      `UPDATE invites SET state = ?, accepted_by = COALESCE(?, accepted_by), updated_at = ?
       WHERE token_index = ? RETURNING *`,
    );
  }

  async create(input: NewInviteRecord): Promise<InviteRecord> {
    checkNewInvite(input);
    const { box, db, clock } = this.#context;
    const index = box.index(INVITE_TOKEN_INDEX, input.token);
    const sealed = await box.seal(input.token);
    const row = await this.#context.run(() =>
      inTransaction(db, () => {
        if (this.#rowOf(input.token) !== undefined) throw inviteExists();
        const now = clock();
        return this.#insert.get(index, sealed, input.sender, Math.floor(input.expiresAt), now, now);
      }),
    );
    return this.#toRecord(row ?? {});
  }

  async find(token: string): Promise<InviteRecord | undefined> {
    const row = await this.#context.run(() => this.#rowOf(token));
    return row === undefined ? undefined : this.#toRecord(row);
  }

  /** The invite's row under whichever key indexed it (the current one first). */
  #rowOf(token: string): SqliteRow | undefined {
    for (const index of this.#context.box.indexes(INVITE_TOKEN_INDEX, token)) {
      const row = this.#byIndex.get(index);
      if (row !== undefined) return row;
    }
    return undefined;
  }

  async transition(token: string, request: InviteTransitionRequest): Promise<InviteTransition> {
    checkInviteTransition(request);
    const { db, clock } = this.#context;
    const outcome = await this.#context.run(() =>
      inTransaction(db, () => {
        const current = this.#rowOf(token);
        if (current === undefined) return undefined;
        if (text(current, 'state') !== request.from) return { row: current, updated: false };
        const index = text(current, 'token_index');
        const row = this.#setState.get(request.to, request.acceptedBy ?? null, clock(), index);
        return { row: row ?? current, updated: true };
      }),
    );
    if (outcome === undefined) return { status: 'not-found' };
    const invite = await this.#toRecord(outcome.row);
    return outcome.updated ? { status: 'updated', invite } : { status: 'conflict', invite };
  }

  async #toRecord(row: SqliteRow): Promise<InviteRecord> {
    const state = text(row, 'state');
    if (!isInviteState(state)) {
      throw new Error('ledger invite row has an unknown state; the database may be corrupt');
    }
    return {
      token: await this.#context.box.open(text(row, 'token_sealed')),
      sender: text(row, 'sender'),
      expiresAt: integer(row, 'expires_at'),
      state,
      acceptedBy: optionalText(row, 'accepted_by'),
      createdAt: integer(row, 'created_at'),
      updatedAt: integer(row, 'updated_at'),
    };
  }
}
