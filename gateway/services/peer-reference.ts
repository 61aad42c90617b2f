/**
 * Turns how an operator or a message names a peer (OCM address `bob@host`, federated cloud ID
 * `bob@https://host/nextcloud`, URL, bare `host[:port][/path]`) into one PeerReference and key.
 */
import {
  normalizeRemoteUrl,
  parseCloudId,
  parseServerLocation,
  type AddressResult,
  type ServerLocation,
} from '../core/address/index.ts';
import type { PeerReference } from '../ports/peer-discovery.ts';

const MAX_KEY_LENGTH = 255;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const DEFAULT_PORT = { https: 443, http: 80 } as const;

export function parsePeerReference(input: unknown, field = 'peer'): AddressResult<PeerReference> {
  if (typeof input !== 'string') return fail(field, 'must be a string such as peer.example.org');
  const text = input.trim();
  if (text === '') return fail(field, 'is empty');
  let server: AddressResult<ServerLocation>;
  if (HAS_SCHEME.test(text)) {
    const remote = normalizeRemoteUrl(text, field);
    server = remote.ok ? { ok: true, value: remote.value.server } : remote;
  } else if (text.includes('@')) {
    const cloudId = parseCloudId(text, field, { lenient: true });
    server = cloudId.ok ? { ok: true, value: cloudId.value.server } : cloudId;
  } else {
    server = parseServerLocation(text, field, { dropQuery: true });
  }
  if (!server.ok) return server;
  const reference = toReference(server.value);
  if (reference.key.length > MAX_KEY_LENGTH) {
    return fail(field, `is longer than ${MAX_KEY_LENGTH} characters`);
  }
  return { ok: true, value: reference };
}

function toReference(location: ServerLocation): PeerReference {
  // A default port names the same peer: one cache entry, not two (as the facade's peer host).
  // Without a scheme both 443 and 80 are defaults: discovery tries https:443, then http:80.
  const defaults: readonly number[] = location.schemeExplicit
    ? [DEFAULT_PORT[location.scheme]]
    : [DEFAULT_PORT.https, DEFAULT_PORT.http];
  const port =
    location.port !== undefined && defaults.includes(location.port) ? undefined : location.port;
  const hostPort = port === undefined ? location.host : `${location.host}:${port}`;
  return {
    key: `${hostPort}${location.path}`,
    host: location.host,
    port,
    path: location.path,
    scheme: location.schemeExplicit ? location.scheme : undefined,
  };
}

/** `host[:port]` of a reference, as `peers[].host` in the config file spells it. */
export function peerHostPort(reference: PeerReference): string {
  return reference.port === undefined ? reference.host : `${reference.host}:${reference.port}`;
}

function fail<T>(field: string, message: string): AddressResult<T> {
  return { ok: false, issues: [{ field, message }] };
}
