/** Simulated legacy federated-sharing server (ownCloud 9.0, Nextcloud 13, ownCloud 10.1+,
 * Nextcloud 14–30) on 127.0.0.1:0, with a programmatic API for tests and the demo. */
import {
  OutgoingClient,
  type OutgoingAttempt,
  type OutgoingResponse,
} from '../common/outgoing-http.ts';
import {
  startSimHttpServer,
  type SimHttpServer,
  type SimRequest,
} from '../common/sim-http-server.ts';
import { SimRouter } from '../common/sim-router.ts';
import type { FileNode } from '../common/file-tree.ts';
import { PERM } from '../common/share-webdav.ts';
import {
  acceptReceived,
  changeResharePermissions,
  declineReceived,
  requestReshare,
  undoReshare,
  unshareOutgoing,
  type ReshareRequest,
} from './legacy-callbacks.ts';
import {
  knobsFrom,
  localCloudId,
  type LegacyContext,
  type LegacyKnobs,
  type LegacyServerOptions,
} from './legacy-context.ts';

export type { LegacyServerOptions };
import { legacyTraits, type LegacyTraits } from './legacy-flavours.ts';
import {
  checkStorageAvailability,
  mountRequest,
  type MountRequest,
  type StorageHealth,
} from './legacy-mount.ts';
import { addLegacyPublicRoutes } from './legacy-public-routes.ts';
import { addOcsShareRoutes } from './legacy-ocs-routes.ts';
import { sendShare, type SendResult } from './legacy-sender.ts';
import {
  LegacyState,
  type OwnerShare,
  type ReceivedSeed,
  type ReceivedShare,
} from './legacy-state.ts';
import { addNextcloudOcmRoutes } from './ocm-receiver-nextcloud.ts';
import { addOwncloud10OcmRoutes } from './ocm-receiver-owncloud10.ts';

export class LegacyServer {
  readonly traits: LegacyTraits;
  readonly state = new LegacyState();
  readonly knobs: LegacyKnobs;
  readonly client: OutgoingClient;
  readonly reshareRequests: ReshareRequest[] = [];
  readonly #http: SimHttpServer;
  readonly #pending = new Set<Promise<unknown>>();
  #publicUrl: string | undefined;
  readonly ctx: LegacyContext;

  private constructor(http: SimHttpServer, options: LegacyServerOptions) {
    this.#http = http;
    this.traits = legacyTraits(options.flavour, options.nextcloudVersion);
    this.knobs = knobsFrom(options, this.traits);
    this.client = new OutgoingClient(options);
    this.#publicUrl = options.publicUrl?.replace(/\/+$/, '');
    this.ctx = {
      traits: this.traits,
      state: this.state,
      client: this.client,
      knobs: this.knobs,
      publicUrl: () => this.publicUrl,
      track: (work) => {
        const p = work.catch(() => undefined).finally(() => this.#pending.delete(p));
        this.#pending.add(p);
      },
    };
  }

  static async start(options: LegacyServerOptions): Promise<LegacyServer> {
    const router = new SimRouter();
    const http = await startSimHttpServer({
      basePath: options.basePath,
      handler: router.handler(),
    });
    const server = new LegacyServer(http, options);
    const { traits } = server;
    addLegacyPublicRoutes(router, server.ctx);
    addOcsShareRoutes(router, server.ctx);
    if (traits.ocmServer === 'owncloud10') addOwncloud10OcmRoutes(router, server.ctx);
    if (traits.ocmServer === 'nextcloud') addNextcloudOcmRoutes(router, server.ctx);
    for (const [uid, name] of Object.entries(options.users ?? {})) server.addUser(uid, name);
    return server;
  }

  /** Loopback base URL incl. the sub-path, no trailing slash. */
  get url(): string {
    return this.#http.url;
  }

  get origin(): string {
    return this.#http.origin;
  }

  /** The URL the server uses to describe itself (remote field, cloud ids, OCM endPoint). */
  get publicUrl(): string {
    return this.#publicUrl ?? this.#http.url;
  }

  set publicUrl(value: string) {
    this.#publicUrl = value.replace(/\/+$/, '');
  }

  /** Every request this server received. */
  get received(): SimRequest[] {
    return this.#http.received;
  }

  /** Every outgoing HTTP attempt (discovery, shares, callbacks, mounts), failed ones included. */
  get outgoing(): OutgoingAttempt[] {
    return this.client.attempts;
  }

  /** Exceptions inside the simulator (answered 500); a test should expect none. */
  get errors(): Error[] {
    return this.#http.errors;
  }

  addUser(uid: string, displayName = uid): this {
    this.state.addUser(uid, displayName);
    return this;
  }

  addGroup(gid: string, members: string[] = []): this {
    this.state.groups.set(gid, new Set(members));
    return this;
  }

  addFile(uid: string, path: string, content: string | Buffer): FileNode {
    return this.state.files(uid).writeFile(path, content);
  }

  addFolder(uid: string, path: string): FileNode {
    return this.state.files(uid).mkdir(path);
  }

  /** Cloud id of a local user as this server spells it (alice@host/sub, http:// kept by Nextcloud). */
  cloudId(uid: string): string {
    return localCloudId(this.ctx, uid);
  }

  #node(owner: string, path: string): FileNode {
    const node = this.state.files(owner).get(path);
    if (node === undefined) throw new Error(`${owner} has no '${path}'`);
    return node;
  }

  /** A user shares a file/folder with a remote cloud id: discovery + createShare as this version does. */
  async shareWithRemote(s: {
    owner: string;
    path: string;
    shareWith: string;
    permissions?: number;
    password?: string;
  }): Promise<{ share: OwnerShare | undefined; result: SendResult }> {
    const node = this.#node(s.owner, s.path);
    const share = this.state.addShare({
      owner: s.owner,
      sharedBy: s.owner,
      path: s.path,
      node,
      shareWith: s.shareWith,
      permissions:
        s.permissions ?? (node.type === 'dir' ? PERM.all : PERM.read | PERM.update | PERM.share),
      accepted: false,
      password: s.password,
    });
    const result = await sendShare(this.ctx, share);
    return { share: this.state.shares.get(share.id), result };
  }

  /** Puts an owner-side share row in place without sending anything (fixtures, edge cases). */
  seedShare(s: {
    owner: string;
    path: string;
    shareWith: string;
    id?: number;
    token?: string;
    permissions?: number;
    accepted?: boolean;
    reshareRemoteId?: string;
    password?: string;
  }): OwnerShare {
    return this.state.addShare({
      ...s,
      sharedBy: s.owner,
      node: this.#node(s.owner, s.path),
      permissions: s.permissions ?? PERM.all,
      accepted: s.accepted ?? false,
    });
  }

  /** Puts a received share row in place without any request (fixtures, edge cases). */
  seedReceivedShare(r: ReceivedSeed): ReceivedShare {
    return this.state.seedReceived(r);
  }

  outgoingShares(): OwnerShare[] {
    return [...this.state.shares.values()];
  }

  receivedShares(uid?: string): ReceivedShare[] {
    return [...this.state.received.values()].filter(
      (r) => uid === undefined || r.shareWith === uid,
    );
  }

  #received(id: number): ReceivedShare {
    const r = this.state.received.get(id);
    if (r === undefined) throw new Error(`no received share ${id}`);
    return r;
  }

  async acceptShare(receivedId: number): Promise<SendResult> {
    return acceptReceived(this.ctx, this.#received(receivedId));
  }

  async declineShare(receivedId: number): Promise<SendResult> {
    return declineReceived(this.ctx, this.#received(receivedId));
  }

  /** The owner deletes an outgoing share: unshare callback to the recipient. */
  async unshare(shareId: number): Promise<SendResult> {
    const s = this.state.shares.get(shareId);
    if (s === undefined) throw new Error(`no share ${shareId}`);
    return unshareOutgoing(this.ctx, s);
  }

  /** Flat re-share request to the owner (legacy /reshare or OCM REQUEST_RESHARE). */
  async requestReshare(
    receivedId: number,
    shareWith: string,
    permission = PERM.read | PERM.share,
  ): Promise<ReshareRequest> {
    const localId = 10_000 + this.reshareRequests.length + 1;
    const req = await requestReshare(
      this.ctx,
      this.#received(receivedId),
      shareWith,
      permission,
      localId,
    );
    this.reshareRequests.push(req);
    return req;
  }

  async undoReshare(req: ReshareRequest): Promise<SendResult> {
    return undoReshare(this.ctx, this.#received(req.receivedId), req);
  }

  async changeResharePermissions(req: ReshareRequest, permissions: number): Promise<SendResult> {
    return changeResharePermissions(this.ctx, this.#received(req.receivedId), req, permissions);
  }

  /** Reads a received share over the owner's public WebDAV (rejects on network errors). */
  async readShare(receivedId: number, m: MountRequest = {}): Promise<OutgoingResponse> {
    return mountRequest(this.ctx, this.#received(receivedId), m);
  }

  /** The health check a receiver runs after a WebDAV failure; 'deleted' removes the share. */
  async checkStorage(receivedId: number): Promise<StorageHealth> {
    return checkStorageAvailability(this.ctx, this.#received(receivedId));
  }

  /** Waits for background work (e.g. the createShare an owner sends after a re-share request). */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async close(): Promise<void> {
    await this.settle();
    await this.#http.close();
  }
}

/** Starts a simulated legacy server; see LegacyServerOptions. */
export function startLegacyServer(options: LegacyServerOptions): Promise<LegacyServer> {
  return LegacyServer.start(options);
}
