/** The validated, frozen configuration every other part of the gateway receives. */
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
    };

export interface GatewayConfig extends Readonly<FileConfig> {
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
  readonly state: StateConfig;
  /** Encrypts ledger secrets at rest; undefined means "generate one in the data dir" (embedded only). */
  readonly ledgerKey: string | undefined;
  readonly allowPrivatePeers: boolean;
  readonly egressCa: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly logLevel: 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug';
  /** Where the YAML part came from, for the start-up log line. */
  readonly configFile: string | undefined;
}
