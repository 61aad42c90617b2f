/**
 * The processes of the translated-share and notification scenarios: the bench backend (legacy
 * OCS), the bench OCM 1.3 peer, a whole gateway on embedded state and one on Redis (when Redis
 * answers), and the load generator holding the peer's signing key. Stopping them also deletes the
 * Redis gateway's keys.
 */
import type { RequestsResult } from '../children/load-child.ts';
import type { PostKind } from '../children/federation-requests.ts';
import type { BenchChild } from '../child-fleet.ts';
import {
  benchKeyPrefix,
  deleteBenchKeys,
  FEDERATION_GATEWAY_YAML,
  newShareSecret,
  redisProblem,
  startPeer,
  type RunningPeer,
} from './federation-rig.ts';
import type { ScenarioContext } from './scenario-context.ts';
import {
  startBackend,
  startGatewayChild,
  startLoadGenerator,
  type RunningGatewayChild,
  type RunningServer,
} from './start-bench-servers.ts';

const CALL_TIMEOUT_MS = 180_000;

export interface FederationServers {
  readonly backend: RunningServer;
  readonly peer: RunningPeer;
  readonly embedded: RunningGatewayChild;
  /** Undefined when Redis did not answer (`redisProblem` says why). */
  readonly redis: RunningGatewayChild | undefined;
  readonly redisProblem: string | null;
  readonly redisKeyPrefix: string;
  readonly load: BenchChild;
  /** Sends `count` requests of a kind (built and signed before the clock starts). */
  posts(request: PostRequest): Promise<RequestsResult>;
  /** The backend's OCS calls so far, by action (`create`, `unshare`, …). */
  ocsCalls(): Promise<Record<string, number>>;
  /** Stops every process, then deletes the Redis gateway's keys; returns how many. */
  stop(): Promise<number>;
}

export interface PostRequest {
  readonly kind: PostKind;
  /** A gateway (its public origin) or the backend. */
  readonly origin: string;
  readonly path: string;
  readonly first: number;
  readonly count: number;
  readonly tag: string;
  /** `bob@<gateway host>`: the backend user the shares go to. */
  readonly recipient: string;
  readonly concurrency: number;
  readonly expectStatus: number;
}

export function recipientAt(gatewayOrigin: string): string {
  return `bob@${new URL(gatewayOrigin).host}`;
}

export async function startFederationServers(
  context: ScenarioContext,
  role: string,
): Promise<FederationServers> {
  const { fleet, progress } = context;
  const started: BenchChild[] = [];
  const redisKeyPrefix = benchKeyPrefix();
  let redisStarted = false;
  const stop = async (): Promise<number> => {
    await Promise.all(started.map((child) => child.stop()));
    return redisStarted ? deleteBenchKeys(context.redisUrl, redisKeyPrefix) : 0;
  };
  try {
    progress.update('starting backend, OCM peer, gateways, load generator…');
    const backend = await startBackend(fleet, 1024);
    started.push(backend.child);
    // The peer's WebDAV is not read here: any secret will do.
    const peer = await startPeer(fleet, newShareSecret());
    started.push(peer.child);
    const gatewayOptions = {
      backendOrigin: backend.origin,
      tmpDir: context.tmpDir,
      allowPrivatePeers: true,
      configYaml: FEDERATION_GATEWAY_YAML,
    };
    const embedded = await startGatewayChild(fleet, {
      ...gatewayOptions,
      role: `${role}-embedded`,
    });
    started.push(embedded.child);
    const problem = await redisProblem(context.redisUrl);
    let redis: RunningGatewayChild | undefined;
    if (problem === null) {
      redisStarted = true;
      redis = await startGatewayChild(fleet, {
        ...gatewayOptions,
        role: `${role}-redis`,
        redis: { url: context.redisUrl, keyPrefix: redisKeyPrefix },
      });
      started.push(redis.child);
    }
    const load = await startLoadGenerator(fleet);
    started.push(load);
    await load.call('set-signer', { keyId: peer.keyId, privateKeyPem: peer.privateKeyPem }, 10_000);
    return {
      backend,
      peer,
      embedded,
      redis,
      redisProblem: problem,
      redisKeyPrefix,
      load,
      async posts(request) {
        const { concurrency, expectStatus, ...spec } = request;
        const result = await load.call<RequestsResult>(
          'posts',
          { ...spec, peerHost: peer.host, concurrency, expectStatus },
          CALL_TIMEOUT_MS,
        );
        if (result.errors > 0) {
          throw new Error(
            `${result.errors} of ${request.count} ${request.kind} requests to ${request.origin}${request.path} failed: ${result.firstError ?? '?'}`,
          );
        }
        return result;
      },
      ocsCalls: () => backend.child.call<Record<string, number>>('ocs-calls', {}, 10_000),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
