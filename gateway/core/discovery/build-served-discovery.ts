/**
 * The discovery document the gateway serves for its backend (DESIGN §3 flow 7; ocm-versions §2,
 * legacy-protocols §2.3–2.4): what gateway + backend can really do, as one canonical document.
 */
import type { CanonicalDiscovery, ResourceTypeDescriptor } from '../model/canonical-discovery.ts';
import type { DiscoveryKeyFields } from '../signatures/key-publication.ts';
import { publicWebdavPath } from './public-webdav-path.ts';
import type { ServedBackendInfo } from './served-backend-info.ts';

export interface ServedDiscoveryInput {
  /** GATEWAY_PUBLIC_URL: the URL peers know the backend by (may carry a sub-path). */
  readonly publicUrl: string;
  /** `ocm.endPointPath`, e.g. `/ocm`. */
  readonly endPointPath: string;
  /** Branding name (`provider`). */
  readonly provider: string;
  readonly backend: ServedBackendInfo;
  /** The gateway's published keys (`discoveryKeyFields`). */
  readonly keys: DiscoveryKeyFields;
  readonly advertiseInvites: boolean;
  readonly mustUseHttpSig: boolean;
}

/** `<public URL><endPointPath>`: every OCM call goes to `<endPoint>/<name>`. */
export function servedEndPoint(publicUrl: string, endPointPath: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${endPointPath}`;
}

/**
 * Both token request forms are served at `<endPoint>/token` (the pre-1.2 fixed path), so the 1.3
 * `tokenEndPoint` can point there too and one route serves every peer (ocm-versions §8).
 */
export function servedTokenEndPoint(publicUrl: string, endPointPath: string): string {
  return `${servedEndPoint(publicUrl, endPointPath)}/token`;
}

/** I-D-05 puts the JWKS at the root of the host, whatever sub-path the server lives under. */
export function servedJwksUri(publicUrl: string): string {
  return `${new URL(publicUrl).origin}/.well-known/jwks.json`;
}

export function buildServedDiscovery(input: ServedDiscoveryInput): CanonicalDiscovery {
  const webdav = publicWebdavPath(input.publicUrl, input.backend.webdavPath);
  const resourceTypes: ResourceTypeDescriptor[] = input.backend.resourceTypes.map((rt) => ({
    name: rt.name,
    shareTypes: [...rt.shareTypes],
    protocols: { webdav },
  }));
  // 1.2.2+ requires publicKeys whenever http-sig is advertised: without a published RFC 9421
  // key the gateway cannot honestly claim it.
  const canSign = input.keys.publicKeys.length > 0;
  const capabilities = [
    'exchange-token',
    ...(canSign ? ['http-sig'] : []),
    ...(input.advertiseInvites ? ['invites'] : []),
    'notifications',
    'protocol-object',
  ];
  return {
    enabled: true,
    apiVersion: '1.3.0',
    endPoint: servedEndPoint(input.publicUrl, input.endPointPath),
    provider: input.provider,
    resourceTypes,
    capabilities,
    criteria: input.mustUseHttpSig ? ['must-use-http-sig'] : [],
    ...(input.keys.publicKey !== undefined && { publicKey: input.keys.publicKey }),
    publicKeys: input.keys.publicKeys.map((key) => ({ ...key })),
    jwksUri: servedJwksUri(input.publicUrl),
    tokenEndPoint: servedTokenEndPoint(input.publicUrl, input.endPointPath),
  };
}
