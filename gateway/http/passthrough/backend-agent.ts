/** The keep-alive connection pool toward the backend, with a deadline on opening each connection. */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { CONNECT_TIMEOUT_CODE, UpstreamTimeoutError } from './upstream-error.ts';

export interface BackendAgentOptions {
  readonly backendUrl: URL;
  readonly connectTimeoutMs: number;
  readonly maxSockets: number;
}

// Idle pooled sockets are dropped before common backend keep-alive timeouts (Apache: 5 s) close
// them, so a request is rarely written into a socket the backend is closing (a spurious 502).
// node also honours the backend's own `Keep-Alive: timeout=` hint.
const FREE_SOCKET_TIMEOUT_MS = 4000;

/**
 * node's Agent has no connect timeout (its `timeout` is an idle timeout), so new sockets get a
 * timer that destroys them unless connected (TCP, and TLS for https) within `connectTimeoutMs`.
 * Reused keep-alive sockets are already connected and never pass here.
 */
export function createBackendAgent(options: BackendAgentOptions): http.Agent {
  const secure = options.backendUrl.protocol === 'https:';
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    maxFreeSockets: Math.min(64, options.maxSockets),
    timeout: FREE_SOCKET_TIMEOUT_MS,
    scheduling: 'lifo' as const,
  };
  const agent = secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const baseCreateConnection = agent.createConnection.bind(agent);
  agent.createConnection = (connectOptions, callback) => {
    const socket = baseCreateConnection(connectOptions, callback);
    if (socket instanceof net.Socket) {
      // The agent's `timeout` is meant for idle pooled sockets (it is re-applied when a socket is
      // released); while connecting, only the connect deadline below may apply.
      socket.setTimeout(0);
      armConnectTimeout(socket, secure ? 'secureConnect' : 'connect', options);
    }
    return socket;
  };
  return agent;
}

function armConnectTimeout(
  socket: net.Socket,
  readyEvent: string,
  options: BackendAgentOptions,
): void {
  const timer = setTimeout(() => {
    socket.destroy(new UpstreamTimeoutError(CONNECT_TIMEOUT_CODE, options.connectTimeoutMs));
  }, options.connectTimeoutMs);
  const clear = (): void => {
    clearTimeout(timer);
    socket.off(readyEvent, clear);
    socket.off('close', clear);
  };
  socket.once(readyEvent, clear);
  socket.once('close', clear);
}
