/** The validated, frozen configuration every other part of the gateway receives. */
import type { LedgerDurability } from '../adapters/redis/ledger-write.ts';
import type { RedisConnection } from '../adapters/redis/redis-connection.ts';
import type { DialectChoice } from './dialect-choices.ts';
import type { FileConfig } from './file-schema.ts';

export type StateConfig =
  | { readonly kind: 'embedded'; readonly dataDir: string }
  | {
      readonly kind: 'redis';
      /** Standalone (URL), Sentinel or Cluster. */
      readonly connection: RedisConnection;
      readonly keyPrefix: string;
      readonly dataDir: string;
      /** Ledger writes wait for this many replicas (GATEWAY_REDIS_WAIT_*); replicas 0: no wait. */
      readonly ledgerDurability: LedgerDurability;
    };

/** One backend the gateway fronts: from GATEWAY_* alone (id `default`), or a `backends:` entry. */
export interface BackendConfig {
  readonly id: string;
  /** Base URL without trailing slash. */
  readonly url: string;
  /** What peers see for it, without trailing slash. */
  readonly publicUrl: string;
  readonly dialect: 'auto' | DialectChoice;
  /** Speaks modern OCM itself: passed through behind the peer policy, never translated. */
  readonly modern: boolean;
  /** Lower-case `host[:port]` values of the Host header routed to it (publicUrl's host first). */
  readonly publicHosts: readonly string[];
  /** Domains of its users' cloud IDs / OCM addresses (`alice@<domain>`). */
  readonly userDomains: readonly string[];
  /** Its internal listener (facade and forward proxy). */
  readonly internalPort: number;
  /** `facade.baseUrl` for it; undefined = loopback + internalPort. */
  readonly facadeBaseUrl: string | undefined;
}

export interface GatewayConfig extends Readonly<Omit<FileConfig, 'backends'>> {
  readonly listeners: {
    readonly host: string;
    readonly publicPort: number;
    readonly internalPort: number;
    readonly adminPort: number;
  };
  /** Absolute URL, as a string so the frozen config cannot be mutated through URL setters. */
  readonly publicUrl: string;
  readonly backendUrl: string;
  readonly backendDialect: 'auto' | DialectChoice;
  /** Every backend, in the order configured; one (`default`) outside multi-backend mode. */
  readonly backends: readonly BackendConfig[];
  /** True when the file lists `backends:`: the public listener routes by Host. */
  readonly multiBackend: boolean;
  readonly state: StateConfig;
  /** Encrypts ledger secrets at rest; undefined means "generate one in the data dir" (embedded only). */
  readonly ledgerKey: string | undefined;
  /** Keys the ledger key replaced: still read until the ledger is rewrapped (may be empty). */
  readonly ledgerPreviousKeys: readonly string[];
  readonly allowPrivatePeers: boolean;
  readonly egressCa: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly logLevel: 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug';
  /** Where the YAML part came from, for the start-up log line. */
  readonly configFile: string | undefined;
}
