/**
 * Operator host patterns for the peer allow/deny lists: an exact host (`peer.example.org`,
 * `peer.example.org:8443`, `[2001:db8::1]`) or every subdomain of a domain (`*.example.org`,
 * which does not match `example.org` itself: list both when both are meant).
 */
import { parseAuthority } from '../address/authority.ts';
import type { ValidationIssue } from '../errors/validation-issue.ts';
import { canonicalHost, parseHostList } from '../network/host-list.ts';
import { parseIpAddress } from '../network/ip-address.ts';

export interface HostPattern {
  /** Canonical host, or for `subdomains` the canonical parent domain. */
  readonly host: string;
  readonly subdomains: boolean;
  /** Undefined matches any port. */
  readonly port: number | undefined;
}

/** A caller's host as compared against patterns: canonical, with its explicit port if any. */
export interface PeerHost {
  readonly host: string;
  readonly port: number | undefined;
}

const WILDCARD = '*.';
// A port in a claim without one is the https default: peers are https outside labs.
const DEFAULT_PORT = 443;

export function parseHostPatterns(
  entries: readonly string[],
  field: string,
): { readonly patterns: readonly HostPattern[]; readonly issues: readonly ValidationIssue[] } {
  const patterns: HostPattern[] = [];
  const issues: ValidationIssue[] = [];
  entries.forEach((entry, index) => {
    const where = `${field}.${index}`;
    const text = entry.trim();
    const subdomains = text.startsWith(WILDCARD);
    const rest = subdomains ? text.slice(WILDCARD.length) : text;
    if (rest.includes('*')) {
      issues.push({ field: where, message: 'a wildcard is only allowed as a leading "*."' });
      return;
    }
    const parsed = parseHostList([rest], where);
    // parseHostList names the entry `${where}.0`; report it under the operator's own index.
    for (const issue of parsed.issues) issues.push({ field: where, message: issue.message });
    const pattern = parsed.patterns[0];
    if (pattern === undefined) return;
    const isIp = parseIpAddress(pattern.host.replace(/^\[|\]$/g, '')) !== undefined;
    if (subdomains && (isIp || !pattern.host.includes('.'))) {
      issues.push({
        field: where,
        message: '"*." must be followed by a domain with at least two labels, e.g. *.example.org',
      });
      return;
    }
    patterns.push({ host: pattern.host, subdomains, port: pattern.port });
  });
  return { patterns, issues };
}

/** `host[:port]` as a peer claims it (key id, sender address) → canonical; undefined if no host. */
export function parsePeerHost(text: string): PeerHost | undefined {
  const authority = parseAuthority(text.trim(), 'host');
  if (!authority.ok) return undefined;
  const host = canonicalHost(authority.value.host);
  return host === undefined ? undefined : { host, port: authority.value.port };
}

export function hostPatternMatches(pattern: HostPattern, peer: PeerHost): boolean {
  if (pattern.port !== undefined && pattern.port !== (peer.port ?? DEFAULT_PORT)) return false;
  if (!pattern.subdomains) return pattern.host === peer.host;
  return peer.host.endsWith(`.${pattern.host}`);
}

export function anyHostPatternMatches(patterns: readonly HostPattern[], peer: PeerHost): boolean {
  return patterns.some((pattern) => hostPatternMatches(pattern, peer));
}
