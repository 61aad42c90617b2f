/**
 * Where a signature's key is published: the peer a key id names, and whether a peer's discovery
 * shows it signs its requests (for the 'prefer' policy).
 */
import { hostOfKeyId } from '../core/signatures/key-id-host.ts';
import type { PeerCapabilities } from '../ports/peer-discovery.ts';

/**
 * The peer to discover for a key id. RFC 9421 ids (`host#kid`) name the host, whose discovery
 * lists the key. Nextcloud's cavage ids are its OCM endpoint plus `#signature`
 * (`https://nc.example.org/nextcloud/ocm#signature`): the installation is the URL without its
 * `/ocm` (or `/index.php/ocm`) tail, so a Nextcloud in a sub-path is discovered where it lives.
 */
export function peerOfKeyId(keyId: string): string | undefined {
  const host = hostOfKeyId(keyId);
  if (host === undefined) return undefined;
  if (!/^https?:\/\//i.test(keyId)) return host;
  try {
    const url = new URL(keyId);
    const path = url.pathname
      .replace(/\/+$/, '')
      .replace(/(?:\/index\.php)?\/ocm(?:-provider)?$/, '')
      .replace(/\/+$/, '');
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return host;
  }
}

/** True when the peer's discovery publishes a signing key or advertises `http-sig`. */
export function knownToSign(capabilities: PeerCapabilities): boolean {
  const keys = capabilities.keys;
  return (
    keys.cavage !== undefined ||
    keys.publicKeys.length > 0 ||
    (keys.jwks?.length ?? 0) > 0 ||
    capabilities.capabilities.includes('http-sig')
  );
}
