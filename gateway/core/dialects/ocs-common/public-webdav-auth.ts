/**
 * Legacy public WebDAV access (legacy-protocols.md §1.10, webdav-propfind.json): HTTP Basic with
 * the share token as user name and an empty password (or the link password); permissions come
 * from the OCS `share-permissions` property, defaulting to all (folders) or all but create (files).
 */
import { ALL_PERMISSION_BITS, PERMISSION_BIT } from '../../permissions/index.ts';

export const OCS_SHARE_PERMISSIONS_PROPERTY =
  '{http://open-collaboration-services.org/ns}share-permissions';

export const DEFAULT_PUBLIC_WEBDAV_PATH = '/public.php/webdav/';

export interface PublicWebdavCredentials {
  readonly token: string;
  readonly password: string;
}

/** Reads `Authorization: Basic …`; undefined when absent, not Basic, malformed or without a token. */
export function readPublicWebdavAuth(
  header: string | undefined,
): PublicWebdavCredentials | undefined {
  const match =
    header === undefined ? null : /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon < 0 ? decoded : decoded.slice(0, colon);
  if (token === '') return undefined;
  return { token, password: colon < 0 ? '' : decoded.slice(colon + 1) };
}

export function writePublicWebdavAuth(credentials: PublicWebdavCredentials): string {
  return `Basic ${Buffer.from(`${credentials.token}:${credentials.password}`, 'utf8').toString('base64')}`;
}

/** What receivers assume when the property is absent: all for folders, all but create for files. */
export function defaultSharePermissionBits(isFolder: boolean): number {
  return isFolder ? ALL_PERMISSION_BITS : ALL_PERMISSION_BITS & ~PERMISSION_BIT.create;
}
