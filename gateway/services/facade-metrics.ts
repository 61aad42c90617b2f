/**
 * What flows 2 and 4 count (issue 9): calls to peers on the backend's behalf and outbox
 * deliveries. The composition root implements it over prom-client (create-metrics.ts).
 */

export type PeerCallKind = 'share' | 'notification';
export type PeerCallResult = 'delivered' | 'queued' | 'refused' | 'failed' | 'relayed';
export type OutboxResult = 'delivered' | 'retried' | 'rejected' | 'superseded' | 'gave_up';

export interface FacadeMetrics {
  peerCall(call: PeerCallKind, result: PeerCallResult): void;
  outbox(result: OutboxResult): void;
}

export const NO_FACADE_METRICS: FacadeMetrics = {
  peerCall: () => undefined,
  outbox: () => undefined,
};
