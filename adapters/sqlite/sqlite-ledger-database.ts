/**
 * The embedded ledger's SQLite file: opened in WAL mode, schema created on first open and
 * versioned with PRAGMA user_version, every write in an IMMEDIATE transaction.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { SecretBox } from '../ledger-crypto/secret-box.ts';

export const LEDGER_SCHEMA_VERSION = 2;
export const LEDGER_FILE_NAME = 'ledger.sqlite';

const SCHEMA_V1 = `
CREATE TABLE shares (
  id TEXT PRIMARY KEY,
  alias INTEGER NOT NULL UNIQUE,
  direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
  peer_host TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  backend_share_id TEXT,
  secret_sealed TEXT NOT NULL,
  secret_index TEXT NOT NULL UNIQUE,
  dialect_peer TEXT NOT NULL,
  dialect_backend TEXT NOT NULL,
  owner TEXT NOT NULL,
  sender TEXT NOT NULL,
  share_with TEXT NOT NULL,
  resource_name TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (direction, peer_host, provider_id)
);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO counters (name, value) VALUES ('share-alias', 0);
CREATE TABLE invites (
  token_index TEXT PRIMARY KEY,
  token_sealed TEXT NOT NULL,
  sender TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  accepted_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  peer_host TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload_sealed TEXT NOT NULL,
  share_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  due_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_error TEXT,
  lease_owner TEXT,
  lease_until INTEGER
);
CREATE INDEX outbox_due ON outbox (due_at);
`;

/** v2: the optional sealed protocol details of a share (flow 3); v1 rows read as having none. */
const SCHEMA_V2 = `
ALTER TABLE shares ADD COLUMN protocol_sealed TEXT;
`;

/** Each step takes the schema from version `index` to `index + 1`. */
const MIGRATIONS: readonly string[] = [SCHEMA_V1, SCHEMA_V2];

/** Opens (creating if needed) the ledger file in `dataDir`; the file is readable by its owner only. */
export function openLedgerDatabase(dataDir: string): { db: DatabaseSync; path: string } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, LEDGER_FILE_NAME);
  const db = new DatabaseSync(path);
  try {
    chmodSync(path, 0o600);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return { db, path };
}

function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get();
  const version = typeof row?.user_version === 'number' ? row.user_version : 0;
  if (version === LEDGER_SCHEMA_VERSION) return;
  if (version > LEDGER_SCHEMA_VERSION) {
    throw new Error(
      `ledger schema version ${version} is newer than this gateway supports (${LEDGER_SCHEMA_VERSION}); run a newer gateway`,
    );
  }
  inTransaction(db, () => {
    for (const step of MIGRATIONS.slice(version)) db.exec(step);
    db.exec(`PRAGMA user_version = ${LEDGER_SCHEMA_VERSION}`);
  });
}

/** Runs `work` in one IMMEDIATE transaction (write lock taken up front: no upgrade deadlock). */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** SQLITE_BUSY, LOCKED, READONLY, IOERR, FULL, CANTOPEN: the disk, not the request, is at fault. */
const TRANSIENT_CODES = new Set([5, 6, 8, 10, 13, 14]);

/** Maps storage failures to UNAVAILABLE (503 + Retry-After); other errors pass unchanged. */
export function toLedgerFailure(error: unknown): Error {
  if (error instanceof GatewayError) return error;
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === 'number' && TRANSIENT_CODES.has(errcode & 0xff)) {
    return new GatewayError('UNAVAILABLE', 'The ledger storage is temporarily unavailable.', {
      retryAfterSeconds: 5,
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** What the share, invite and outbox tables of one ledger share. */
export interface SqliteLedgerContext {
  readonly db: DatabaseSync;
  readonly box: SecretBox;
  readonly clock: Clock;
  /** Runs synchronous database work: refused once closed, storage failures mapped to rejections. */
  run<T>(work: () => T): Promise<T>;
}
