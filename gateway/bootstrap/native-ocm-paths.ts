/**
 * The backend's own OCM endpoint, as its profile advertises it (an early-OCM backend: Nextcloud's
 * `/index.php/ocm`). Peers that still hold the backend's old discovery reach it through the
 * pass-through; it stays reachable for them, but behind the same peer policy and rate limits as
 * the gateway's own endpoint. The list is rebuilt only when the profile changes.
 */
import type { BackendProfile } from '../core/backend/backend-profile.ts';

export function nativeOcmPaths(
  current: () => BackendProfile,
  gatewayEndPoint: string,
): () => readonly string[] {
  let profile: BackendProfile | undefined;
  let paths: readonly string[] = [];
  return () => {
    const now = current();
    if (now !== profile) {
      profile = now;
      paths = pathsOf(now, gatewayEndPoint);
    }
    return paths;
  };
}

function pathsOf(profile: BackendProfile, gatewayEndPoint: string): readonly string[] {
  const advertised = profile.ocmEndPoint?.advertised;
  if (advertised === undefined) return [];
  let path: string;
  try {
    path = new URL(advertised).pathname.replace(/\/+$/, '');
  } catch {
    return [];
  }
  // The gateway's own endpoint has its own guards; `/` would police everything.
  if (path === '' || path.toLowerCase() === gatewayEndPoint.toLowerCase()) return [];
  return [path];
}
