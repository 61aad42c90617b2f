/**
 * Paths of the OCS federated-sharing calls (legacy-protocols.md §1.1, §4): `/ocs/v{1,2}.php/cloud/shares[/{id}/{action}]`
 * below an optional sub-path, and Pydio 8's `/ocs/v2/shares[/{id}/{action}]`.
 */
import type { OcsVersion } from '../ocs-envelope/index.ts';

export type OcsPathFlavour = 'standard' | 'pydio8';

export interface OcsSharePath {
  /** Sub-path before `/ocs/` (`''` or `/nextcloud`). */
  readonly basePath: string;
  readonly version: OcsVersion;
  readonly flavour: OcsPathFlavour;
  /** Owner-side share id, percent-decoded; absent for createShare. */
  readonly id?: string;
  /** `accept`, `decline`, … as sent (unvalidated). */
  readonly action?: string;
}

const STANDARD = /^(.*?)\/ocs\/v([12])\.php\/cloud\/shares(?:\/([^/]+)\/([^/]+))?\/?$/;
const PYDIO = /^(.*?)\/ocs\/v([12])\/shares(?:\/([^/]+)\/([^/]+))?\/?$/;

/** Matches a URL path (no query); undefined when it is not an OCS share call. */
export function matchOcsSharePath(pathname: string): OcsSharePath | undefined {
  const standard = STANDARD.exec(pathname);
  const match = standard ?? PYDIO.exec(pathname);
  if (match === null) return undefined;
  const [, basePath = '', v, rawId, action] = match;
  let id: string | undefined;
  if (rawId !== undefined) {
    try {
      id = decodeURIComponent(rawId);
    } catch {
      return undefined;
    }
  }
  return {
    basePath: basePath.replace(/\/+$/, ''),
    version: v === '1' ? 1 : 2,
    flavour: standard ? 'standard' : 'pydio8',
    ...(id === undefined ? {} : { id }),
    ...(action === undefined ? {} : { action }),
  };
}

/** The call path relative to the receiver's base URL. */
export function ocsSharePath(
  version: OcsVersion,
  flavour: OcsPathFlavour,
  id?: string,
  action?: string,
): string {
  const base =
    flavour === 'pydio8' ? `/ocs/v${version}/shares` : `/ocs/v${version}.php/cloud/shares`;
  return id === undefined || action === undefined
    ? base
    : `${base}/${encodeURIComponent(id)}/${encodeURIComponent(action)}`;
}
