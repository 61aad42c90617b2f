/** Wall-clock time in epoch milliseconds, injected so tests can move time without sleeping. */
export type Clock = () => number;
