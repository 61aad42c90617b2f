/**
 * A share a peer gave to the backend, as flow 1 would have left it: the peer's sent row, the
 * ledger's incoming record (alias = the backend's id) and the backend's received row whose
 * `remote` is the peer's facade URL.
 */
import type { OcmPeer } from '../../sim/index.ts';
import type { ShareRecord } from '../../../gateway/ports/ledger.ts';
import type { FacadeRig } from '../../integration/facade/facade-rig.ts';

export interface SeededShare {
  readonly providerId: string;
  readonly secret: string;
  readonly record: ShareRecord;
  /** The backend's received-share id (for acceptShare / declineShare). */
  readonly receivedId: number;
}

let files = 0;

export async function seedReceivedShare(
  rig: FacadeRig,
  peer: OcmPeer,
  dialect: string,
): Promise<SeededShare> {
  files += 1;
  const name = `doc-${files}.txt`;
  if (!peer.state.users.has('dora')) peer.addUser('dora', 'Dora');
  const node = peer.addFile('dora', `/${name}`, 'from the peer');
  const sent = peer.state.addSent({
    owner: 'dora',
    path: `/${name}`,
    node,
    shareWith: `alice@${rig.publicHost}`,
    recipientHost: rig.publicHost,
    permissions: 1,
    requirements: [],
    style: 'multi',
  });
  const { record } = await rig.ledger.shares.create({
    direction: 'incoming',
    peerHost: peer.host,
    providerId: sent.providerId,
    sharedSecret: sent.secret,
    dialects: { peer: dialect, backend: rig.detection.current().dialect },
    owner: `dora@${peer.host}`,
    sender: `dora@${peer.host}`,
    shareWith: `alice@${rig.publicHost}`,
    resourceName: name,
  });
  const received = rig.backend.seedReceivedShare({
    remote: `http://${rig.internalHost}/peers/${peer.host}/`,
    remoteId: String(record.alias),
    token: sent.secret,
    name,
    shareWith: 'alice',
    owner: 'dora',
    ownerFederatedId: `dora@${peer.host}`,
  });
  return { providerId: sent.providerId, secret: sent.secret, record, receivedId: received.id };
}
