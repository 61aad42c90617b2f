/** Response headers that carry backend URLs (`Location`, `Content-Location`), mapped to the public URL. */
import { mapUrlReference, type UrlMapping } from './url-mapping.ts';

/**
 * A backend that is not configured to trust the gateway builds links from its own address
 * (the `Host` it sees is its own, see changeOrigin); clients must never be sent there. Links the
 * backend already builds on the public URL, and links to other hosts, are left as they are.
 */
export function rewriteLocation(value: string, mapping: UrlMapping): string {
  return mapUrlReference(value.trim(), mapping.backend, mapping.public) ?? value;
}
