import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Ledger } from '../../gateway/ports/ledger.ts';
import { SqliteLedger } from '../../adapters/sqlite/sqlite-ledger.ts';
import { LEDGER_SCHEMA_VERSION } from '../../adapters/sqlite/sqlite-ledger-database.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { LEDGER_TEST_KEY, newShare, runLedgerContract } from './ledger.contract.ts';
import { ManualClock } from './manual-clock.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ledger-test-'));
}

/** Every row of every table, read with a separate connection, plus the raw file bytes. */
function dumpDatabase(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    const rows = tables.map((t) => db.prepare(`SELECT * FROM "${String(t.name)}"`).all());
    return JSON.stringify(rows);
  } finally {
    db.close();
  }
}

runLedgerContract('sqlite', (clock) => {
  const dir = tempDir();
  const ledger = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY, clock: clock.now });
  const others: Ledger[] = [];
  return Promise.resolve({
    ledger,
    rawDump: () => {
      const files = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1'));
      return Promise.resolve(`${dumpDatabase(ledger.path)}\n${files.join('\n')}`);
    },
    openWithKeys: (secretKey: string, previousSecretKeys: readonly string[]) => {
      const other = new SqliteLedger({
        dataDir: dir,
        secretKey,
        previousSecretKeys,
        clock: clock.now,
      });
      others.push(other);
      return Promise.resolve(other);
    },
    teardown: async () => {
      await Promise.all([ledger, ...others].map((l) => l.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

test('sqlite ledger: WAL mode, schema version, owner-only file, survives a reopen', async () => {
  const dir = tempDir();
  try {
    const clock = new ManualClock();
    const first = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY, clock: clock.now });
    const { record } = await first.shares.create(newShare());
    await first.close();
    assert.equal(statSync(first.path).mode & 0o777, 0o600);
    const db = new DatabaseSync(first.path, { readOnly: true });
    assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
    assert.equal(db.prepare('PRAGMA user_version').get()?.user_version, LEDGER_SCHEMA_VERSION);
    db.close();
    const second = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY, clock: clock.now });
    assert.deepEqual(await second.shares.get(record.id), record);
    const next = await second.shares.create(newShare());
    assert.equal(next.record.alias, record.alias + 1, 'the alias counter is durable');
    await second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite ledger: a v1 file is migrated in place; its records read without protocol details', async () => {
  const dir = tempDir();
  try {
    const first = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY });
    const { record } = await first.shares.create(newShare());
    await first.close();
    // Turn the file back into a v1 ledger: the column v2 added is gone.
    const db = new DatabaseSync(first.path);
    db.exec('ALTER TABLE shares DROP COLUMN protocol_sealed');
    db.exec('PRAGMA user_version = 1');
    db.close();
    const second = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY });
    assert.deepEqual(await second.shares.get(record.id), record);
    const withProtocol = await second.shares.create(
      newShare({ protocol: { webdavUri: 'key', requirements: ['must-exchange-token'] } }),
    );
    assert.deepEqual((await second.shares.get(withProtocol.record.id))?.protocol, {
      webdavUri: 'key',
      requirements: ['must-exchange-token'],
    });
    await second.close();
    const check = new DatabaseSync(first.path, { readOnly: true });
    assert.equal(check.prepare('PRAGMA user_version').get()?.user_version, 2);
    check.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite ledger: a newer schema is refused instead of being misread', () => {
  const dir = tempDir();
  try {
    const db = new DatabaseSync(join(dir, 'ledger.sqlite'));
    db.exec('PRAGMA user_version = 99');
    db.close();
    assert.throws(
      () => new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY }),
      /schema version 99 is newer/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite ledger: after close, calls fail with UNAVAILABLE and health says closed', async () => {
  const dir = tempDir();
  try {
    const ledger = new SqliteLedger({ dataDir: dir, secretKey: LEDGER_TEST_KEY });
    await ledger.close();
    await ledger.close();
    await assert.rejects(ledger.shares.create(newShare()), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'UNAVAILABLE');
      assert.ok((error.retryAfterSeconds ?? 0) > 0);
      return true;
    });
    assert.deepEqual(await ledger.health(), { ok: false, detail: 'sqlite ledger closed' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
