/** In-memory database of one simulated legacy server: users with their files, the owner-side
 * federated shares (oc_share) and the received ones (oc_share_external). */
import { randomBytes } from 'node:crypto';
import { FileTree, type FileNode } from '../common/file-tree.ts';

/** A share this server's user gave to a remote cloud id (owner side). */
export interface OwnerShare {
  id: number;
  token: string;
  owner: string;
  /** uid of the local user who created it, or the re-sharer's cloud id for flat re-shares. */
  sharedBy: string;
  path: string;
  node: FileNode;
  /** Recipient cloud id as typed, e.g. bob@127.0.0.1:4711/nextcloud */
  shareWith: string;
  permissions: number;
  accepted: boolean;
  /** For flat re-shares: the requester's own share id (legacy `remoteId` / OCM `senderId`). */
  reshareRemoteId?: string;
  /** For flat re-shares: the share they were derived from. */
  parentId?: number;
  password?: string;
  /** How the createShare was delivered, once sent. */
  delivery?: { via: 'ocm' | 'ocs'; url: string; status: number };
}

/** A share received from a remote server (recipient side, oc_share_external). */
export interface ReceivedShare {
  id: number;
  /** Remote base URL as stored (with or without scheme, see flavour notes). */
  remote: string;
  /** Owner-side id as stored: the (int) cast on legacy routes, the providerId string over OCM. */
  remoteId: string;
  token: string;
  name: string;
  /** Owner uid / display name as sent. */
  owner: string;
  ownerFederatedId: string;
  sharedBy: string;
  sharedByFederatedId: string;
  /** Local uid (or group for group shares). */
  shareWith: string;
  shareType: 'user' | 'group';
  accepted: boolean;
  /** How it arrived: 'ocs-v1', 'ocs-v2' or 'ocm'. */
  via: 'ocs-v1' | 'ocs-v2' | 'ocm';
}

/** The fields a test must give to seed a received share; the rest get neutral defaults. */
export type ReceivedSeed = Partial<ReceivedShare> &
  Pick<ReceivedShare, 'remote' | 'remoteId' | 'token' | 'name' | 'shareWith'>;

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 15-character share token like ownCloud's ISecureRandom-generated ones. */
export function newLegacyToken(length = 15): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length] ?? 'x';
  return out;
}

/** PHP (int) cast: leading integer, else 0 ("7c08…" → 7, "abc" → 0). */
export function phpIntval(value: string): number {
  const m = /^\s*([+-]?\d+)/.exec(value);
  return m?.[1] === undefined ? 0 : Number(m[1]);
}

export class LegacyState {
  readonly users = new Map<string, { uid: string; displayName: string; files: FileTree }>();
  readonly groups = new Map<string, Set<string>>();
  readonly shares = new Map<number, OwnerShare>();
  readonly received = new Map<number, ReceivedShare>();

  addUser(uid: string, displayName = uid): void {
    if (!this.users.has(uid)) this.users.set(uid, { uid, displayName, files: new FileTree() });
    else this.users.get(uid)!.displayName = displayName;
  }

  files(uid: string): FileTree {
    const user = this.users.get(uid);
    if (user === undefined) throw new Error(`no such user '${uid}'`);
    return user.files;
  }

  displayName(uid: string): string {
    return this.users.get(uid)?.displayName ?? uid;
  }

  // oc_share and oc_share_external ids are AUTO_INCREMENT: a deleted share's id is never given
  // again (a gateway keying anything on them must not meet an old id on a new share).
  #lastShareId = 0;
  #lastReceivedId = 0;

  nextShareId(): number {
    return this.#lastShareId + 1;
  }

  nextReceivedId(): number {
    return this.#lastReceivedId + 1;
  }

  addShare(share: Omit<OwnerShare, 'id' | 'token'> & { id?: number; token?: string }): OwnerShare {
    const id = share.id ?? this.nextShareId();
    if (this.shares.has(id)) throw new Error(`share id ${id} already exists`);
    const row: OwnerShare = { ...share, id, token: share.token ?? newLegacyToken() };
    this.shares.set(id, row);
    this.#lastShareId = Math.max(this.#lastShareId, id);
    return row;
  }

  addReceived(share: Omit<ReceivedShare, 'id'> & { id?: number }): ReceivedShare {
    const id = share.id ?? this.nextReceivedId();
    const row: ReceivedShare = { ...share, id };
    this.received.set(id, row);
    this.#lastReceivedId = Math.max(this.#lastReceivedId, id);
    return row;
  }

  seedReceived(r: ReceivedSeed): ReceivedShare {
    return this.addReceived({
      owner: 'owner',
      ownerFederatedId: 'owner@remote.invalid',
      sharedBy: 'owner',
      sharedByFederatedId: 'owner@remote.invalid',
      shareType: 'user',
      accepted: false,
      via: 'ocs-v2',
      ...r,
    });
  }

  shareByToken(token: string): OwnerShare | undefined {
    for (const s of this.shares.values()) if (s.token === token) return s;
    return undefined;
  }

  /** share_external rows matching remote_id and token (unshare / move / SHARE_UNSHARED). */
  receivedByRemoteId(remoteId: string, token: string): ReceivedShare[] {
    return [...this.received.values()].filter((r) => r.remoteId === remoteId && r.token === token);
  }
}
