/**
 * The federation requests the load generator sends, built (and signed) before a timed run so the
 * clock measures the server, not the client: OCM 1.3 shares and SHARE_UNSHARED notifications
 * signed with RFC 9421 as a 1.3 peer signs them (the simulators' independent signer, Ed25519,
 * `Content-Digest`), and SHARE_ACCEPTED for shares the backend sent the peer; the legacy OCS
 * createShare and unshare an old server takes, and the createShare it sends a peer's user through
 * the facade; and `plain-*`, the same signed bytes sent to a plain backend URL (what the
 * pass-through of that request costs).
 */
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { contentDigest } from '../../test/sim/ocm-peer/body-digest.ts';
import { signRfc9421 } from '../../test/sim/ocm-peer/message-signature.ts';

export const POST_KINDS = [
  'ocm-share',
  'ocm-unshare',
  'ocm-accept',
  'ocs-create',
  'ocs-create-out',
  'ocs-unshare',
  'plain-share',
  'plain-unshare',
] as const;
export type PostKind = (typeof POST_KINDS)[number];

export interface Signer {
  readonly keyId: string;
  readonly privateKey: KeyObject;
}

export function signerFrom(keyId: string, privateKeyPem: string): Signer {
  return { keyId, privateKey: createPrivateKey(privateKeyPem) };
}

export interface PostSpec {
  readonly kind: PostKind;
  /** Where the requests go: `http://host:port` (the signatures' `@target-uri` origin). */
  readonly origin: string;
  readonly path: string;
  /** Share numbers first … first + count − 1: each names its own providerId and secret. */
  readonly first: number;
  readonly count: number;
  /** Keeps providerIds unique across subjects and rounds of one run. */
  readonly tag: string;
  /** The sending peer's `host:port` (the owner's and sender's server). */
  readonly peerHost: string;
  /** `user@gateway-host`: a user of the backend. */
  readonly recipient: string;
  /** Overrides for a share the facade reads: the peer's one secret and folder. */
  readonly secret?: string;
  readonly webdavUri?: string;
}

export interface PreparedPost {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const providerIdOf = (tag: string, n: number): string => `${tag}-${n}`;

/**
 * The backend's numeric share id for outgoing share `n` of `tag` (OCS `remoteId` is an integer):
 * a hash of the tag picks a block of a million ids, so tags of one run do not collide.
 */
export function backendShareIdOf(tag: string, n: number): string {
  let hash = 0x811c9dc5;
  for (const char of tag) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return String(((hash % 1_000_000) + 1) * 1_000_000 + n);
}

/** An alphanumeric secret of 32 characters, distinct per share (what a 1.3 peer would mint). */
export function secretOf(tag: string, n: number): string {
  return `S${createHash('sha256').update(`${tag}:${n}`).digest('hex').slice(0, 31)}`;
}

function shareBody(spec: PostSpec, n: number): Record<string, unknown> {
  const owner = `alice@${spec.peerHost}`;
  return {
    shareWith: spec.recipient,
    name: `report-${n}.pdf`,
    description: 'quarterly report',
    providerId: providerIdOf(spec.tag, n),
    owner,
    sender: owner,
    ownerDisplayName: 'Alice',
    senderDisplayName: 'Alice',
    shareType: 'user',
    resourceType: 'file',
    expiration: null,
    protocol: {
      name: 'multi',
      webdav: {
        uri: spec.webdavUri ?? providerIdOf(spec.tag, n),
        sharedSecret: spec.secret ?? secretOf(spec.tag, n),
        permissions: ['read', 'write'],
      },
    },
  };
}

function unshareBody(spec: PostSpec, n: number): Record<string, unknown> {
  return {
    notificationType: 'SHARE_UNSHARED',
    resourceType: 'file',
    providerId: providerIdOf(spec.tag, n),
    notification: {
      sharedSecret: spec.secret ?? secretOf(spec.tag, n),
      message: 'Alice stopped sharing report.pdf',
    },
  };
}

/** The recipient's answer to a share the backend sent (its providerId is the backend's id). */
function acceptBody(spec: PostSpec, n: number): Record<string, unknown> {
  return {
    notificationType: 'SHARE_ACCEPTED',
    resourceType: 'file',
    providerId: backendShareIdOf(spec.tag, n),
    notification: { sharedSecret: secretOf(spec.tag, n), message: 'Recipient accepted the share' },
  };
}

/** The createShare an old server sends a peer's user, to the gateway's facade for that peer. */
function outgoingCreateForm(spec: PostSpec, n: number): string {
  return new URLSearchParams({
    shareWith: `alice@${spec.peerHost}`,
    token: secretOf(spec.tag, n),
    name: `minutes-${n}.txt`,
    remoteId: backendShareIdOf(spec.tag, n),
    owner: 'bob',
    ownerFederatedId: spec.recipient,
    sharedBy: 'bob',
    sharedByFederatedId: spec.recipient,
    remote: `http://${spec.recipient.slice(spec.recipient.lastIndexOf('@') + 1)}/`,
    shareType: 'user',
  }).toString();
}

/** The form an old server's createShare takes, filled as the gateway fills it. */
function ocsCreateForm(spec: PostSpec, n: number): string {
  return new URLSearchParams({
    shareWith: spec.recipient.slice(0, spec.recipient.lastIndexOf('@')),
    token: spec.secret ?? secretOf(spec.tag, n),
    name: `report-${n}.pdf`,
    remoteId: String(n + 1),
    owner: 'alice',
    ownerFederatedId: `alice@${spec.peerHost}`,
    sharedBy: 'alice',
    sharedByFederatedId: `alice@${spec.peerHost}`,
    remote: `http://127.0.0.1:9300/peers/${spec.peerHost}/`,
    shareType: 'user',
  }).toString();
}

/** Headers of a POST of `body` to `url`, signed as an OCM 1.3 peer signs (RFC 9421, label `ocm`). */
function signed(url: string, body: string, signer: Signer): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    date: new Date().toUTCString(),
    'content-digest': contentDigest(body),
  };
  const signature = signRfc9421(
    { method: 'POST', url, headers },
    {
      keyId: signer.keyId,
      privateKey: signer.privateKey,
      alg: 'ed25519',
      created: Math.floor(Date.now() / 1000),
    },
  );
  return {
    ...headers,
    'signature-input': signature.signatureInput,
    signature: signature.signature,
  };
}

export function preparePosts(spec: PostSpec, signer: Signer | undefined): PreparedPost[] {
  const posts: PreparedPost[] = [];
  for (let n = spec.first; n < spec.first + spec.count; n += 1) {
    if (
      spec.kind === 'ocs-create' ||
      spec.kind === 'ocs-create-out' ||
      spec.kind === 'ocs-unshare'
    ) {
      const body =
        spec.kind === 'ocs-create'
          ? ocsCreateForm(spec, n)
          : spec.kind === 'ocs-create-out'
            ? outgoingCreateForm(spec, n)
            : new URLSearchParams({ token: spec.secret ?? secretOf(spec.tag, n) }).toString();
      const path =
        spec.kind === 'ocs-unshare' ? `${spec.path}/${String(n + 1)}/unshare` : spec.path;
      posts.push({
        path: `${path}?format=json`,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
          'ocs-apirequest': 'true',
        },
        body,
      });
      continue;
    }
    if (signer === undefined) throw new Error(`${spec.kind}: no signing key set`);
    const notification = spec.kind !== 'ocm-share' && spec.kind !== 'plain-share';
    const body = JSON.stringify(
      spec.kind === 'ocm-accept'
        ? acceptBody(spec, n)
        : notification
          ? unshareBody(spec, n)
          : shareBody(spec, n),
    );
    // A plain POST carries the same bytes as the signed request (body and headers): only what the
    // gateway does with them differs.
    const signedPath = spec.kind.startsWith('plain-')
      ? `/ocm/${notification ? 'notifications' : 'shares'}`
      : spec.path;
    posts.push({ path: spec.path, headers: signed(spec.origin + signedPath, body, signer), body });
  }
  return posts;
}
