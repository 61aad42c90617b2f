/**
 * Where the gateway's own signing keys live (DESIGN §4): files in the data dir, generated on first
 * start, or a read-only mounted secret shared by every replica.
 * Failures reject with a GatewayError whose message names the directory and the problem, never
 * key material.
 */
import type { KeySet } from '../core/signatures/key-set.ts';
import type { KeyFamily } from '../core/signatures/signing-key.ts';

export interface KeyStore {
  /** A mounted secret: keys are loaded, never generated, rotated or pruned here. */
  readonly readOnly: boolean;

  /** Whether a key set exists yet; never generates one. */
  exists(): Promise<boolean>;

  /**
   * The key set. A writable store generates it when there is none (Ed25519 and RSA-2048, each
   * with an `active` and a `next` key); processes starting at once end up with the same single set.
   */
  load(now: number): Promise<KeySet>;

  /**
   * One rotation step for each of `families` (default all): next → active, active → retired
   * until `now + overlapMs`, a newly generated next; expired retired keys are pruned.
   */
  rotate(now: number, overlapMs: number, families?: readonly KeyFamily[]): Promise<KeySet>;

  /** Removes retired keys whose publication time is over. */
  prune(now: number): Promise<KeySet>;
}
