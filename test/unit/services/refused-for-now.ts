/** A store call that the store refuses as UNAVAILABLE (503) for its first `times` calls, then makes. */
import { GatewayError } from '../../../gateway/core/errors/gateway-error.ts';

export function refusedForNow<A extends unknown[], R>(
  times: number,
  call: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let refusals = times;
  return (...args) => {
    if (refusals > 0) {
      refusals -= 1;
      return Promise.reject(new GatewayError('UNAVAILABLE', 'failover', { retryAfterSeconds: 5 }));
    }
    return call(...args);
  };
}
