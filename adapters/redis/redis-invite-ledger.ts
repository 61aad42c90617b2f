/** Invites in the Redis ledger, keyed by a keyed hash of the token (a sealed copy is kept). */
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
import { CREATE_INVITE, TRANSITION_INVITE } from './redis-ledger-scripts.ts';

export class RedisInviteLedger implements InviteLedger {
  readonly #context: RedisLedgerContext;

  constructor(context: RedisLedgerContext) {
    this.#context = context;
  }

  async create(input: NewInviteRecord): Promise<InviteRecord> {
    checkNewInvite(input);
    const { box, client, keys, clock } = this.#context;
    const candidates = box.indexes(INVITE_TOKEN_INDEX, input.token).map((i) => keys.invite(i));
    const now = String(clock());
    const fields: Record<string, string> = {
      token: await box.seal(input.token),
      sender: input.sender,
      expiresAt: String(Math.floor(input.expiresAt)),
      state: 'pending',
      createdAt: now,
      updatedAt: now,
    };
    const created = await ledgerWrite(this.#context, () =>
      CREATE_INVITE.run(client, candidates, Object.entries(fields).flat()),
    );
    if (created !== 1) throw inviteExists();
    return this.#toRecord(fields);
  }

  async find(token: string): Promise<InviteRecord | undefined> {
    const { client } = this.#context;
    const key = await this.#keyOf(token);
    const hash = await callRedis(LEDGER, () => client.hgetall(key));
    return Object.keys(hash).length === 0 ? undefined : this.#toRecord(hash);
  }

  async transition(token: string, request: InviteTransitionRequest): Promise<InviteTransition> {
    checkInviteTransition(request);
    const { client, clock } = this.#context;
    const key = await this.#keyOf(token);
    const reply = await ledgerWrite(this.#context, () =>
      TRANSITION_INVITE.run(
        client,
        [key],
        [request.from, request.to, request.acceptedBy ?? '', clock()],
      ),
    );
    const [status, hash] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (status === 0) return { status: 'not-found' };
    const invite = await this.#toRecord(hashFromReply(hash));
    if (status === 1) return { status: 'updated', invite };
    if (status === 2) return { status: 'conflict', invite };
    throw corrupt('invite transition reply');
  }

  /**
   * The invite's key under whichever ledger key indexed it: the current one unless only a
   * previous one holds it (an invite written before a rotation, not rewrapped yet).
   */
  async #keyOf(token: string): Promise<string> {
    const { box, client, keys } = this.#context;
    const [current = '', ...previous] = box
      .indexes(INVITE_TOKEN_INDEX, token)
      .map((index) => keys.invite(index));
    for (const key of previous) {
      if ((await callRedis(LEDGER, () => client.exists(key))) === 1) return key;
    }
    return current;
  }

  async #toRecord(hash: RedisHash): Promise<InviteRecord> {
    const state = field(hash, 'state');
    if (!isInviteState(state)) throw corrupt('state');
    return {
      token: await this.#context.box.open(field(hash, 'token')),
      sender: field(hash, 'sender'),
      expiresAt: numberField(hash, 'expiresAt'),
      state,
      acceptedBy: hash.acceptedBy,
      createdAt: numberField(hash, 'createdAt'),
      updatedAt: numberField(hash, 'updatedAt'),
    };
  }
}
