/**
 * Who may notify about a share (issue 7 item 4): the peer the share is recorded with, proven by a
 * verified signature from its host, or — for dialects whose servers authenticate notifications
 * that way (legacy-protocols §3.2; ocm-versions §4) — the share's secret in
 * `notification.sharedSecret`. I-D-05 (1.3) says unsigned notifications SHOULD be declined, so a
 * 1.3 peer must sign.
 */
import type { DialectId } from '../core/model/dialect-id.ts';
import type { ShareRecord } from '../ports/ledger.ts';
import type { PeerAuthentication } from '../ports/peer-authenticator.ts';
import { secretsEqual } from './secrets-equal.ts';

export const SECRET_AUTHENTICATED_DIALECTS: ReadonlySet<DialectId> = new Set<DialectId>([
  'ocm-proposal1',
  'ocm-1.0',
  'ocm-1.1',
  'ocm-1.2',
]);

export function notificationAuthorised(
  record: ShareRecord,
  authentication: PeerAuthentication,
  signerHost: string | undefined,
  peerDialect: DialectId,
  sharedSecret: string | undefined,
): boolean {
  if (authentication.verified && signerHost === record.peerHost) return true;
  // The record's own dialect counts too: an unsigned caller can claim any dialect in its body,
  // but a share a 1.3 peer made stays a 1.3 share, whose notifications must be signed.
  return (
    SECRET_AUTHENTICATED_DIALECTS.has(peerDialect) &&
    (SECRET_AUTHENTICATED_DIALECTS as ReadonlySet<string>).has(record.dialects.peer) &&
    sharedSecret !== undefined &&
    sharedSecret !== '' &&
    secretsEqual(sharedSecret, record.sharedSecret)
  );
}
