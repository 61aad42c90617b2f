/**
 * Addresses in what the backend sends out (flow 4, legacy-protocols §1.3, §5): the backend's own
 * users become users of the gateway's PUBLIC host, users it knows through the facade
 * (`bob@<facade>/peers/<host>`) become `bob@<host>`; nothing internal reaches a peer.
 */
import {
  formatAuthority,
  formatCloudId,
  normalizeRemoteUrl,
  parseCloudId,
  parseOwncloudAddress,
  type CloudId,
  type ServerLocation,
} from '../address/index.ts';
import { FACADE_PEERS_SEGMENT } from '../facade/facade-url.ts';
import { normalisePeerHost } from '../facade/peer-host.ts';

export interface AddressContext {
  /** GATEWAY_PUBLIC_URL: what peers know the backend as. */
  readonly publicUrl: string;
  /** GATEWAY_BACKEND_URL. */
  readonly backendUrl: string;
  /** How the backend reaches the facade (`facade.baseUrl` or its default). */
  readonly facadeBaseUrl: string;
}

export type AddressOwner =
  /** A user of the backend (its public, internal or facade-less own address). */
  | { readonly kind: 'local'; readonly user: string }
  /** A user the backend knows through the facade: the peer's real host. */
  | { readonly kind: 'peer'; readonly user: string; readonly peerHost: string }
  /** Somebody elsewhere, kept as given. */
  | { readonly kind: 'foreign'; readonly cloudId: CloudId };

/** How the address is written for the receiver. */
export type AddressStyle =
  /** OCM 1.2+: `user@host[:port]` (no scheme, no path). */
  | 'ocm'
  /** proposal1 / 1.0 / 1.1: `user@host[:port][/path]`. */
  | 'ocm-with-path'
  /** Legacy cloud id: `http://` kept, path kept. */
  | 'legacy';

const DEFAULT_PORT = { https: 443, http: 80 } as const;

function serverOf(url: string): ServerLocation | undefined {
  const parsed = normalizeRemoteUrl(url, 'url');
  return parsed.ok ? parsed.value.server : undefined;
}

function effectivePort(location: ServerLocation, fallback: ServerLocation): number {
  const scheme = location.schemeExplicit ? location.scheme : fallback.scheme;
  return location.port ?? DEFAULT_PORT[scheme];
}

function sameAuthority(a: ServerLocation, ours: ServerLocation): boolean {
  return a.host === ours.host && effectivePort(a, ours) === effectivePort(ours, ours);
}

/** Reads a cloud id (Nextcloud split, then ownCloud's last-`@` split); undefined for a bare uid. */
export function readCloudId(address: string): CloudId | undefined {
  const nextcloud = parseCloudId(address, 'address', { lenient: true });
  if (nextcloud.ok) return nextcloud.value;
  const owncloud = parseOwncloudAddress(address, 'address');
  return owncloud.ok ? owncloud.value : undefined;
}

/** The user part of a cloud id, or the whole value when it is a bare uid. */
export function userOfAddress(address: string): string {
  return readCloudId(address)?.user ?? address;
}

/** Whose address this is, seen from the gateway. */
export function classifyAddress(address: string, ctx: AddressContext): AddressOwner | undefined {
  const cloudId = readCloudId(address);
  if (cloudId === undefined) return undefined;
  const server = cloudId.server;
  const facade = serverOf(ctx.facadeBaseUrl);
  if (facade !== undefined && sameAuthority(server, facade)) {
    const prefix = `${facade.path}/${FACADE_PEERS_SEGMENT}/`;
    if (server.path.startsWith(prefix)) {
      const host = normalisePeerHost(decodeSegment(server.path.slice(prefix.length)));
      if (host.ok) return { kind: 'peer', user: cloudId.user, peerHost: host.value };
    }
    return { kind: 'local', user: cloudId.user };
  }
  for (const url of [ctx.publicUrl, ctx.backendUrl]) {
    const ours = serverOf(url);
    // Any path on our own authority is ours: the backend names itself with or without its sub-path.
    if (ours !== undefined && sameAuthority(server, ours)) {
      return { kind: 'local', user: cloudId.user };
    }
  }
  return { kind: 'foreign', cloudId };
}

function decodeSegment(text: string): string {
  const segment = text.split('/', 1)[0] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The public server location (GATEWAY_PUBLIC_URL); undefined if the URL is unusable. */
export function publicServer(publicUrl: string): ServerLocation | undefined {
  return serverOf(publicUrl);
}

function write(user: string, server: ServerLocation, style: AddressStyle): string {
  if (style === 'legacy') return formatCloudId({ user, server });
  const path = style === 'ocm-with-path' ? server.path : '';
  return `${user}@${formatAuthority(server)}${path}`;
}

/**
 * The address as a peer must see it. A bare uid is taken as a local user. Undefined only when
 * the public URL itself is unusable (a configuration error caught at start-up).
 */
export function addressForPeer(
  address: string,
  ctx: AddressContext,
  style: AddressStyle,
): string | undefined {
  const ours = publicServer(ctx.publicUrl);
  if (ours === undefined) return undefined;
  const owner = classifyAddress(address, ctx) ?? { kind: 'local' as const, user: address };
  switch (owner.kind) {
    case 'local':
      return write(owner.user, ours, style);
    case 'peer':
      return `${owner.user}@${owner.peerHost}`;
    case 'foreign':
      return write(owner.cloudId.user, owner.cloudId.server, style);
  }
}

/** The legacy `remote` for a peer: the public base URL with a trailing slash. */
export function publicRemote(publicUrl: string): string | undefined {
  const ours = publicServer(publicUrl);
  return ours === undefined ? undefined : `${ours.scheme}://${formatAuthority(ours)}${ours.path}/`;
}
