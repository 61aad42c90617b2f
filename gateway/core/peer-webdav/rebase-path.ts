/**
 * Moves a URL path from one base to another (a peer's share root ⇄ the facade mount), comparing
 * segments after percent-decoding so `%7E` and `~` match; the part below the base is kept as given.
 */

function segment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `path` below `from` re-rooted at `to`; undefined when `path` is not `from` or below it. */
export function rebasePath(path: string, from: string, to: string): string | undefined {
  const base = from.replace(/\/+$/, '').split('/');
  const parts = path.split('/');
  if (parts.length < base.length) return undefined;
  for (let i = 0; i < base.length; i += 1) {
    if (segment(parts[i] ?? '') !== segment(base[i] ?? '')) return undefined;
  }
  const rest = parts.slice(base.length);
  const target = to.replace(/\/+$/, '');
  return rest.length === 0 ? target : `${target}/${rest.join('/')}`;
}

/**
 * An href or Location from the peer mapped into the facade: absolute URLs on the share's origin
 * and absolute paths below the share root; anything else (another origin, a relative reference,
 * a path outside the share) is left alone (undefined).
 */
export function peerHrefToFacade(
  href: string,
  peerBase: string,
  facadeBase: string,
): string | undefined {
  let base: URL;
  try {
    base = new URL(peerBase);
  } catch {
    return undefined;
  }
  let path = href;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(href)) {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      return undefined;
    }
    if (url.origin !== base.origin) return undefined;
    path = `${url.pathname}${url.search}`;
  } else if (!href.startsWith('/') || href.startsWith('//')) {
    return undefined;
  }
  const query = path.indexOf('?');
  const bare = query < 0 ? path : path.slice(0, query);
  const mapped = rebasePath(bare, base.pathname, facadeBase);
  return mapped === undefined ? undefined : `${mapped}${query < 0 ? '' : path.slice(query)}`;
}
