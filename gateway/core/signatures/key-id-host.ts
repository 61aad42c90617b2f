/**
 * The host a signature key id belongs to. RFC 9421 OCM key ids look like `sender.example.org#key1`
 * (I-D-05 Appendix B); cavage ones like `https://nc.example.org/nextcloud/ocm#signature`
 * (Nextcloud) or a bare FQDN (the pre-1.2 pseudo-code, ocm-versions §13 item 10).
 */

const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/** Lower-case `host[:port]`, or undefined when the text names no host. */
export function hostOfKeyId(keyId: string): string | undefined {
  if (/^https?:\/\//i.test(keyId)) {
    try {
      const host = new URL(keyId).host;
      return host === '' ? undefined : host;
    } catch {
      return undefined;
    }
  }
  return normaliseHost(keyId.split('#')[0] ?? '');
}

/** `Host.Example.org:443`-style text to lower-case host[:port]; undefined when it is no host. */
export function normaliseHost(text: string): string | undefined {
  const host = text.trim().toLowerCase();
  return HOST.test(host) ? host : undefined;
}
