/**
 * Which ledger shares a peer's credential may open (DESIGN §3 flows 5 and 6): only shares the
 * backend gave to a peer ('outgoing') that are still live. Declined and unshared shares are over
 * for the peer even if the backend's token still works.
 */

/** The fields the rule reads; a ledger ShareRecord has them all. */
export interface ShareForAccess {
  readonly direction: 'incoming' | 'outgoing';
  readonly state: 'pending' | 'accepted' | 'declined' | 'unshared';
  readonly peerHost: string;
}

export function usableShareFor<T extends ShareForAccess>(record: T | undefined): T | undefined {
  if (record === undefined || record.direction !== 'outgoing') return undefined;
  return record.state === 'pending' || record.state === 'accepted' ? record : undefined;
}

/** Host comparison as the ledger and `client_id` spell them: case-insensitive. */
export function isSharePeer(record: ShareForAccess, host: string): boolean {
  return record.peerHost.toLowerCase() === host.toLowerCase();
}
