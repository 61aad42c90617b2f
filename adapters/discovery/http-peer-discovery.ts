/**
 * Discovery of a peer over HTTP (issue 5): `/.well-known/ocm`, `/ocm-provider`, `/ocm-provider/`,
 * then legacy `/ocs-provider/` and `/status.php`, https first, every call through the guarded peer
 * client (SSRF guard, pinned addresses, ≤ 3 same-site redirects, timeouts, size cap).
 */
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import {
  canonicalHost,
  hostListMatches,
  parseHostList,
  type HostPattern,
} from '../../gateway/core/network/index.ts';
import type {
  DiscoveryFailure,
  DiscoveryOutcome,
  PeerDiscovery,
  PeerReference,
} from '../../gateway/ports/peer-discovery.ts';
import type { PeerHttpClient, PeerJsonResponse } from '../../gateway/ports/peer-http.ts';
import { discoverySchemes, OCM_STEPS, schemePlan, type SchemePlan } from './discovery-plan.ts';
import { isSuccess, requestDiscoveryDocument } from './discovery-request.ts';
import { wantsJwks, withPeerJwks } from './fetch-peer-jwks.ts';
import { found, type SchemeEnd, type Walk } from './discovery-walk.ts';
import { legacyStep } from './legacy-discovery-step.ts';
import { normaliseOcmDocument } from './normalise-ocm-document.ts';

export interface HttpPeerDiscoveryOptions {
  readonly client: PeerHttpClient;
  /** May plain http be tried for this peer (GATEWAY_ALLOW_PRIVATE_PEERS, `peers[].allowHttp`)? */
  readonly allowHttp: (peer: PeerReference) => boolean;
  /** Body cap per document (`limits.discoveryResponseBytes`). Default 256 KiB. */
  readonly maxResponseBytes?: number;
  /** Time for the whole discovery of one peer, every URL tried. Default 20 000 ms. */
  readonly budgetMs?: number;
  /** `host` / `host:port` never discovered (`policy.denyHosts`). */
  readonly deniedHosts?: readonly string[];
}

export function createHttpPeerDiscovery(options: HttpPeerDiscoveryOptions): PeerDiscovery {
  const maxBytes = options.maxResponseBytes ?? 256 * 1024;
  const budgetMs = options.budgetMs ?? 20_000;
  const denied = parseHostList(options.deniedHosts ?? [], 'deniedHosts');
  if (denied.issues.length > 0) {
    throw new GatewayError('INVALID_REQUEST', 'deniedHosts has entries that are not hosts', {
      issues: denied.issues,
    });
  }
  return {
    async discover(peer, discoverOptions = {}) {
      if (isDenied(denied.patterns, peer)) {
        return {
          ok: false,
          failure: {
            reason: 'refused',
            code: 'FORBIDDEN',
            message: `${peer.key} is on the deny list (policy.denyHosts)`,
          },
          attempts: [],
        };
      }
      const budget = AbortSignal.timeout(budgetMs);
      const caller = discoverOptions.signal;
      const signal = caller === undefined ? budget : AbortSignal.any([caller, budget]);
      const walk: Walk = {
        peer,
        client: options.client,
        maxBytes,
        signal,
        attempts: [],
        timeouts: 0,
      };
      let answered = false;
      let disabled = false;
      let maintenance = false;
      try {
        for (const scheme of discoverySchemes(peer, options.allowHttp(peer))) {
          const end = await walkScheme(walk, schemePlan(peer, scheme));
          if (end.kind === 'found') return end.outcome;
          if (end.kind === 'fatal') return failed(walk, end.failure);
          if (end.kind === 'exhausted') {
            // The peer speaks this scheme: falling back to plain http would only be a downgrade.
            answered = true;
            disabled = end.disabled;
            maintenance = end.maintenance;
            break;
          }
        }
      } catch {
        return failed(walk, {
          reason: 'unreachable',
          code: 'INTERNAL',
          message: `discovery of ${peer.key} failed unexpectedly`,
        });
      }
      return failed(walk, summarise(walk, { answered, disabled, maintenance }));
    },
  };
}

function isDenied(patterns: readonly HostPattern[], peer: PeerReference): boolean {
  const host = canonicalHost(peer.host);
  if (host === undefined) return false;
  // A pattern without a port denies every port; the default port matches a port-less reference.
  const ports = peer.port === undefined ? [443, 80] : [peer.port];
  return ports.some((port) => hostListMatches(patterns, host, port));
}

function failed(walk: Walk, failure: DiscoveryFailure): DiscoveryOutcome {
  return { ok: false, failure, attempts: walk.attempts };
}

function summarise(
  walk: Walk,
  seen: { answered: boolean; disabled: boolean; maintenance: boolean },
): DiscoveryFailure {
  const key = walk.peer.key;
  const tried = `${walk.attempts.length} URL${walk.attempts.length === 1 ? '' : 's'} tried`;
  if (seen.disabled) {
    return {
      reason: 'disabled',
      code: 'NOT_IMPLEMENTED',
      message: `${key} has federated sharing switched off (${tried})`,
    };
  }
  if (seen.maintenance) {
    return { reason: 'unreachable', code: 'UNAVAILABLE', message: `${key} is in maintenance mode` };
  }
  if (seen.answered && walk.timeouts < walk.attempts.length) {
    return {
      reason: 'no-document',
      code: 'NOT_FOUND',
      message: `${key} serves no OCM or legacy discovery document (${tried})`,
    };
  }
  if (walk.timeouts > 0) {
    return {
      reason: 'timeout',
      code: 'UPSTREAM_TIMEOUT',
      message: `${key} did not answer in time`,
    };
  }
  const last = walk.attempts.at(-1)?.detail;
  return {
    reason: 'unreachable',
    code: 'UPSTREAM_UNREACHABLE',
    message: `${key} could not be reached${last === undefined ? '' : `: ${last}`}`,
  };
}

async function walkScheme(walk: Walk, plan: SchemePlan): Promise<SchemeEnd> {
  let answered = false;
  let ocmDisabled = false;
  for (const { step, url } of plan.steps) {
    if (ocmDisabled && OCM_STEPS.has(step)) continue;
    const got = await requestDiscoveryDocument({ ...walk, url });
    if (!got.ok) {
      walk.attempts.push({ url, outcome: 'failed', detail: got.message });
      if (got.failure === 'timeout') walk.timeouts += 1;
      switch (got.verdict) {
        case 'refused':
          return {
            kind: 'fatal',
            failure: { reason: 'refused', code: got.code, message: got.message },
          };
        case 'out-of-time':
          return {
            kind: 'fatal',
            failure: {
              reason: 'timeout',
              code: 'UPSTREAM_TIMEOUT',
              message: `discovery of ${walk.peer.key} ran out of time`,
            },
          };
        case 'no-such-host':
          return {
            kind: 'fatal',
            failure: { reason: 'unreachable', code: got.code, message: got.message },
          };
        case 'scheme-unreachable':
          if (!answered) return { kind: 'unreachable' };
          continue;
        case 'url-failed':
          answered = true;
          continue;
      }
    }
    answered = true;
    const res = got.response;
    if (!isSuccess(res.status)) {
      walk.attempts.push({
        url,
        outcome: 'http-error',
        status: res.status,
        detail: `HTTP ${res.status}`,
      });
      continue;
    }
    if (res.json === undefined) {
      walk.attempts.push({
        url,
        outcome: 'not-a-document',
        status: res.status,
        detail: notJson(res),
      });
      continue;
    }
    if (OCM_STEPS.has(step)) {
      const result = normaliseOcmDocument(res.json, {
        peer: walk.peer,
        baseUrl: plan.baseUrl,
        documentUrl: res.url,
        mustDescribeBase: step === 'well-known' && walk.peer.path !== '',
      });
      if (result.kind === 'ok') {
        walk.attempts.push({ url, outcome: 'document', status: res.status });
        const capabilities = wantsJwks(result.capabilities)
          ? await withPeerJwks(result.capabilities, res.url, walk)
          : result.capabilities;
        return { kind: 'found', outcome: found(walk, capabilities, res) };
      }
      if (result.kind === 'disabled') {
        walk.attempts.push({
          url,
          outcome: 'disabled',
          status: res.status,
          detail: 'enabled is false',
        });
        ocmDisabled = true;
      } else {
        const outcome = result.kind === 'foreign' ? 'ignored' : 'not-a-document';
        walk.attempts.push({ url, outcome, status: res.status, detail: result.detail });
      }
      continue;
    }
    const legacy = await legacyStep(walk, plan, step, url, res);
    if (legacy !== undefined) return legacy;
  }
  if (!answered) return { kind: 'unreachable' };
  const disabled = walk.attempts.some((a) => a.outcome === 'disabled');
  const maintenance = walk.attempts.some((a) => a.detail === 'in maintenance mode');
  return { kind: 'exhausted', disabled, maintenance };
}

function notJson(res: PeerJsonResponse): string {
  const type = res.headers['content-type'];
  const shown = typeof type === 'string' ? type.split(';')[0]?.trim() : undefined;
  return `the body is not JSON${shown === undefined || shown === '' ? '' : ` (${shown})`}`;
}
