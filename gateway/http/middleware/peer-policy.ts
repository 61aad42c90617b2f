/**
 * Refuses federation callers the operator's policy denies (issue 6 item 4) with 403 in the caller's
 * dialect, logging one line with the reason. Routes whose caller host is only known from the body
 * (legacy OCS, unsigned OCM) MUST call `confirmPeerHost` once they have read the sender.
 */
import type { Request, RequestHandler } from 'express';
import { GatewayError } from '../../core/errors/gateway-error.ts';
import type { IpNetwork } from '../../core/network/cidr.ts';
import {
  evaluatePeerPolicy,
  type PeerCaller,
  type PeerPolicy,
  type PeerVerdict,
} from '../../core/policy/peer-policy.ts';
import type { GatewayMetrics } from '../../observability/create-metrics.ts';
import type { Logger } from '../../ports/logger.ts';
import { callerOf } from './peer-policy-caller.ts';

export interface PeerPolicyOptions {
  readonly policy: PeerPolicy;
  readonly trustedProxies: readonly IpNetwork[];
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

interface Decision {
  readonly options: PeerPolicyOptions;
  readonly caller: PeerCaller;
  readonly verdict: PeerVerdict;
}

const decisions = new WeakMap<Request, Decision>();

/** The message every refused caller gets; the precise rule is only in our log. */
const REFUSAL = 'This server does not accept federation requests from you.';

export function peerPolicy(options: PeerPolicyOptions): RequestHandler {
  return (req, res, next) => {
    const caller = callerOf(req, options.trustedProxies);
    const verdict = evaluatePeerPolicy(caller, options.policy);
    decisions.set(req, { options, caller, verdict });
    if (verdict.kind !== 'deny') {
      next();
      return;
    }
    refuse(options, verdict, caller, res.locals.requestId);
    next(new GatewayError('FORBIDDEN', REFUSAL));
  };
}

/** What peerPolicy decided for this request (undefined when it did not run). */
export function peerVerdictOf(req: Request): PeerVerdict | undefined {
  return decisions.get(req)?.verdict;
}

/**
 * Decides again with the host the route learnt from the body (OCS `remote`, OCM `sender`, …).
 * Throws FORBIDDEN when that host is denied; also when peerPolicy did not run, so a route wired
 * without its guard fails closed instead of admitting everyone.
 */
export function confirmPeerHost(req: Request, host: string): void {
  const decision = decisions.get(req);
  if (decision === undefined) {
    throw new GatewayError('INTERNAL', 'peer policy was not evaluated for this route');
  }
  const caller = { host, address: decision.caller.address };
  let verdict = evaluatePeerPolicy(caller, decision.options.policy);
  // The route asked with a host; "still need a host" can only mean it was not a valid one.
  if (verdict.kind === 'needs-host') {
    verdict = { kind: 'deny', reason: 'not-allowed', detail: `"${host}" is not a valid host` };
  }
  decisions.set(req, { ...decision, caller, verdict });
  if (verdict.kind === 'deny') {
    const requestId: unknown = req.res?.locals.requestId;
    refuse(decision.options, verdict, caller, requestId);
    throw new GatewayError('FORBIDDEN', REFUSAL);
  }
}

function refuse(
  options: PeerPolicyOptions,
  verdict: Extract<PeerVerdict, { kind: 'deny' }>,
  caller: PeerCaller,
  requestId: unknown,
): void {
  options.metrics.requestsRefused.inc({ guard: 'peer-policy', reason: verdict.reason });
  options.logger.info('peer refused by policy', {
    requestId,
    reason: verdict.reason,
    detail: verdict.detail,
    peerHost: caller.host,
    clientAddress: caller.address,
  });
}
