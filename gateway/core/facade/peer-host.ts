/**
 * The peer key used in facade URLs and ledger records (DESIGN §1 "facade"): `host[:port]`,
 * lower-cased, IPv6 literals in brackets, so one peer always gets one facade URL.
 */
import {
  formatAuthority,
  normalizeRemoteUrl,
  parseAuthority,
  parseCloudId,
  type AddressResult,
} from '../address/index.ts';

const BARE_IPV6 = /^[0-9a-fA-F:.]+$/;

/**
 * Normalises `Cloud.Example.org`, `cloud.example.org:8443`, `[::1]:9200` and a bare `::1` (as a
 * socket or a key id may give it) to `host[:port]`. Ports 443 and 80 are dropped: no peer serves
 * http on 443 or https on 80, so `host:443` and `host` are one peer with one facade URL (as
 * peer-reference keys them).
 */
export function normalisePeerHost(input: unknown, field = 'peerHost'): AddressResult<string> {
  if (typeof input !== 'string') return fail(field, 'must be a host such as cloud.example.org');
  let text = input.trim();
  if (text === '') return fail(field, 'is empty');
  if (!text.startsWith('[') && (text.match(/:/g) ?? []).length > 1 && BARE_IPV6.test(text)) {
    text = `[${text}]`;
  }
  if (/[/?#@\s]/.test(text)) return fail(field, 'must be host[:port] only, without a path or user');
  const authority = parseAuthority(text, field);
  if (!authority.ok) return authority;
  const { host, port } = authority.value;
  const dropped = port === 443 || port === 80 ? undefined : port;
  return { ok: true, value: formatAuthority({ host, port: dropped }) };
}

function fail(field: string, message: string): AddressResult<string> {
  return { ok: false, issues: [{ field, message }] };
}

/**
 * The peer host a share's `owner`/`sender` (`alice@peer.example.net/nc`, `alice@https://peer:8443`)
 * or a server URL names: its `host[:port]` as normalisePeerHost gives it (the sub-path is the
 * facade's discovery business, not part of the key).
 */
export function peerHostOf(address: string, field = 'peer'): AddressResult<string> {
  const parsed = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(address.trim())
    ? normalizeRemoteUrl(address, field)
    : parseCloudId(address, field, { lenient: true });
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return normalisePeerHost(formatAuthority(parsed.value.server), field);
}

/**
 * The install sub-path (`/nextcloud`, or `''`) of the peer `peerHost`, read from the first of
 * `addresses` (a share's `sender`, then `owner`) on that host. The backend stores the facade URL
 * built with it as the share's `remote` and calls the peer back below it, so a peer installed
 * under a sub-path is reached there, not at its host root.
 */
export function peerPathOf(addresses: readonly string[], peerHost: string): string {
  for (const address of addresses) {
    const parsed = parseCloudId(address, 'address', { lenient: true });
    if (!parsed.ok) continue;
    const host = normalisePeerHost(formatAuthority(parsed.value.server));
    if (host.ok && host.value === peerHost) return parsed.value.server.path;
  }
  return '';
}
