/** URL normalisation for what peers advertise: absolute endpoints, and WebDAV paths below the base URL. */

/** `value` resolved against `base`, without trailing slashes; undefined unless http(s). */
export function absoluteHttpUrl(value: string, base: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  url.hash = '';
  return url.href.replace(/\/+$/, '');
}

/**
 * An advertised WebDAV value: v1.1 examples give absolute URIs, everyone else a path that is
 * relative to the installation (Nextcloud mounts `<remote><path>`), so the sub-path is kept.
 */
export function webdavUrl(value: string, baseUrl: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) {
    const absolute = absoluteHttpUrl(value, baseUrl);
    return absolute === undefined ? undefined : `${absolute}/`;
  }
  const path = value.startsWith('/') ? value : `/${value}`;
  return absoluteHttpUrl(`${baseUrl}${path}`, baseUrl)?.concat('/');
}
