/** A clock the test moves by hand, so expiry is tested without sleeping. */
import type { Clock } from '../../gateway/ports/clock.ts';

export class ManualClock {
  #now: number;

  constructor(start = Date.now()) {
    this.#now = start;
  }

  /** Pass this to adapters. */
  readonly now: Clock = () => this.#now;

  advance(ms: number): void {
    this.#now += ms;
  }
}
