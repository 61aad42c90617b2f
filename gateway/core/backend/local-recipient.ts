/**
 * Is a share's `shareWith` one of the backend's users? Its server part must be our public host
 * (GATEWAY_PUBLIC_URL): same host and port, and the public sub-path or none — OCM 1.2+ addresses
 * cannot carry a path (`bob@host`), legacy cloud ids do (`bob@host/nextcloud`).
 */
import {
  formatServerForCloudId,
  normalizeRemoteUrl,
  parseCloudId,
  parseOwncloudAddress,
  type AddressResult,
  type CloudId,
  type ServerLocation,
} from '../address/index.ts';

export interface LocalRecipient {
  /** The backend's uid. */
  readonly user: string;
  readonly cloudId: CloudId;
}

const DEFAULT_PORT = { https: 443, http: 80 } as const;

function port(location: ServerLocation, fallbackScheme: 'https' | 'http'): number {
  return location.port ?? DEFAULT_PORT[location.schemeExplicit ? location.scheme : fallbackScheme];
}

export function checkLocalRecipient(
  shareWith: string,
  publicUrl: string,
  field = 'shareWith',
): AddressResult<LocalRecipient> {
  const ours = normalizeRemoteUrl(publicUrl, 'publicUrl');
  if (!ours.ok) return ours;
  const nextcloud = parseCloudId(shareWith, field, { lenient: true });
  const parsed = nextcloud.ok ? nextcloud : parseOwncloudAddress(shareWith, field);
  if (!parsed.ok) return { ok: false, issues: nextcloud.ok ? parsed.issues : nextcloud.issues };
  const server = parsed.value.server;
  const us = ours.value.server;
  const same =
    server.host === us.host &&
    port(server, us.scheme) === port(us, us.scheme) &&
    (server.path === '' || server.path === us.path);
  if (!same) {
    return {
      ok: false,
      issues: [
        {
          field,
          message: `is not a user of this server: expected user@${formatServerForCloudId(us)}`,
        },
      ],
    };
  }
  return { ok: true, value: { user: parsed.value.user, cloudId: parsed.value } };
}
