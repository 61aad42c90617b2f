/** `Set-Cookie` attributes scoped to the backend's address, re-scoped to the public URL (RFC 6265 §5.2). */
import { mapPathPrefix, type UrlMapping } from './url-mapping.ts';

/**
 * `Path=/nextcloud` from a backend on a sub-path would make browsers withhold the cookie from the
 * public paths, and `Domain=<backend host>` would be rejected by them; both are re-scoped. Other
 * attributes and cookies for other paths or domains pass unchanged.
 */
export function rewriteSetCookie(value: string, mapping: UrlMapping, backendHost: string): string {
  const [pair = '', ...attributes] = value.split(';');
  const kept: string[] = [];
  for (const attribute of attributes) {
    const separator = attribute.indexOf('=');
    const name = (separator < 0 ? attribute : attribute.slice(0, separator)).trim().toLowerCase();
    const attributeValue = separator < 0 ? '' : attribute.slice(separator + 1).trim();
    if (name === 'path') {
      const mapped = mapPathPrefix(attributeValue, mapping.backend.prefix, mapping.public.prefix);
      kept.push(mapped === undefined ? attribute : `${attribute.slice(0, separator + 1)}${mapped}`);
    } else if (name === 'domain' && sameHost(attributeValue, backendHost)) {
      continue;
    } else {
      kept.push(attribute);
    }
  }
  return [pair, ...kept].join(';');
}

function sameHost(domain: string, host: string): boolean {
  return domain.replace(/^\./, '').toLowerCase() === host.toLowerCase();
}
