/**
 * Where peers find the backend's public WebDAV on the gateway: the public URL's path prefix plus the
 * backend's own WebDAV path (the pass-through maps one prefix onto the other, legacy-protocols §1.10).
 */

/** `https://gw.example/cloud` + `/public.php/webdav/` → `/cloud/public.php/webdav/`. */
export function publicWebdavPath(publicUrl: string, backendWebdavPath: string): string {
  const prefix = new URL(publicUrl).pathname.replace(/\/+$/, '');
  const path = backendWebdavPath.startsWith('/') ? backendWebdavPath : `/${backendWebdavPath}`;
  return `${prefix}${path}`;
}

/**
 * The request paths (no trailing slash) whose Bearer credentials the gateway must translate: the
 * advertised WebDAV path and the classic `/public.php/webdav` under the public prefix, which
 * legacy receivers use whatever discovery says.
 */
export function peerWebdavMountPaths(publicUrl: string, backendWebdavPath: string): string[] {
  const trim = (path: string): string => path.replace(/\/+$/, '');
  const paths = [
    trim(publicWebdavPath(publicUrl, backendWebdavPath)),
    trim(publicWebdavPath(publicUrl, '/public.php/webdav')),
  ];
  return [...new Set(paths)];
}
