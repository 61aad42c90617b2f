/**
 * Recognises requests the backend sends through the proxy to the gateway itself (its `proxy`
 * setting covers every outgoing call, facade ones included): they are served in-process, never
 * sent out and back in.
 */
import { classifyAddress, formatIpAddress, parseIpAddress } from '../../core/network/index.ts';
import type { ProxyTarget } from './proxy-target.ts';

export type SelfKind = 'internal' | 'public';

export interface SelfTargetOptions {
  /** URLs known to reach the internal listener from config (facade.baseUrl, host + port). */
  readonly internalUrls: readonly string[];
  /** GATEWAY_PUBLIC_URL: its paths are the public app's, except the facade's `/peers/`. */
  readonly publicUrl?: string;
}

/** The address and port the proxy request arrived on: the internal listener as the client saw it. */
export interface LocalEndpoint {
  readonly address: string | undefined;
  readonly port: number | undefined;
}

function canonical(hostname: string): string {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  const ip = parseIpAddress(bare);
  return ip === undefined ? bare.toLowerCase().replace(/\.$/, '') : formatIpAddress(ip);
}

function urlKey(text: string): string {
  const url = new URL(text);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return `${canonical(url.hostname)}|${port}`;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || classifyAddress(hostname) === 'loopback';
}

export class SelfTargets {
  readonly #internal: ReadonlySet<string>;
  readonly #public: string | undefined;

  constructor(options: SelfTargetOptions) {
    this.#internal = new Set(options.internalUrls.map(urlKey));
    this.#public = options.publicUrl === undefined ? undefined : urlKey(options.publicUrl);
  }

  classify(target: ProxyTarget, local: LocalEndpoint): SelfKind | undefined {
    const host = canonical(target.hostname);
    const key = `${host}|${target.port}`;
    if (this.#internal.has(key)) return 'internal';
    if (target.port === local.port && local.address !== undefined) {
      const here = canonical(local.address.replace(/^::ffff:(?=\d)/, ''));
      // On loopback, every loopback spelling (localhost, ::1, 127.x) reaches this listener.
      if (host === here || (isLoopback(here) && isLoopback(host))) return 'internal';
    }
    if (key === this.#public) return target.pathname.startsWith('/peers/') ? 'internal' : 'public';
    return undefined;
  }
}
