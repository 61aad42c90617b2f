/** In-memory state of one simulated OCM peer: users and files, shares it sent and received,
 * invites, contacts and issued access tokens. */
import { randomBytes, randomUUID } from 'node:crypto';
import { FileTree, type FileNode } from '../common/file-tree.ts';

export interface SentShare {
  /** providerId: opaque and unique per share. */
  providerId: string;
  owner: string;
  path: string;
  node: FileNode;
  /** Recipient OCM address, e.g. bob@127.0.0.1:4711 */
  shareWith: string;
  /** host[:port] of the recipient server. */
  recipientHost: string;
  secret: string;
  /** Relative webdav key (multi protocol) — the path below this peer's /webdav/. */
  key: string;
  /** pre-1.2 top-level `code` (1.2 peers), exchanged at <endPoint>/token. */
  code?: string;
  permissions: number;
  requirements: string[];
  style: 'legacy' | 'multi';
  state: 'pending' | 'accepted' | 'declined' | 'unshared';
}

export interface ReceivedWebdav {
  uri?: string;
  sharedSecret?: string;
  permissions?: string[];
  requirements: string[];
}

export interface ReceivedOcmShare {
  id: number;
  providerId: string;
  /** host[:port] the share came from (owner's host). */
  senderHost: string;
  owner: string;
  sender: string;
  shareWith: string;
  name: string;
  resourceType: string;
  shareType: string;
  style: 'legacy' | 'multi' | 'named';
  webdav: ReceivedWebdav;
  code?: string;
  accepted: boolean;
  /** The signer identity when the request was signed (keyId / keyid). */
  signedBy?: string;
  body: Record<string, unknown>;
}

export interface Invite {
  token: string;
  user: string;
  acceptedBy?: { userID: string; provider: string; name: string; email: string };
}

export interface Contact {
  address: string;
  name: string;
  email: string;
}

export interface IssuedToken {
  providerId: string;
  clientId: string;
  expiresAt: number;
}

export function newSecret(): string {
  return randomBytes(18).toString('base64url');
}

export class OcmPeerState {
  readonly users = new Map<string, { displayName: string; email: string; files: FileTree }>();
  readonly sent = new Map<string, SentShare>();
  readonly received = new Map<number, ReceivedOcmShare>();
  readonly invites = new Map<string, Invite>();
  readonly contacts: Contact[] = [];
  readonly tokens = new Map<string, IssuedToken>();

  addUser(uid: string, displayName = uid, email = `${uid}@example.invalid`): void {
    this.users.set(uid, {
      displayName,
      email,
      files: this.users.get(uid)?.files ?? new FileTree(),
    });
  }

  files(uid: string): FileTree {
    const u = this.users.get(uid);
    if (u === undefined) throw new Error(`no such user '${uid}'`);
    return u.files;
  }

  addSent(
    s: Omit<SentShare, 'providerId' | 'secret' | 'key' | 'state'> & { secret?: string },
  ): SentShare {
    const share: SentShare = {
      ...s,
      providerId: randomUUID(),
      secret: s.secret ?? newSecret(),
      key: randomUUID(),
      state: 'pending',
    };
    this.sent.set(share.providerId, share);
    return share;
  }

  addReceived(r: Omit<ReceivedOcmShare, 'id'>): ReceivedOcmShare {
    const id = Math.max(0, ...this.received.keys()) + 1;
    const row = { ...r, id };
    this.received.set(id, row);
    return row;
  }

  sentByKey(key: string): SentShare | undefined {
    for (const s of this.sent.values()) if (s.key === key) return s;
    return undefined;
  }

  sentBySecret(secret: string): SentShare | undefined {
    for (const s of this.sent.values()) if (s.secret === secret) return s;
    return undefined;
  }
}
