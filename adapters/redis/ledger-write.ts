/**
 * A ledger write that, when asked, is only acknowledged once Redis replicas hold it (WAIT). Redis
 * replicates asynchronously: without this, a Sentinel or Cluster failover can promote a replica
 * that never saw a write the old master acknowledged, and the gateway loses a share it already
 * answered for.
 * With it, a write that does not reach enough replicas in time is refused as UNAVAILABLE (the
 * sender retries; every ledger write is idempotent on retry), not reported as done.
 */
import { Cluster, type Redis } from 'ioredis';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import { REDIS_RETRY_AFTER_SECONDS, callRedis } from './redis-failure.ts';
import { LEDGER, type RedisLedgerContext } from './redis-ledger-context.ts';
import { onlineReplicaCount } from './online-replicas.ts';
import { failoverFenceOf } from './sentinel-failover-fence.ts';

export interface LedgerDurability {
  /**
   * Replicas that must hold a write before it counts (WAIT numreplicas); 0 = do not wait;
   * `online` = every replica attached and in sync right now (online-replicas.ts).
   */
  readonly replicas: number | 'online';
  /** How long to wait for them (WAIT timeout), in ms; at least 1. */
  readonly timeoutMs: number;
}

export async function ledgerWrite<T>(
  context: RedisLedgerContext,
  call: () => Promise<T>,
): Promise<T> {
  const fence = failoverFenceOf(context.client);
  if (fence?.raised() === true) throw failingOver();
  const generation = fence?.generation();
  const result = await callRedis(LEDGER, call);
  const durability = context.durability;
  if (durability !== undefined && durability.replicas !== 0) {
    await waitForReplicas(ledgerConnection(context.client), durability);
  }
  // A failover began while the write was in flight: it may have reached the old master only.
  if (fence !== undefined && (fence.raised() || fence.generation() !== generation)) {
    throw failingOver();
  }
  return result;
}

function failingOver(): GatewayError {
  return new GatewayError(
    'UNAVAILABLE',
    'The ledger is temporarily unavailable (Redis failover in progress).',
    { retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS },
  );
}

/**
 * Cluster slot of every ledger key: they all carry the `{ledger}` hash tag (redis-ledger-keys.ts),
 * and Redis hashes only the tag (CRC16 of "ledger" mod 16384; checked against CLUSTER KEYSLOT by
 * test/contract/redis-cluster-replicas.test.ts).
 */
export const LEDGER_SLOT = 2466;

/**
 * The connection the ledger's writes went over, which WAIT must use (it counts that connection's
 * writes): the client itself for one master (standalone, Sentinel); on a Cluster, the client's
 * connection to the master that serves the ledger's slot now.
 */
function ledgerConnection(client: Redis | Cluster): Redis {
  if (!(client instanceof Cluster)) return client;
  const owner = client.slots[LEDGER_SLOT]?.[0];
  const master = client
    .nodes('master')
    .find((node) => `${node.options.host ?? ''}:${node.options.port ?? ''}` === owner);
  if (master === undefined) {
    throw new GatewayError(
      'UNAVAILABLE',
      'The ledger is temporarily unavailable (Redis Cluster: the ledger slot has no known master).',
      { retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS },
    );
  }
  return master;
}

/** WAIT counts the writes of this connection (ledgerConnection). */
async function waitForReplicas(client: Redis, durability: LedgerDurability): Promise<void> {
  const wanted =
    durability.replicas === 'online'
      ? await callRedis(LEDGER, () => onlineReplicaCount(client))
      : durability.replicas;
  if (wanted === 0) return;
  const acknowledged = await callRedis(LEDGER, () => client.wait(wanted, durability.timeoutMs));
  if (acknowledged < wanted) {
    throw new GatewayError(
      'UNAVAILABLE',
      `The ledger is temporarily unavailable (Redis: ${acknowledged} of ${wanted} replicas confirmed a write).`,
      { retryAfterSeconds: REDIS_RETRY_AFTER_SECONDS },
    );
  }
}
