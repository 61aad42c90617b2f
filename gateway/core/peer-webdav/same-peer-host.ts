/**
 * Whether two `host[:port]` spellings name the same peer: case-insensitive, and a default port
 * (443, 80) counts as no port, because the facade keeps a port as given while the forward proxy
 * drops the scheme's default.
 */
import { parseAuthority } from '../address/index.ts';

function canonical(hostPort: string): string | undefined {
  const parsed = parseAuthority(hostPort.trim(), 'peerHost');
  if (!parsed.ok) return undefined;
  const { host, port } = parsed.value;
  return port === undefined || port === 443 || port === 80 ? host : `${host}:${port}`;
}

export function samePeerHost(a: string, b: string): boolean {
  const left = canonical(a);
  return left !== undefined && left === canonical(b);
}
