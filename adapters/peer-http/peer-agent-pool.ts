/**
 * Keep-alive agents, one per peer origin, with bounded sockets. Pooled sockets stay connected to
 * the address that was checked when they were opened; idle agents beyond the bound are closed.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';

export interface PeerAgentPoolOptions {
  readonly maxSocketsPerOrigin: number;
  readonly maxOrigins: number;
  readonly extraCaCerts: readonly string[];
}

// How long an idle keep-alive socket is kept; peers' servers often close theirs after 5–15 s.
const FREE_SOCKET_TIMEOUT_MS = 4_000;

function isIdle(agent: HttpAgent): boolean {
  const busy = (map: NodeJS.ReadOnlyDict<unknown[]>): boolean =>
    Object.values(map).some((list) => list !== undefined && list.length > 0);
  return !busy(agent.sockets) && !busy(agent.requests);
}

export class PeerAgentPool {
  readonly #options: PeerAgentPoolOptions;
  readonly #agents = new Map<string, HttpAgent>();
  readonly #ca: string[] | undefined;

  constructor(options: PeerAgentPoolOptions) {
    this.#options = options;
    this.#ca =
      options.extraCaCerts.length === 0
        ? undefined
        : [...rootCertificates, ...options.extraCaCerts];
  }

  /** The agent for `origin` (`scheme://host:port`), most recently used last. */
  agentFor(origin: string, secure: boolean): HttpAgent {
    const existing = this.#agents.get(origin);
    if (existing !== undefined) {
      this.#agents.delete(origin);
      this.#agents.set(origin, existing);
      return existing;
    }
    const common = {
      keepAlive: true,
      maxSockets: this.#options.maxSocketsPerOrigin,
      maxTotalSockets: this.#options.maxSocketsPerOrigin,
      maxFreeSockets: Math.min(2, this.#options.maxSocketsPerOrigin),
      timeout: FREE_SOCKET_TIMEOUT_MS,
      scheduling: 'lifo' as const,
    };
    const agent = secure
      ? new HttpsAgent(this.#ca === undefined ? common : { ...common, ca: this.#ca })
      : new HttpAgent(common);
    this.#agents.set(origin, agent);
    this.#evict();
    return agent;
  }

  #evict(): void {
    for (const [origin, agent] of this.#agents) {
      if (this.#agents.size <= this.#options.maxOrigins) return;
      // Busy agents are skipped: closing one would cut another call in flight.
      if (isIdle(agent)) {
        agent.destroy();
        this.#agents.delete(origin);
      }
    }
  }

  get size(): number {
    return this.#agents.size;
  }

  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}
