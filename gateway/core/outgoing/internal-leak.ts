/**
 * Privacy by construction (DESIGN §3, issue 9 item 5): the last check before anything leaves for
 * a peer. The authorities (`host:port`) of the backend and the facade must never appear in it.
 */

function authorityOf(url: URL): { host: string; authority: string; defaultPort: boolean } {
  const host = url.hostname.toLowerCase();
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return { host, authority: `${host}:${port}`, defaultPort: url.port === '' };
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * `host:port` of each internal URL, plus the bare host when the URL uses its scheme's default
 * port (it may then be written without one). What the public URL itself names is never listed.
 */
export function internalAuthorities(urls: readonly string[], publicUrl: string): string[] {
  const pub = parse(publicUrl);
  const ours = pub === undefined ? undefined : authorityOf(pub);
  const out = new Set<string>();
  for (const text of urls) {
    const url = parse(text);
    if (url === undefined) continue;
    const { host, authority, defaultPort } = authorityOf(url);
    if (authority !== ours?.authority) out.add(authority);
    if (defaultPort && host !== ours?.host) out.add(host);
  }
  return [...out];
}

function nameChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9.-]/.test(char);
}

/** Form bodies and URLs carry `host%3Aport`: they are searched decoded too. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/**
 * The first internal authority found in `text`, raw or percent-decoded (case-insensitive, on
 * name boundaries so `gw.internal:93001` or `xgw.internal` do not count); undefined when clean.
 */
export function findInternalAuthority(
  text: string,
  authorities: readonly string[],
): string | undefined {
  return (
    findIn(text.toLowerCase(), authorities) ?? findIn(decoded(text).toLowerCase(), authorities)
  );
}

function findIn(haystack: string, authorities: readonly string[]): string | undefined {
  for (const authority of authorities) {
    const withPort = /:[0-9]+$/.test(authority);
    for (let at = haystack.indexOf(authority); at >= 0; at = haystack.indexOf(authority, at + 1)) {
      const after = haystack[at + authority.length];
      const endOk = withPort ? !/[0-9]/.test(after ?? '') : !nameChar(after);
      if (!nameChar(haystack[at - 1]) && endOk) return authority;
    }
  }
  return undefined;
}
