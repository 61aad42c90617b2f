/**
 * Per-host TLS contexts for intercepted connections: minted on first use, kept in a bounded LRU,
 * re-minted at half their lifetime, and minted once even when many connections ask at once.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import { BoundedLru } from '../memory/bounded-lru.ts';
import type { EgressCa } from './egress-ca.ts';
import {
  leafSubjectName,
  mintLeafCertificate,
  type LeafCertificate,
} from './mint-leaf-certificate.ts';

export interface LeafCertificateCacheOptions {
  readonly ca: EgressCa;
  /** Hosts whose contexts are kept. Default 1000. */
  readonly maxEntries?: number;
  /** Injected in tests. */
  readonly now?: () => Date;
}

interface Entry {
  readonly leaf: LeafCertificate;
  readonly context: SecureContext;
  /** When to mint a fresh one: half-way between issue and expiry. */
  readonly renewAt: number;
}

export class LeafCertificateCache {
  readonly #ca: EgressCa;
  readonly #now: () => Date;
  readonly #entries: BoundedLru<string, Entry>;
  readonly #inFlight = new Map<string, Promise<Entry>>();
  #minted = 0;

  constructor(options: LeafCertificateCacheOptions) {
    this.#ca = options.ca;
    this.#now = options.now ?? (() => new Date());
    this.#entries = new BoundedLru(options.maxEntries ?? 1_000);
  }

  /** Certificates minted so far (a reused context does not count). */
  get minted(): number {
    return this.#minted;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The leaf currently served for `host`, if one is cached. */
  peek(host: string): LeafCertificate | undefined {
    return this.#entries.get(leafSubjectName(host).value)?.leaf;
  }

  /** Rejects with a GatewayError when `host` is neither a DNS name nor an IP address. */
  async secureContextFor(host: string): Promise<SecureContext> {
    const key = leafSubjectName(host).value;
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached !== undefined && now.getTime() < cached.renewAt) return cached.context;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#mint(key, now).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return (await pending).context;
  }

  async #mint(host: string, now: Date): Promise<Entry> {
    const leaf = await mintLeafCertificate(this.#ca, host, now);
    this.#minted += 1;
    const context = createSecureContext({
      cert: `${leaf.certificatePem}\n${this.#ca.certificatePem}`,
      key: leaf.privateKeyPem,
    });
    const issued = now.getTime();
    const entry = { leaf, context, renewAt: issued + (leaf.notAfter.getTime() - issued) / 2 };
    this.#entries.set(host, entry);
    return entry;
  }
}
