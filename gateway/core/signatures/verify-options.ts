/** What a verifier needs from its caller: the time, a key lookup and the accepted time window. */
import type { KeyObject } from 'node:crypto';
import {
  verificationFailure,
  type SignatureScheme,
  type VerificationFailure,
} from './verification-result.ts';

export interface VerifyOptions {
  /** Epoch milliseconds. */
  readonly now: number;
  /**
   * The public key for a key id: from the peer's JWKS or discovery `publicKeys[]` (RFC 9421),
   * or its discovery `publicKey` (cavage). Undefined when the peer publishes no such key; a
   * rejection means the lookup itself failed (reported as `key-unavailable`).
   */
  readonly resolveKey: (keyId: string, scheme: SignatureScheme) => Promise<KeyObject | undefined>;
  /** How old `created` / `Date` may be. Default 300 s, as Nextcloud. */
  readonly freshnessSeconds?: number;
  /** How far ahead of our clock `created` / `Date` may be. Default 60 s. */
  readonly maxFutureSkewSeconds?: number;
}

export const DEFAULT_FRESHNESS_SECONDS = 300;
export const DEFAULT_MAX_FUTURE_SKEW_SECONDS = 60;

/** Stale or future timestamp → a failure; in the window → undefined. */
export function checkTimestamp(
  what: string,
  epochSeconds: number,
  options: VerifyOptions,
  context: { scheme: SignatureScheme; keyId?: string },
): VerificationFailure | undefined {
  const nowSeconds = Math.floor(options.now / 1000);
  const freshness = options.freshnessSeconds ?? DEFAULT_FRESHNESS_SECONDS;
  const skew = options.maxFutureSkewSeconds ?? DEFAULT_MAX_FUTURE_SKEW_SECONDS;
  if (nowSeconds - epochSeconds > freshness) {
    return verificationFailure(
      'stale',
      `${what} is ${nowSeconds - epochSeconds} s old; at most ${freshness} s is accepted`,
      context,
    );
  }
  if (epochSeconds - nowSeconds > skew) {
    return verificationFailure(
      'future',
      `${what} is ${epochSeconds - nowSeconds} s ahead of our clock; at most ${skew} s is accepted`,
      context,
    );
  }
  return undefined;
}

/** Resolves the key, turning "none" and "lookup failed" into typed failures. */
export async function lookUpKey(
  options: VerifyOptions,
  keyId: string,
  scheme: SignatureScheme,
): Promise<KeyObject | VerificationFailure> {
  let key: KeyObject | undefined;
  try {
    key = await options.resolveKey(keyId, scheme);
  } catch {
    return verificationFailure('key-unavailable', `the key "${keyId}" could not be fetched`, {
      scheme,
      keyId,
    });
  }
  return (
    key ??
    verificationFailure('unknown-key', `no published key has the id "${keyId}"`, { scheme, keyId })
  );
}
