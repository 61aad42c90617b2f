/**
 * Which paths are federation calls, wherever the server is installed (`/nextcloud/status.php`
 * counts): legacy OCS sharing and discovery (legacy-protocols.md §1–2), early OCM endPoints
 * (`/index.php/ocm`, `/ocm`, ownCloud 10's `/index.php/apps/federatedfilesharing`) and OCM 1.x
 * discovery (`/ocm-provider`, `/.well-known/ocm`).
 */
const FEDERATION_PATHS: readonly RegExp[] = [
  /\/ocs\/v[12]\.php\/cloud\/shares(\/|$)/,
  /\/ocs-provider(\/|$)/,
  /\/ocm-provider(\/|$)/,
  /\/\.well-known\/ocm\/?$/,
  /\/status\.php$/,
  /\/index\.php\/apps\/files_sharing\/shareinfo$/,
  /\/public\.php\/(webdav|dav)(\/|$)/,
  /\/index\.php\/ocm(\/|$)/,
  /\/index\.php\/apps\/federatedfilesharing(\/|$)/,
  /\/ocm(\/|$)/,
];

/** `pathname` is the decoded-as-sent path, without the query. */
export function isFederationPath(pathname: string, extraPrefixes: readonly string[] = []): boolean {
  if (FEDERATION_PATHS.some((pattern) => pattern.test(pathname))) return true;
  return extraPrefixes.some(
    (prefix) =>
      pathname === prefix || pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
  );
}
