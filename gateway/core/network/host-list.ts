/**
 * Operator host lists (`peer.example.org`, `peer.example.org:8443`, `[2001:db8::1]`) and the one
 * canonical host spelling they are compared in: the WHATWG URL host (lower case, punycode,
 * normalised IP literals) without a trailing dot.
 */
import { parseAuthority } from '../address/authority.ts';
import type { ValidationIssue } from '../errors/validation-issue.ts';

export interface HostPattern {
  readonly host: string;
  /** Undefined matches any port. */
  readonly port: number | undefined;
}

/** The canonical spelling of a host, or undefined when it is no valid URL host. */
export function canonicalHost(host: string): string | undefined {
  if (host === '' || /[/?#@\\\s]/.test(host)) return undefined;
  // A port belongs in the pattern, not the host (and `new URL` would silently drop `:80`).
  if (!host.startsWith('[') && host.includes(':')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}/`);
  } catch {
    return undefined;
  }
  if (parsed.port !== '' || parsed.username !== '') return undefined;
  const name = parsed.hostname.endsWith('.') ? parsed.hostname.slice(0, -1) : parsed.hostname;
  return name === '' ? undefined : name;
}

export function parseHostList(
  entries: readonly string[],
  field: string,
): { readonly patterns: readonly HostPattern[]; readonly issues: readonly ValidationIssue[] } {
  const patterns: HostPattern[] = [];
  const issues: ValidationIssue[] = [];
  entries.forEach((entry, index) => {
    const where = `${field}.${index}`;
    const authority = parseAuthority(entry.trim(), where);
    if (!authority.ok) {
      issues.push(...authority.issues);
      return;
    }
    const host = canonicalHost(authority.value.host);
    if (host === undefined) issues.push({ field: where, message: 'not a valid host name' });
    else patterns.push({ host, port: authority.value.port });
  });
  return { patterns, issues };
}

/** `hostname` must already be canonical (a URL's hostname is, apart from a trailing dot). */
export function hostListMatches(
  patterns: readonly HostPattern[],
  hostname: string,
  port: number,
): boolean {
  const host = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  return patterns.some((p) => p.host === host && (p.port === undefined || p.port === port));
}
