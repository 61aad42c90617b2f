/** The ledger shared by all replicas (DESIGN §4): Redis hashes and Lua, secrets sealed with JWE. */
import type { RedisClient } from './redis-connection.ts';
import type { LedgerDurability } from './ledger-write.ts';
import type { Clock } from '../../gateway/ports/clock.ts';
import type { Ledger, RewrapReport } from '../../gateway/ports/ledger.ts';
import type { HealthReport } from '../../gateway/ports/store-lifecycle.ts';
import { SecretBox } from '../ledger-crypto/secret-box.ts';
import { closeRedisClient } from './create-redis-client.ts';
import { redisHealth } from './redis-failure.ts';
import { RedisInviteLedger } from './redis-invite-ledger.ts';
import type { RedisLedgerContext } from './redis-ledger-context.ts';
import { redisLedgerKeys } from './redis-ledger-keys.ts';
import { rewrapRedisLedger } from './redis-ledger-rewrap.ts';
import { RedisOutbox } from './redis-outbox.ts';
import { RedisShareLedger } from './redis-share-ledger.ts';

export interface RedisLedgerOptions {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  /** The configured ledger key (at least 32 characters), the same on every replica. */
  readonly secretKey: string;
  /** Keys it replaced: records they sealed are still read, until `rewrap` moves them. */
  readonly previousSecretKeys?: readonly string[];
  readonly clock?: Clock;
  /**
   * Acknowledge a write only once this many replicas hold it (WAIT on the master the write went
   * to: the one master, or on a Cluster the master of the ledger's slot).
   */
  readonly durability?: LedgerDurability | undefined;
  /** Close the client with the ledger (false when the client is shared). */
  readonly ownsClient?: boolean;
}

export class RedisLedger implements Ledger {
  readonly shares: RedisShareLedger;
  readonly invites: RedisInviteLedger;
  readonly outbox: RedisOutbox;
  readonly #client: RedisClient;
  readonly #ownsClient: boolean;
  readonly #context: RedisLedgerContext;

  constructor(options: RedisLedgerOptions) {
    this.#client = options.client;
    this.#ownsClient = options.ownsClient ?? false;
    const context = {
      client: options.client,
      durability: options.durability,
      keys: redisLedgerKeys(options.keyPrefix),
      box: new SecretBox(options.secretKey, options.previousSecretKeys),
      clock: options.clock ?? Date.now,
    };
    this.#context = context;
    this.shares = new RedisShareLedger(context);
    this.invites = new RedisInviteLedger(context);
    this.outbox = new RedisOutbox(context);
  }

  rewrap(): Promise<RewrapReport> {
    return rewrapRedisLedger(this.#context);
  }

  health(): Promise<HealthReport> {
    return redisHealth(this.#client, 'ledger');
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await closeRedisClient(this.#client);
  }
}
