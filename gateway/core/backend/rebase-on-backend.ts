/**
 * Where to call an endPoint the backend advertises. The backend describes itself with its public
 * URL, which now points at the gateway; calling that would loop. So the advertised path is put on
 * the backend URL: below the backend's own sub-path when the path starts there, else from the
 * front controller (`/index.php…`) on, else as is on the backend origin.
 */

export function rebaseOnBackend(advertised: string, backendUrl: string): string | undefined {
  // A bare path is relative to the installation (sub-path included), as discovery paths are.
  if (advertised.startsWith('/') && !advertised.startsWith('//')) {
    return /^https?:\/\//i.test(backendUrl)
      ? `${backendUrl.replace(/\/+$/, '')}${advertised.replace(/\/+$/, '')}`
      : undefined;
  }
  let target: URL;
  let backend: URL;
  try {
    target = new URL(advertised, `${backendUrl.replace(/\/+$/, '')}/`);
    backend = new URL(backendUrl);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  const path = target.pathname.replace(/\/+$/, '');
  const basePath = backend.pathname.replace(/\/+$/, '');
  if (target.origin === backend.origin) return `${backend.origin}${path}`;
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) {
    return `${backend.origin}${path}`;
  }
  const front = path.indexOf('/index.php');
  if (front >= 0) return `${backend.origin}${basePath}${path.slice(front)}`;
  return `${backend.origin}${basePath}${path}`;
}
