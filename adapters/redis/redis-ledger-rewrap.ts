/**
 * Ledger.rewrap for the Redis ledger: every share secret, share protocol, invite token and outbox
 * payload sealed with a previous ledger key is sealed again with the current one, and its keyed
 * index moved (share-by-secret field, invite key). Each record is moved by a script that first
 * checks it still holds what was read, so a record changed meanwhile is left for the next run.
 * Shares and outbox payloads are walked with HSCAN over their hashes, invites with SCAN (on every
 * master of a Cluster: the {ledger} slot lives on one of them).
 */
import type { Redis } from 'ioredis';
import { Cluster } from 'ioredis';
import type { RewrapReport } from '../../gateway/ports/ledger.ts';
import { INVITE_TOKEN_INDEX, SHARE_SECRET_INDEX } from '../ledger-common/ledger-input.ts';
import { ledgerWrite } from './ledger-write.ts';
import { LEDGER, type RedisLedgerContext } from './redis-ledger-context.ts';
import { REWRAP_INVITE, REWRAP_OUTBOX_BODY, REWRAP_SHARE } from './redis-ledger-scripts.ts';
import { callRedis } from './redis-failure.ts';

export async function rewrapRedisLedger(context: RedisLedgerContext): Promise<RewrapReport> {
  return {
    shares: await rewrapShares(context),
    invites: await rewrapInvites(context),
    outbox: await rewrapOutbox(context),
  };
}

async function rewrapShares(context: RedisLedgerContext): Promise<number> {
  const { box, client, keys } = context;
  let moved = 0;
  for await (const [, id] of hashEntries(context, keys.shareByAlias)) {
    const [secretSealed, protocolSealed] = await callRedis(LEDGER, () =>
      client.hmget(keys.share(id), 'secret', 'protocol'),
    );
    if (secretSealed === null || secretSealed === undefined) continue;
    const protocolCurrent = protocolSealed == null || box.sealedWithCurrent(protocolSealed);
    if (box.sealedWithCurrent(secretSealed) && protocolCurrent) continue;
    const secret = await box.open(secretSealed);
    const [index = '', ...previous] = box.indexes(SHARE_SECRET_INDEX, secret);
    const args = [
      id,
      secretSealed,
      await box.seal(secret),
      index,
      protocolSealed == null || protocolCurrent ? '' : await box.reseal(protocolSealed),
      ...previous,
    ];
    const reply = await ledgerWrite(context, () =>
      REWRAP_SHARE.run(client, [keys.share(id), keys.shareBySecret], args),
    );
    if (reply === 1) moved += 1;
  }
  return moved;
}

async function rewrapInvites(context: RedisLedgerContext): Promise<number> {
  const { box, client, keys } = context;
  let moved = 0;
  for await (const key of keysMatching(context, `${globEscape(keys.invite(''))}*`)) {
    const sealed = await callRedis(LEDGER, () => client.hget(key, 'token'));
    if (sealed === null || box.sealedWithCurrent(sealed)) continue;
    const token = await box.open(sealed);
    const target = keys.invite(box.index(INVITE_TOKEN_INDEX, token));
    const now = await box.seal(token);
    const reply = await ledgerWrite(context, () =>
      REWRAP_INVITE.run(client, [key, target], [sealed, now]),
    );
    if (reply === 1) moved += 1;
  }
  return moved;
}

async function rewrapOutbox(context: RedisLedgerContext): Promise<number> {
  const { box, client, keys } = context;
  const bodies = keys.outbox[1];
  let moved = 0;
  for await (const [id, json] of hashEntries(context, bodies)) {
    // The body is JSON around the sealed payload (redis-outbox.ts).
    const body = JSON.parse(json) as { payload?: unknown };
    if (typeof body.payload !== 'string' || box.sealedWithCurrent(body.payload)) continue;
    const now = JSON.stringify({ ...body, payload: await box.reseal(body.payload) });
    const reply = await ledgerWrite(context, () =>
      REWRAP_OUTBOX_BODY.run(client, [bodies], [id, json, now]),
    );
    if (reply === 1) moved += 1;
  }
  return moved;
}

/** Every field of a hash, a page at a time (HSCAN: a large ledger is never read in one reply). */
async function* hashEntries(
  context: RedisLedgerContext,
  key: string,
): AsyncGenerator<[string, string]> {
  let cursor = '0';
  do {
    const [next, flat] = await callRedis(LEDGER, () =>
      context.client.hscan(key, cursor, 'COUNT', 200),
    );
    cursor = next;
    for (let i = 0; i + 1 < flat.length; i += 2) yield [flat[i] ?? '', flat[i + 1] ?? ''];
  } while (cursor !== '0');
}

/** Keys matching a glob on the server, or on every master of a Cluster. */
async function* keysMatching(context: RedisLedgerContext, pattern: string): AsyncGenerator<string> {
  const { client } = context;
  const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, found] = await callRedis(LEDGER, () =>
        node.scan(cursor, 'MATCH', pattern, 'COUNT', 200),
      );
      cursor = next;
      yield* found;
    } while (cursor !== '0');
  }
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
