/** Per-request bookkeeping of the pass-through: reports each exchange's failure exactly once. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  PassthroughEvent,
  PassthroughOutcome,
  PassthroughRequestInfo,
} from './passthrough-event.ts';

interface Exchange {
  readonly info: PassthroughRequestInfo;
  settled: boolean;
}

export class ExchangeTracker {
  readonly #exchanges = new WeakMap<IncomingMessage, Exchange>();
  readonly #onEvent: ((event: PassthroughEvent) => void) | undefined;

  constructor(onEvent: ((event: PassthroughEvent) => void) | undefined) {
    this.#onEvent = onEvent;
  }

  begin(req: IncomingMessage, res: ServerResponse, info: PassthroughRequestInfo): void {
    this.#exchanges.set(req, { info, settled: false });
    // A response closed before it finished, with no upstream failure settled first, means the
    // client left; httpxy aborts the backend request on the same signal.
    res.once('close', () => {
      if (!res.writableFinished) this.settle(req, { kind: 'client-aborted' });
    });
  }

  /** Records the outcome; false when this exchange was already settled (then do nothing more). */
  settle(req: IncomingMessage, outcome: PassthroughOutcome): boolean {
    const exchange = this.#exchanges.get(req);
    if (exchange === undefined || exchange.settled) return false;
    exchange.settled = true;
    this.#emit({ ...exchange.info, ...outcome });
    return true;
  }

  #emit(event: PassthroughEvent): void {
    try {
      this.#onEvent?.(event);
    } catch {
      // The observer is logging or metrics; a fault there must not break the proxied exchange.
    }
  }
}
