/**
 * The permissions of a share the backend sends out (flow 4). A legacy createShare carries none,
 * and an early-OCM one only names the WebDAV property to read
 * (`{http://open-cloud-mesh.org/ns}share-permissions`): receivers learn them by PROPFIND on the
 * share's public WebDAV root (legacy-protocols §1.10). The gateway does the same on the backend
 * before it writes an OCM 1.1+ share, whose `webdav.permissions` is a list of names.
 *
 * What is lossy (exactly as Nextcloud converts them, see permission-bits.ts):
 * - delete (8) has no OCM name and is dropped; a peer that honours only the names cannot delete;
 * - update (2) and create (4) become one `write`, so a file share with update only is `write`;
 * - an OCM 1.0 peer gets no list at all: it reads the bits itself over the gateway's public
 *   WebDAV, as legacy receivers do (lossless).
 */
import type { SharePermission } from '../model/canonical-share.ts';
import { permissionBitsToNames, PERMISSION_BIT } from './permission-bits.ts';

/** The namespaces servers have used for the property (OCS, and the OCM draft's). */
export const SHARE_PERMISSIONS_NAMESPACES = [
  'http://open-collaboration-services.org/ns',
  'http://open-cloud-mesh.org/ns',
] as const;

/** A Depth-0 PROPFIND body asking for the property in both namespaces. */
export const SHARE_PERMISSIONS_PROPFIND =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<d:propfind xmlns:d="DAV:" xmlns:ocs="http://open-collaboration-services.org/ns" xmlns:ocm="http://open-cloud-mesh.org/ns">' +
  '<d:prop><ocs:share-permissions/><ocm:share-permissions/></d:prop></d:propfind>';

const PROPERTY = /<(?:[A-Za-z_][\w.-]*:)?share-permissions(?:\s[^>]*)?>\s*(\d{1,3})\s*<\//;

/**
 * The bitmask from a PROPFIND multistatus (the first `share-permissions` value, whatever the
 * prefix), or undefined when there is none or it is out of range (0 or above 31).
 */
export function readSharePermissionsProperty(multistatus: string): number | undefined {
  const match = PROPERTY.exec(multistatus);
  if (match?.[1] === undefined) return undefined;
  const bits = Number(match[1]);
  return bits >= 1 && bits <= 31 ? bits : undefined;
}

/**
 * The OCM names for a share's bitmask. A share always lets its recipient read (no server makes
 * a federated share without read), so `read` is kept even when the mask omits it.
 */
export function outgoingPermissionNames(bits: number | undefined): SharePermission[] {
  if (bits === undefined) return ['read'];
  return permissionBitsToNames(bits | PERMISSION_BIT.read);
}
