/**
 * Refuses a signature seen before within its freshness window: a captured request replayed to us
 * (or to another replica, through the shared short-lived store) is turned away as `replayed`.
 */
import { DEFAULT_FRESHNESS_SECONDS, DEFAULT_MAX_FUTURE_SKEW_SECONDS } from './verify-options.ts';
import {
  verificationFailure,
  type VerificationResult,
  type VerifiedSignature,
} from './verification-result.ts';

/** Structurally the `remember` method of the ShortLivedStore port (core may not import ports). */
export interface NonceStore {
  /** True the first time `key` is seen within `ttlMs`, false for every repeat. */
  remember(key: string, ttlMs: number): Promise<boolean>;
}

export interface ReplayGuardOptions {
  readonly freshnessSeconds?: number;
  readonly maxFutureSkewSeconds?: number;
  /** Namespaces the keys in a store shared with other uses. */
  readonly keyPrefix?: string;
}

export class ReplayGuard {
  readonly #store: NonceStore;
  readonly #ttlMs: number;
  readonly #prefix: string;

  constructor(store: NonceStore, options: ReplayGuardOptions = {}) {
    this.#store = store;
    // A signature verifies while `created` is up to the skew ahead or the freshness window behind:
    // remembering it that long covers every moment it could be accepted again.
    const seconds =
      (options.freshnessSeconds ?? DEFAULT_FRESHNESS_SECONDS) +
      (options.maxFutureSkewSeconds ?? DEFAULT_MAX_FUTURE_SKEW_SECONDS);
    this.#ttlMs = seconds * 1000;
    this.#prefix = options.keyPrefix ?? 'sig-replay:';
  }

  /**
   * The signature again when first seen, `replayed` on every repeat. A store outage rejects with
   * the store's GatewayError (UNAVAILABLE + Retry-After): the peer retries rather than us
   * accepting an unchecked request.
   */
  async admit(verified: VerifiedSignature): Promise<VerificationResult> {
    const first = await this.#store.remember(`${this.#prefix}${verified.replayKey}`, this.#ttlMs);
    if (first) return verified;
    return verificationFailure('replayed', 'this signature was already used', {
      scheme: verified.scheme,
      keyId: verified.keyId,
    });
  }
}
