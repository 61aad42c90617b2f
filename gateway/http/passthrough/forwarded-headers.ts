/** Proxy identification headers toward the backend: RFC 7239 `Forwarded` and the de-facto `X-Forwarded-*`. */

export interface ForwardedContext {
  /** The peer address of the client connection (`socket.remoteAddress`); undefined if unknown. */
  readonly clientAddress: string | undefined;
  /** The public URL clients use; its scheme and host are what the gateway vouches for. */
  readonly publicUrl: URL;
}

export interface ForwardedHeaders {
  readonly forwarded: string;
  readonly 'x-forwarded-for': string;
  readonly 'x-forwarded-proto': string;
  readonly 'x-forwarded-host': string;
  readonly 'x-forwarded-port': string;
}

/** Names the gateway sets itself; a client's `Connection` header must not be able to remove them. */
export const FORWARDED_HEADER_NAMES: readonly (keyof ForwardedHeaders)[] = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
];

/**
 * Computes the headers to send upstream. `Forwarded` and `X-Forwarded-For` are chains, so this
 * hop is appended to what arrived; proto/host/port are single claims, so the gateway states its
 * configured public identity instead of echoing the client's `Host` (which an attacker controls
 * and a backend would use to build links, e.g. in password-reset mails).
 */
export function forwardedHeaders(
  incoming: {
    readonly forwarded?: string | string[];
    readonly 'x-forwarded-for'?: string | string[];
  },
  context: ForwardedContext,
): ForwardedHeaders {
  const address = unmapIpv4(context.clientAddress);
  const proto = context.publicUrl.protocol.replace(/:$/, '');
  const host = context.publicUrl.host;
  const port = context.publicUrl.port !== '' ? context.publicUrl.port : defaultPort(proto);
  const element = [
    `for=${forwardedNode(address)}`,
    `host=${forwardedValue(host)}`,
    `proto=${forwardedValue(proto)}`,
  ].join(';');
  return {
    forwarded: appendToList(incoming.forwarded, element),
    'x-forwarded-for': appendToList(incoming['x-forwarded-for'], address ?? 'unknown'),
    'x-forwarded-proto': proto,
    'x-forwarded-host': host,
    'x-forwarded-port': port,
  };
}

/** RFC 7239 §6 node: IPv6 addresses are bracketed and therefore quoted; unknown peers are `unknown`. */
export function forwardedNode(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  return address.includes(':') ? `"[${address}]"` : forwardedValue(address);
}

// RFC 7230 token characters; anything else (':' of a port, '[' of IPv6) needs a quoted-string.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** RFC 7239 §4 value: a token as is, otherwise a quoted-string with `"` and `\` escaped. */
export function forwardedValue(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is reported as `192.0.2.1`. */
export function unmapIpv4(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match?.[1] ?? address;
}

function appendToList(existing: string | string[] | undefined, item: string): string {
  const previous = (typeof existing === 'string' ? [existing] : (existing ?? []))
    // Empty list elements are legal (RFC 9110 §5.6.1) but must not pile up along the chain.
    .map((value) => value.replace(/^[\s,]+|[\s,]+$/g, ''))
    .filter((value) => value !== '');
  return [...previous, item].join(', ');
}

function defaultPort(proto: string): string {
  return proto === 'https' ? '443' : '80';
}
