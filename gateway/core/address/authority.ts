/**
 * Host and port of a server address (RFC 3986 §3.2.2/3.2.3 as used by OCM addresses, I-D-05 §2):
 * reg-name, IPv4 or `[IPv6]`, optional port. Hosts are lower-cased (DNS is case-insensitive).
 */
import { addressFail, addressOk, type AddressResult } from './address-result.ts';

export interface Authority {
  /** Lower-cased host; an IPv6 literal keeps its brackets (`[::1]`). */
  readonly host: string;
  /** Explicit port, kept as given (a default 443 is not dropped: printing stays exact). */
  readonly port: number | undefined;
}

// Letters/digits of any script so IDN hosts typed in Unicode survive; no URL delimiters.
const REG_NAME = /^[\p{L}\p{M}\p{N}._~%-]+$/u;
const IPV6_BODY = /^[0-9a-f:.]+$/;
const PORT = /^[0-9]{1,5}$/;

export function parseAuthority(raw: string, field: string): AddressResult<Authority> {
  if (raw === '') return addressFail(field, 'the host is empty');
  let host: string;
  let portText: string | undefined;
  if (raw.startsWith('[')) {
    const close = raw.indexOf(']');
    if (close < 0) return addressFail(field, 'the IPv6 literal has no closing "]"');
    const inner = raw.slice(1, close).toLowerCase();
    if (!IPV6_BODY.test(inner) || !inner.includes(':')) {
      return addressFail(field, 'the bracketed host is not an IPv6 address');
    }
    host = `[${inner}]`;
    const rest = raw.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':'))
        return addressFail(field, 'unexpected text after the IPv6 literal');
      portText = rest.slice(1);
    }
  } else {
    const colon = raw.indexOf(':');
    if (colon >= 0 && raw.indexOf(':', colon + 1) >= 0) {
      return addressFail(field, 'an IPv6 host must be written in brackets, e.g. [::1]:8080');
    }
    host = (colon < 0 ? raw : raw.slice(0, colon)).toLowerCase();
    portText = colon < 0 ? undefined : raw.slice(colon + 1);
    if (host === '') return addressFail(field, 'the host is empty');
    if (!REG_NAME.test(host))
      return addressFail(field, 'the host contains characters a DNS name cannot have');
  }
  if (portText === undefined) return addressOk({ host, port: undefined });
  if (!PORT.test(portText)) return addressFail(field, 'the port is not a number');
  const port = Number(portText);
  if (port < 1 || port > 65535) return addressFail(field, 'the port is outside 1–65535');
  return addressOk({ host, port });
}

export function formatAuthority(authority: Authority): string {
  return authority.port === undefined ? authority.host : `${authority.host}:${authority.port}`;
}
