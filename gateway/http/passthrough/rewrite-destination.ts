/** WebDAV request headers that carry public URLs, mapped to the backend (RFC 4918 §10.3 Destination, §10.4 If). */
import { mapUrlReference, type UrlMapping } from './url-mapping.ts';

/**
 * `Destination` of MOVE/COPY names the target on the PUBLIC host; the backend only recognises its
 * own base path, so a public URL is turned into the backend's. Any other host is left alone: the
 * backend then refuses a cross-server move itself (502 per RFC 4918), which is its call to make.
 */
export function rewriteDestination(value: string, mapping: UrlMapping): string {
  return mapUrlReference(value.trim(), mapping.public, mapping.backend) ?? value;
}

/**
 * Rewrites the resource tags (`<url>` outside parentheses) of an `If` header; state tokens
 * (`<opaquelocktoken:…>` inside parentheses) and entity tags (`[…]`) are left as they are.
 * A header this scanner cannot follow is returned unchanged: the backend judges it.
 */
export function rewriteIfHeader(value: string, mapping: UrlMapping): string {
  let result = '';
  let depth = 0;
  let index = 0;
  while (index < value.length) {
    const char = value.charAt(index);
    if (char === '[') {
      const end = entityTagEnd(value, index);
      if (end < 0) return value;
      result += value.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (char === '<') {
      const end = value.indexOf('>', index);
      if (end < 0) return value;
      const inner = value.slice(index + 1, end);
      const rewritten =
        depth === 0 ? (mapUrlReference(inner, mapping.public, mapping.backend) ?? inner) : inner;
      result += `<${rewritten}>`;
      index = end + 1;
      continue;
    }
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (depth < 0 || depth > 1) return value;
    result += char;
    index += 1;
  }
  return depth === 0 ? result : value;
}

/** Index of the `]` closing the entity tag opened at `start`; a quoted `]` does not close it. */
function entityTagEnd(value: string, start: number): number {
  let quoted = false;
  for (let index = start + 1; index < value.length; index += 1) {
    const char = value.charAt(index);
    if (char === '"') quoted = !quoted;
    else if (char === ']' && !quoted) return index;
  }
  return -1;
}
