/**
 * What the discovery document served for the backend needs to know about it (DESIGN §3 flow 7):
 * the minimum the composition root maps its backend profile onto.
 */

export interface ServedResourceType {
  /** OCM resource type, e.g. `file`. */
  readonly name: string;
  /** OCM share types the backend can receive for it: `user`, `group`, `federation`. */
  readonly shareTypes: readonly string[];
}

export interface ServedBackendInfo {
  /**
   * The backend's public WebDAV path relative to its base URL, e.g. `/public.php/webdav/`
   * (legacy-protocols §1.10); peers reach it through the gateway under the same relative path.
   */
  readonly webdavPath: string;
  readonly resourceTypes: readonly ServedResourceType[];
}
