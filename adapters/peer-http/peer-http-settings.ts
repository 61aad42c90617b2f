/** Turns PeerHttpClientOptions into checked settings: every bad option is reported by name. */
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { ValidationIssue } from '../../gateway/core/errors/validation-issue.ts';
import {
  parseCidrList,
  parseHostList,
  type HostPattern,
  type IpNetwork,
} from '../../gateway/core/network/index.ts';
import type { PeerHttpClientOptions, PeerLookup } from './peer-http-types.ts';

export interface PeerHttpSettings {
  readonly allowPrivatePeers: boolean;
  readonly allowlistedHosts: readonly HostPattern[];
  readonly allowHttpHosts: readonly HostPattern[];
  readonly allowNetworks: readonly IpNetwork[];
  readonly denyNetworks: readonly IpNetwork[];
  readonly connectTimeoutMs: number;
  readonly totalTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  readonly maxSocketsPerOrigin: number;
  readonly maxOrigins: number;
  readonly extraCaCerts: readonly string[];
  readonly lookup: PeerLookup | undefined;
}

export const PEER_HTTP_DEFAULTS = {
  connectTimeoutMs: 5_000,
  totalTimeoutMs: 10_000,
  maxResponseBytes: 1024 * 1024,
  maxRedirects: 3,
  userAgent: 'ocm-federation-gateway',
  maxSocketsPerOrigin: 8,
  maxOrigins: 256,
} as const;

function integer(
  issues: ValidationIssue[],
  field: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    issues.push({ field, message: `must be a whole number from ${min} to ${max}` });
    return fallback;
  }
  return value;
}

export function toPeerHttpSettings(options: PeerHttpClientOptions): PeerHttpSettings {
  const issues: ValidationIssue[] = [];
  const allowlisted = parseHostList(options.allowlistedHosts ?? [], 'allowlistedHosts');
  const allowHttp = parseHostList(options.allowHttpHosts ?? [], 'allowHttpHosts');
  const allowNetworks = parseCidrList(options.allowNetworks ?? [], 'allowNetworks');
  const denyNetworks = parseCidrList(options.denyNetworks ?? [], 'denyNetworks');
  issues.push(
    ...allowlisted.issues,
    ...allowHttp.issues,
    ...allowNetworks.issues,
    ...denyNetworks.issues,
  );
  const d = PEER_HTTP_DEFAULTS;
  const hour = 3_600_000;
  const settings: PeerHttpSettings = {
    allowPrivatePeers: options.allowPrivatePeers,
    allowlistedHosts: allowlisted.patterns,
    allowHttpHosts: allowHttp.patterns,
    allowNetworks: allowNetworks.networks,
    denyNetworks: denyNetworks.networks,
    connectTimeoutMs: integer(
      issues,
      'connectTimeoutMs',
      options.connectTimeoutMs,
      d.connectTimeoutMs,
      1,
      hour,
    ),
    totalTimeoutMs: integer(
      issues,
      'totalTimeoutMs',
      options.totalTimeoutMs,
      d.totalTimeoutMs,
      1,
      hour,
    ),
    maxResponseBytes: integer(
      issues,
      'maxResponseBytes',
      options.maxResponseBytes,
      d.maxResponseBytes,
      1,
      2 ** 31,
    ),
    maxRedirects: integer(issues, 'maxRedirects', options.maxRedirects, d.maxRedirects, 0, 20),
    userAgent: options.userAgent ?? d.userAgent,
    maxSocketsPerOrigin: integer(
      issues,
      'maxSocketsPerOrigin',
      options.maxSocketsPerOrigin,
      d.maxSocketsPerOrigin,
      1,
      1024,
    ),
    maxOrigins: integer(issues, 'maxOrigins', options.maxOrigins, d.maxOrigins, 1, 100_000),
    extraCaCerts: options.extraCaCerts ?? [],
    lookup: options.lookup,
  };
  if (/[\r\n]/.test(settings.userAgent)) {
    issues.push({ field: 'userAgent', message: 'must be one line' });
  }
  if (typeof options.allowPrivatePeers !== 'boolean') {
    issues.push({ field: 'allowPrivatePeers', message: 'must be true or false' });
  }
  if (issues.length > 0) {
    const list = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new GatewayError('INVALID_REQUEST', `peer HTTP client options are invalid: ${list}`, {
      issues,
    });
  }
  return settings;
}
