/** Share records in the Redis ledger: one Lua script makes create idempotent and allocates aliases. */
import { randomUUID } from 'node:crypto';
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
  shareKeyId,
} from '../ledger-common/ledger-input.ts';
import { openShareProtocol, sealShareProtocol } from '../ledger-common/share-protocol-blob.ts';
import {
  LEDGER,
  corrupt,
  field,
  hashFromReply,
  numberField,
  type RedisHash,
  type RedisLedgerContext,
} from './redis-ledger-context.ts';
import { callRedis } from './redis-failure.ts';
import { ledgerWrite } from './ledger-write.ts';
import { CREATE_SHARE, UPDATE_SHARE } from './redis-ledger-scripts.ts';

export class RedisShareLedger implements ShareLedger {
  readonly #context: RedisLedgerContext;

  constructor(context: RedisLedgerContext) {
    this.#context = context;
  }

  async create(input: NewShareRecord): Promise<CreatedShare> {
    checkNewShare(input);
    const { box, keys, client, clock } = this.#context;
    const [secretIndex = '', ...previousIndexes] = box.indexes(
      SHARE_SECRET_INDEX,
      input.sharedSecret,
    );
    const sealed = await box.seal(input.sharedSecret);
    const protocolSealed = await sealShareProtocol(box, input.protocol);
    const id = randomUUID();
    const now = clock();
    const fields: Record<string, string> = {
      id,
      direction: input.direction,
      peerHost: input.peerHost,
      providerId: input.providerId,
      secret: sealed,
      dialectPeer: input.dialects.peer,
      dialectBackend: input.dialects.backend,
      owner: input.owner,
      sender: input.sender,
      shareWith: input.shareWith,
      resourceName: input.resourceName,
      state: input.state ?? 'pending',
      createdAt: String(now),
      updatedAt: String(now),
      ...(input.backendShareId === undefined ? {} : { backendShareId: input.backendShareId }),
      ...(protocolSealed === undefined ? {} : { protocol: protocolSealed }),
    };
    const reply = await ledgerWrite(this.#context, () =>
      CREATE_SHARE.run(
        client,
        [
          keys.share(id),
          keys.shareSequence,
          keys.shareByAlias,
          keys.shareByKey,
          keys.shareBySecret,
        ],
        [
          shareKeyId(input),
          secretIndex,
          id,
          previousIndexes.length,
          ...previousIndexes,
          ...Object.entries(fields).flat(),
        ],
      ),
    );
    const [status, detail] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (status === 2) throw secretInUse();
    if (status === 1 && typeof detail === 'number') {
      return { record: await this.#toRecord({ ...fields, alias: String(detail) }), created: true };
    }
    if (status === 0 && typeof detail === 'string') {
      const existing = await this.get(detail);
      if (existing !== undefined) return { record: existing, created: false };
    }
    throw corrupt('create-share reply');
  }

  async get(id: string): Promise<ShareRecord | undefined> {
    const { client, keys } = this.#context;
    const hash = await callRedis(LEDGER, () => client.hgetall(keys.share(id)));
    return Object.keys(hash).length === 0 ? undefined : this.#toRecord(hash);
  }

  findByAlias(alias: number): Promise<ShareRecord | undefined> {
    if (!Number.isSafeInteger(alias)) return Promise.resolve(undefined);
    return this.#byIndex(this.#context.keys.shareByAlias, String(alias));
  }

  findByKey(key: ShareKey): Promise<ShareRecord | undefined> {
    return this.#byIndex(this.#context.keys.shareByKey, shareKeyId(key));
  }

  async findBySecret(sharedSecret: string): Promise<ShareRecord | undefined> {
    const { box, keys } = this.#context;
    // Under any ledger key: a share written before a rotation keeps its old index until rewrapped.
    for (const index of box.indexes(SHARE_SECRET_INDEX, sharedSecret)) {
      const found = await this.#byIndex(keys.shareBySecret, index);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  async update(id: string, patch: SharePatch): Promise<ShareRecord | undefined> {
    checkSharePatch(patch);
    const { client, keys, clock } = this.#context;
    const reply = await ledgerWrite(this.#context, () =>
      UPDATE_SHARE.run(
        client,
        [keys.share(id)],
        [clock(), patch.state ?? '', patch.backendShareId ?? ''],
      ),
    );
    return reply === null ? undefined : this.#toRecord(hashFromReply(reply));
  }

  async #byIndex(indexKey: string, field: string): Promise<ShareRecord | undefined> {
    const id = await callRedis(LEDGER, () => this.#context.client.hget(indexKey, field));
    return id === null ? undefined : this.get(id);
  }

  async #toRecord(hash: RedisHash): Promise<ShareRecord> {
    const direction = field(hash, 'direction');
    const state = field(hash, 'state');
    if (direction !== 'incoming' && direction !== 'outgoing') throw corrupt('direction');
    if (!isShareState(state)) throw corrupt('state');
    const protocol = await openShareProtocol(this.#context.box, hash.protocol);
    return {
      id: field(hash, 'id'),
      alias: numberField(hash, 'alias'),
      direction,
      peerHost: field(hash, 'peerHost'),
      providerId: field(hash, 'providerId'),
      backendShareId: hash.backendShareId,
      sharedSecret: await this.#context.box.open(field(hash, 'secret')),
      dialects: { peer: field(hash, 'dialectPeer'), backend: field(hash, 'dialectBackend') },
      owner: field(hash, 'owner'),
      sender: field(hash, 'sender'),
      shareWith: field(hash, 'shareWith'),
      resourceName: field(hash, 'resourceName'),
      state,
      ...(protocol !== undefined && { protocol }),
      createdAt: numberField(hash, 'createdAt'),
      updatedAt: numberField(hash, 'updatedAt'),
    };
  }
}
