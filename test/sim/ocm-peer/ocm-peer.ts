/** Simulated OCM peer of spec version 1.0, 1.1, 1.2 or 1.3 on 127.0.0.1:0, strict about its own
 * version's rules, with a programmatic API for tests and the demo. */
import { randomBytes } from 'node:crypto';
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
import { makeOwnKeys, type OcmPeerContext, type OcmPeerOptions } from './ocm-peer-context.ts';
import { addDiscoveryRoutes, discoveryDocument } from './ocm-peer-discovery.ts';
import { receiveInviteAccepted, receiveNotification } from './ocm-peer-notification-receiver.ts';
import {
  acceptInvite,
  notify,
  readReceived,
  sendShare,
  type PeerSendResult,
  type ShareRequest,
} from './ocm-peer-sender.ts';
import { receiveShare } from './ocm-peer-share-receiver.ts';
import {
  OcmPeerState,
  type Invite,
  type ReceivedOcmShare,
  type SentShare,
} from './ocm-peer-state.ts';
import { serveToken, type Exchange } from './ocm-peer-token.ts';
import { ocmPeerTraits, type OcmPeerTraits } from './ocm-peer-versions.ts';
import { addPeerWebdavRoutes } from './ocm-peer-webdav.ts';

export type { OcmPeerOptions, ShareRequest, PeerSendResult };

export class OcmPeer {
  readonly traits: OcmPeerTraits;
  readonly state = new OcmPeerState();
  readonly client: OutgoingClient;
  /** Token exchanges this peer made as a receiver. */
  readonly exchanges: Exchange[] = [];
  readonly ctx: OcmPeerContext;
  readonly #http: SimHttpServer;
  readonly #tokenCache = new Map<number, { token: string; expiresAt: number }>();

  private constructor(http: SimHttpServer, options: OcmPeerOptions) {
    this.#http = http;
    this.traits = ocmPeerTraits(options.version);
    this.client = new OutgoingClient(options);
    const origin = (options.publicUrl ?? http.origin).replace(/\/+$/, '');
    const host = new URL(origin).host;
    const clock = options.clock ?? Date.now;
    this.ctx = {
      traits: this.traits,
      state: this.state,
      client: this.client,
      options,
      keys: makeOwnKeys(this.traits, origin, host, options.keyType),
      origin: () => origin,
      host: () => host,
      endPoint: () => `${origin}/ocm`,
      now: () => clock(),
      criteria: () => options.criteria ?? [],
      capabilities: () => options.capabilities ?? this.traits.capabilities,
      seenSignatures: new Map(),
      keyCache: new Map(),
    };
  }

  static async start(options: OcmPeerOptions): Promise<OcmPeer> {
    const router = new SimRouter();
    const http = await startSimHttpServer({ handler: router.handler() });
    const peer = new OcmPeer(http, options);
    const ctx = peer.ctx;
    addDiscoveryRoutes(router, ctx);
    router.on('POST', '/ocm/shares', (req) => receiveShare(ctx, req));
    router.on('POST', '/ocm/notifications', (req) => receiveNotification(ctx, req));
    if (peer.traits.invites !== 'none')
      router.on('POST', '/ocm/invite-accepted', (req) => receiveInviteAccepted(ctx, req));
    if (peer.traits.token !== 'none')
      router.on('POST', '/ocm/token', (req) => serveToken(ctx, req));
    addPeerWebdavRoutes(router, ctx);
    for (const [uid, name] of Object.entries(options.users ?? {})) peer.addUser(uid, name);
    return peer;
  }

  /** Loopback origin (no path). */
  get url(): string {
    return this.#http.url;
  }

  /** host:port — the part after '@' in this peer's OCM addresses. */
  get host(): string {
    return this.ctx.host();
  }

  get endPoint(): string {
    return this.ctx.endPoint();
  }

  get received(): SimRequest[] {
    return this.#http.received;
  }

  get outgoing(): OutgoingAttempt[] {
    return this.client.attempts;
  }

  get errors(): Error[] {
    return this.#http.errors;
  }

  discovery(): Record<string, unknown> {
    return discoveryDocument(this.ctx);
  }

  /** OCM address of a local user. */
  address(uid: string): string {
    return `${uid}@${this.host}`;
  }

  addUser(uid: string, displayName = uid, email?: string): this {
    this.state.addUser(uid, displayName, email);
    return this;
  }

  addFile(uid: string, path: string, content: string | Buffer): FileNode {
    return this.state.files(uid).writeFile(path, content);
  }

  addFolder(uid: string, path: string): FileNode {
    return this.state.files(uid).mkdir(path);
  }

  /** Discovers the recipient, then POSTs <endPoint>/shares in this version's form, signed. */
  shareWith(r: ShareRequest): Promise<{ share: SentShare | undefined; result: PeerSendResult }> {
    return sendShare(this.ctx, r);
  }

  sentShares(): SentShare[] {
    return [...this.state.sent.values()];
  }

  receivedShares(uid?: string): ReceivedOcmShare[] {
    return [...this.state.received.values()].filter(
      (r) => uid === undefined || r.shareWith.startsWith(`${uid}@`),
    );
  }

  #received(id: number): ReceivedOcmShare {
    const r = this.state.received.get(id);
    if (r === undefined) throw new Error(`no received share ${id}`);
    return r;
  }

  #notifyAbout(r: ReceivedOcmShare, type: string, message: string): Promise<PeerSendResult> {
    const secret = r.webdav.sharedSecret ?? r.code;
    return notify(this.ctx, r.senderHost, {
      notificationType: type,
      providerId: r.providerId,
      resourceType: r.resourceType,
      notification: secret === undefined ? { message } : { sharedSecret: secret, message },
    });
  }

  async acceptShare(receivedId: number): Promise<PeerSendResult> {
    const r = this.#received(receivedId);
    r.accepted = true;
    return this.#notifyAbout(r, 'SHARE_ACCEPTED', 'Recipient accepted the share');
  }

  async declineShare(receivedId: number): Promise<PeerSendResult> {
    const r = this.#received(receivedId);
    this.state.received.delete(receivedId);
    return this.#notifyAbout(r, 'SHARE_DECLINED', 'Recipient declined the share');
  }

  /** The owner withdraws a share it sent: SHARE_UNSHARED to the recipient. */
  async unshare(providerId: string): Promise<PeerSendResult> {
    const s = this.state.sent.get(providerId);
    if (s === undefined) throw new Error(`no sent share ${providerId}`);
    s.state = 'unshared';
    this.state.sent.delete(providerId);
    return notify(this.ctx, s.recipientHost, {
      notificationType: 'SHARE_UNSHARED',
      providerId,
      notification: { sharedSecret: s.code ?? s.secret, message: 'File was unshared' },
    });
  }

  /** Low-level: any notification to any OCM host. */
  async notify(host: string, payload: Parameters<typeof notify>[2]): Promise<PeerSendResult> {
    return notify(this.ctx, host, payload);
  }

  /** Creates an invite (1.1+). `inviteString` is the 1.2.2+/1.3 base64 of token@fqdn. */
  createInvite(user: string): Invite & { inviteString: string; providerDomain: string } {
    const token = randomBytes(12).toString('hex');
    const invite: Invite = { token, user };
    this.state.invites.set(token, invite);
    return {
      ...invite,
      inviteString: Buffer.from(`${token}@${this.host}`).toString('base64'),
      providerDomain: this.host,
    };
  }

  /** Accepts an invite from another server: POST <their endPoint>/invite-accepted. Takes the
   * token + provider domain, or the 1.2.2+/1.3 invite string (base64 of token@fqdn). */
  async acceptInvite(
    invite: string | { token: string; providerDomain: string },
    user: string,
  ): Promise<PeerSendResult> {
    let parsed = typeof invite === 'string' ? undefined : invite;
    if (typeof invite === 'string') {
      const decoded = Buffer.from(invite, 'base64').toString('utf8');
      const at = decoded.lastIndexOf('@');
      if (at <= 0) return { ok: false, error: 'not an invite string (base64 of token@fqdn)' };
      parsed = { token: decoded.slice(0, at), providerDomain: decoded.slice(at + 1) };
    }
    const u = this.state.users.get(user);
    return acceptInvite(this.ctx, parsed!, {
      userID: user,
      email: u?.email ?? '',
      name: u?.displayName ?? user,
    });
  }

  /** Reads a received share over the sender's WebDAV, exchanging a token where required/offered. */
  async readShare(
    receivedId: number,
    m: {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    } = {},
  ): Promise<OutgoingResponse> {
    return readReceived(this.ctx, this.#received(receivedId), m, this.#tokenCache, this.exchanges);
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** Starts a simulated OCM peer; see OcmPeerOptions. */
export function startOcmPeer(options: OcmPeerOptions): Promise<OcmPeer> {
  return OcmPeer.start(options);
}
