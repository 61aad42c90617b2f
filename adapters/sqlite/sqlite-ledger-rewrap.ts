/**
 * Ledger.rewrap for the SQLite ledger: every share secret, share protocol, invite token and outbox
 * payload sealed with a previous ledger key is sealed again with the current one, and its keyed
 * index recomputed. Each row is replaced only if it still holds what was read (compare-and-set),
 * so a row changed meanwhile is left for the next run.
 */
import type { RewrapReport } from '../../gateway/ports/ledger.ts';
import { INVITE_TOKEN_INDEX, SHARE_SECRET_INDEX } from '../ledger-common/ledger-input.ts';
import type { SqliteLedgerContext } from './sqlite-ledger-database.ts';
import { optionalText, text } from './sqlite-row.ts';

export async function rewrapSqliteLedger(context: SqliteLedgerContext): Promise<RewrapReport> {
  const { db, box } = context;
  const read = (sql: string) => context.run(() => db.prepare(sql).all());
  const write = (sql: string, ...values: (string | null)[]) =>
    context.run(() => Number(db.prepare(sql).run(...values).changes));

  let shares = 0;
  for (const row of await read('SELECT id, secret_sealed, protocol_sealed FROM shares')) {
    const secretSealed = text(row, 'secret_sealed');
    const protocolSealed = optionalText(row, 'protocol_sealed');
    const onCurrent = (sealed: string | undefined) =>
      sealed === undefined || box.sealedWithCurrent(sealed);
    if (onCurrent(secretSealed) && onCurrent(protocolSealed)) continue;
    const secret = await box.open(secretSealed);
    shares += await write(
      `UPDATE shares SET secret_sealed = ?, secret_index = ?, protocol_sealed = ?
       WHERE id = ? AND secret_sealed = ? AND protocol_sealed IS ?`,
      await box.seal(secret),
      box.index(SHARE_SECRET_INDEX, secret),
      protocolSealed === undefined ? null : await box.reseal(protocolSealed),
      text(row, 'id'),
      secretSealed,
      protocolSealed ?? null,
    );
  }

  let invites = 0;
  for (const row of await read('SELECT token_index, token_sealed FROM invites')) {
    const sealed = text(row, 'token_sealed');
    if (box.sealedWithCurrent(sealed)) continue;
    const token = await box.open(sealed);
    invites += await write(
      `UPDATE invites SET token_index = ?, token_sealed = ? WHERE token_index = ? AND token_sealed = ?`,
      box.index(INVITE_TOKEN_INDEX, token),
      await box.seal(token),
      text(row, 'token_index'),
      sealed,
    );
  }

  let outbox = 0;
  for (const row of await read('SELECT id, payload_sealed FROM outbox')) {
    const sealed = text(row, 'payload_sealed');
    if (box.sealedWithCurrent(sealed)) continue;
    outbox += await write(
      'UPDATE outbox SET payload_sealed = ? WHERE id = ? AND payload_sealed = ?',
      await box.reseal(sealed),
      text(row, 'id'),
      sealed,
    );
  }
  return { shares, invites, outbox };
}
