/**
 * The ledger record a peer's notification is about: by providerId under each host the peer may
 * be (the verified signer, the host the route knows), in both directions, preferring a record the
 * notification type applies to and then one whose secret matches; failing that, by the secret.
 * Shared by the notification flow and by the edge router, which asks each backend on a shared
 * host whether the share is its own.
 */
import { notificationApplies } from '../core/backend/index.ts';
import type { KnownNotificationType } from '../core/model/canonical-notification.ts';
import type { ShareLedger, ShareRecord } from '../ports/ledger.ts';
import { secretsEqual } from './secrets-equal.ts';

export interface NotifiedShareQuery {
  /** Undefined: any type (routing, before the type was checked). */
  readonly type?: KnownNotificationType | undefined;
  readonly providerId: string;
  readonly hosts: readonly string[];
  readonly secret?: string | undefined;
}

export async function findNotifiedShare(
  ledger: Pick<ShareLedger, 'findByKey' | 'findBySecret'>,
  query: NotifiedShareQuery,
): Promise<ShareRecord | undefined> {
  const { type, providerId, secret } = query;
  const found: ShareRecord[] = [];
  for (const peerHost of query.hosts) {
    for (const direction of ['incoming', 'outgoing'] as const) {
      const record = await ledger.findByKey({ direction, peerHost, providerId });
      if (record !== undefined) found.push(record);
    }
  }
  // A peer's id space and ours may collide: prefer a record the type applies to, then the secret.
  const score = (r: ShareRecord) =>
    (type === undefined || notificationApplies(type, r.direction) ? 2 : 0) +
    (secret !== undefined && secretsEqual(secret, r.sharedSecret) ? 1 : 0);
  const best = found.sort((a, b) => score(b) - score(a))[0];
  if (best !== undefined || secret === undefined || secret === '') return best;
  const bySecret = await ledger.findBySecret(secret);
  return bySecret?.providerId === providerId ? bySecret : undefined;
}
