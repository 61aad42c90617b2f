/**
 * Which server and version a backend is, from its `/status.php` (legacy-protocols §2.2, §7):
 * Nextcloud says so in `productname`; ownCloud 9.0 names nothing, and no ownCloud went past 10.
 */
import type { StatusPhp } from '../dialects/ocs-common/index.ts';
import type { BackendProduct } from './backend-profile.ts';

export const UNKNOWN_PRODUCT: BackendProduct = {
  name: 'unknown',
  version: '',
  major: undefined,
  minor: undefined,
};

function versionParts(version: string): { major?: number; minor?: number } {
  const match = /^(\d{1,4})(?:\.(\d{1,4}))?/.exec(version.trim());
  if (match === null) return {};
  return {
    major: Number(match[1]),
    ...(match[2] === undefined ? {} : { minor: Number(match[2]) }),
  };
}

export function backendProductOf(status: StatusPhp | undefined): BackendProduct {
  if (status === undefined || status.version === '') return UNKNOWN_PRODUCT;
  const { major, minor } = versionParts(status.version);
  const named = (status.productName ?? status.product ?? '').toLowerCase();
  let name: string;
  if (named.includes('nextcloud')) name = 'Nextcloud';
  else if (named.includes('owncloud')) name = 'ownCloud';
  else if (named !== '') name = status.productName ?? status.product ?? 'unknown';
  else name = major !== undefined && major >= 11 ? 'Nextcloud' : 'ownCloud';
  return { name, version: status.version, major, minor };
}

/** True when the product is at least `major.minor`. */
export function productAtLeast(product: BackendProduct, major: number, minor = 0): boolean {
  if (product.major === undefined) return false;
  if (product.major !== major) return product.major > major;
  return (product.minor ?? 0) >= minor;
}
