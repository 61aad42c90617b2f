/**
 * WebSocket upgrades on the public listener: the ones the pass-through lane would take as plain
 * requests (hardening passes them, no federation route's path, a backend serves them) are relayed
 * to the backend as tunnels (websocket-tunnel.ts), within `limits.websocketTunnels` in all and
 * `limits.websocketTunnelsPerAddress` from one client address; a tunnel silent both ways for
 * `limits.websocketIdleSeconds` is closed. Any other
 * upgrade — on a federation path, refused by hardening, or not `websocket` (h2c…) — is declined
 * and served as an ordinary request, which loses its `Upgrade` header on the way.
 */
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IpNetwork } from '../core/network/cidr.ts';
import { resolveClientAddress } from '../core/policy/client-address.ts';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import type { Logger } from '../ports/logger.ts';
import { adoptTarget } from './middleware/request-hardening.ts';
import { requestIdFrom } from './middleware/request-id.ts';
import { isWebSocketUpgrade } from './passthrough/websocket-tunnel.ts';
import { laneChoiceOf, type LaneChoice, type LaneChooser } from './passthrough-lane.ts';
import type { UpgradeHandler } from './start-listener.ts';
import { WebSocketSlots, type SlotRefusal } from './websocket-slots.ts';

/** The tunnel limits, read per handshake (config `limits`, changed live by a reload). */
export interface WebSocketLimits {
  /** Open tunnels at most (`websocketTunnels`); 0 refuses all. */
  readonly websocketTunnels: number;
  /** Open tunnels at most from one client address (`websocketTunnelsPerAddress`); 0 refuses all. */
  readonly websocketTunnelsPerAddress: number;
  /** Seconds without a byte either way before a tunnel is closed (`websocketIdleSeconds`); 0: never. */
  readonly websocketIdleSeconds: number;
}

export interface WebSocketUpgradeOptions {
  readonly choose: LaneChooser;
  readonly limits: () => WebSocketLimits;
  /** Proxies whose X-Forwarded-For names the client (config `proxy.trustedProxies`). */
  readonly trustedProxies: readonly IpNetwork[];
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

/** Per refusal: the log line, and the body of the 503 the client gets. */
const REFUSALS: Record<SlotRefusal, { readonly log: string; readonly body: string }> = {
  'too-many-tunnels': {
    log: 'websocket refused: tunnel limit reached',
    body: JSON.stringify({
      message: 'TOO_MANY_CONNECTIONS',
      detail: 'This server holds as many live connections as it may; retry later.',
    }),
  },
  'too-many-from-address': {
    log: 'websocket refused: tunnel limit of the client address reached',
    body: JSON.stringify({
      message: 'TOO_MANY_CONNECTIONS',
      detail: 'Your address holds as many live connections as it may; close one or retry later.',
    }),
  },
};

export function websocketUpgrade(options: WebSocketUpgradeOptions): UpgradeHandler {
  const { logger, metrics } = options;
  const chosen = new WeakMap<IncomingMessage, { choice: LaneChoice; target: string }>();
  const slots = new WebSocketSlots();
  return {
    accepts: (req) => {
      if (!isWebSocketUpgrade(req)) return false;
      const picked = laneChoiceOf(req, options.choose);
      if (picked === undefined) return false;
      chosen.set(req, picked);
      return true;
    },
    handle: (req, socket, head) => {
      const picked = chosen.get(req);
      if (picked === undefined) {
        socket.destroy();
        return;
      }
      const { choice, target } = picked;
      adoptTarget(req, target);
      const requestId = requestIdFrom(req.headers);
      req.headers['x-request-id'] = requestId;
      const fields = {
        requestId,
        listener: 'public',
        method: 'GET',
        path: target,
        route: 'websocket',
        remoteAddress: req.socket.remoteAddress,
        userAgent: req.headers['user-agent'],
      };
      const limits = options.limits();
      const address =
        resolveClientAddress(
          req.socket.remoteAddress,
          req.headers['x-forwarded-for'],
          options.trustedProxies,
        ) ?? 'unknown';
      const refused = slots.take(
        address,
        limits.websocketTunnels,
        limits.websocketTunnelsPerAddress,
      );
      if (refused !== undefined) {
        metrics.requestsRefused.inc({ guard: 'websocket', reason: refused });
        logger.warn(REFUSALS[refused].log, {
          ...fields,
          clientAddress: address,
          open: slots.count(refused === 'too-many-tunnels' ? undefined : address),
        });
        refuseBusy(socket, REFUSALS[refused].body);
        return;
      }
      metrics.websocketTunnels.inc();
      const started = Date.now();
      let status = 0;
      let closedIdle = false;
      socket.once('close', () => {
        slots.release(address);
        metrics.websocketTunnels.dec();
        const line = {
          ...fields,
          status,
          durationMs: Date.now() - started,
          ...(closedIdle ? { closed: 'idle' } : {}),
        };
        if (status >= 500) logger.warn('websocket', line);
        else logger.http('websocket', line);
      });
      const idleMs = limits.websocketIdleSeconds * 1000;
      const armIdle = () => {
        if (idleMs === 0 || !(socket instanceof Socket)) return;
        // A socket's timer restarts on every read and write: bytes either way keep the tunnel.
        socket.setTimeout(idleMs, () => {
          closedIdle = true;
          metrics.websocketIdleCloses.inc();
          socket.destroy();
        });
      };
      try {
        choice.passthrough.forwardUpgrade(req, socket, head, target, choice.backendTarget, (s) => {
          status = s;
          metrics.websocketHandshakes.inc({ status_class: `${Math.floor(s / 100)}xx` });
          // Armed once open: the handshake has its own deadline (connect + response timeouts).
          if (s === 101) armIdle();
        });
      } catch (error) {
        logger.error('websocket relay failed', { requestId, error });
        socket.destroy();
      }
    },
  };
}

function refuseBusy(socket: Duplex, body: string): void {
  socket.on('error', () => undefined);
  socket.end(
    'HTTP/1.1 503 Service Unavailable\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Retry-After: 30\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
