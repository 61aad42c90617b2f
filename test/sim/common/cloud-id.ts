/** Federated cloud id handling as the legacy servers do it (legacy-protocols.md §5): split at the
 * last '@' before the first '/' or ':', remotes with or without scheme and sub-path. */

export interface CloudId {
  user: string;
  /** host[:port][/path], possibly with a scheme, never with a trailing slash. */
  remote: string;
}

function cleanRemote(s: string): string {
  return s
    .replace(/\\/g, '/')
    .replace(/\/index\.php.*$/, '')
    .replace(/\/+$/, '');
}

/** ownCloud ≥ 8.1 splitUserRemote / Nextcloud resolveCloudId. */
export function splitCloudId(id: string): CloudId | undefined {
  const cleaned = cleanRemote(id);
  const atAny = cleaned.indexOf('@');
  if (atAny === -1) return undefined;
  const firstSep = cleaned.search(/[/:]/);
  const limit = firstSep === -1 ? cleaned.length : firstSep;
  const at = cleaned.lastIndexOf('@', limit - 1);
  if (at <= 0) return undefined;
  const user = cleaned.slice(0, at);
  const remote = cleaned.slice(at + 1);
  if (remote === '' || user === '') return undefined;
  return { user, remote };
}

/** ownCloud 10 Address / OCM Address: split at the last '@' of the whole string. */
export function splitAtLastAt(id: string): CloudId | undefined {
  const at = id.lastIndexOf('@');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { user: id.slice(0, at), remote: cleanRemote(id.slice(at + 1)) };
}

export function hasScheme(remote: string): boolean {
  return /^https?:\/\//i.test(remote);
}

/** Base URLs to try for a remote: as given if it has a scheme, else one per scheme in order. */
export function remoteCandidates(remote: string, schemes: readonly string[]): string[] {
  const clean = cleanRemote(remote);
  if (hasScheme(clean)) return [clean];
  return schemes.map((s) => `${s}://${clean}`);
}

export function stripScheme(url: string): string {
  return cleanRemote(url.replace(/^https?:\/\//i, ''));
}

/** Nextcloud's display form: only https:// is stripped, so http:// remotes keep their scheme. */
export function stripHttpsOnly(url: string): string {
  return cleanRemote(url.replace(/^https:\/\//i, ''));
}

/** host[:port] of a URL or a scheme-less remote. */
export function hostOf(urlOrRemote: string): string {
  const withScheme = hasScheme(urlOrRemote) ? urlOrRemote : `https://${urlOrRemote}`;
  try {
    return new URL(withScheme).host;
  } catch {
    return '';
  }
}
