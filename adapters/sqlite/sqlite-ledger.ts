/** The embedded ledger (DESIGN §4): one SQLite file in the data dir, secrets sealed with JWE. */
import type { DatabaseSync } from 'node:sqlite';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { Ledger, RewrapReport } from '../../gateway/ports/ledger.ts';
import type { HealthReport } from '../../gateway/ports/store-lifecycle.ts';
import { SecretBox } from '../ledger-crypto/secret-box.ts';
import {
  LEDGER_SCHEMA_VERSION,
  openLedgerDatabase,
  toLedgerFailure,
  type SqliteLedgerContext,
} from './sqlite-ledger-database.ts';
import { SqliteInviteLedger } from './sqlite-invite-ledger.ts';
import { rewrapSqliteLedger } from './sqlite-ledger-rewrap.ts';
import { SqliteOutbox } from './sqlite-outbox.ts';
import { SqliteShareLedger } from './sqlite-share-ledger.ts';

export interface SqliteLedgerOptions {
  readonly dataDir: string;
  /** The configured ledger key (at least 32 characters); secrets are sealed with it. */
  readonly secretKey: string;
  /** Keys it replaced: records they sealed are still read, until `rewrap` moves them. */
  readonly previousSecretKeys?: readonly string[];
  readonly clock?: Clock;
}

export class SqliteLedger implements Ledger {
  readonly shares: SqliteShareLedger;
  readonly invites: SqliteInviteLedger;
  readonly outbox: SqliteOutbox;
  /** The database file, for operators and for tests that inspect what is stored. */
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #context: SqliteLedgerContext;
  #closed = false;

  /** Opens or creates the ledger file; throws if the file cannot be opened or is too new. */
  constructor(options: SqliteLedgerOptions) {
    const box = new SecretBox(options.secretKey, options.previousSecretKeys);
    const { db, path } = openLedgerDatabase(options.dataDir);
    this.#db = db;
    this.path = path;
    const context: SqliteLedgerContext = {
      db,
      box,
      clock: options.clock ?? Date.now,
      run: (work) => {
        if (this.#closed) {
          return Promise.reject(
            new GatewayError('UNAVAILABLE', 'The ledger is closed (shutting down).', {
              retryAfterSeconds: 5,
            }),
          );
        }
        return Promise.resolve()
          .then(work)
          .catch((error: unknown) => {
            throw toLedgerFailure(error);
          });
      },
    };
    this.#context = context;
    this.shares = new SqliteShareLedger(context);
    this.invites = new SqliteInviteLedger(context);
    this.outbox = new SqliteOutbox(context);
  }

  rewrap(): Promise<RewrapReport> {
    return rewrapSqliteLedger(this.#context);
  }

  health(): Promise<HealthReport> {
    if (this.#closed) return Promise.resolve({ ok: false, detail: 'sqlite ledger closed' });
    try {
      this.#db.prepare('SELECT 1').get();
      return Promise.resolve({
        ok: true,
        detail: `sqlite ledger ${this.path} (schema v${LEDGER_SCHEMA_VERSION})`,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unknown error';
      return Promise.resolve({ ok: false, detail: `sqlite ledger failing: ${reason}` });
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#db.close();
    }
    return Promise.resolve();
  }
}
