/**
 * WebSocket upgrades on the public listener: the ones the pass-through lane would take as plain
 * requests (hardening passes them, no federation route's path, a backend serves them) are relayed
 * to the backend as tunnels (websocket-tunnel.ts), within `limits.websocketTunnels`. Any other
 * upgrade — on a federation path, refused by hardening, or not `websocket` (h2c…) — is declined
 * and served as an ordinary request, which loses its `Upgrade` header on the way.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatewayMetrics } from '../observability/create-metrics.ts';
import type { Logger } from '../ports/logger.ts';
import { adoptTarget } from './middleware/request-hardening.ts';
import { requestIdFrom } from './middleware/request-id.ts';
import { isWebSocketUpgrade } from './passthrough/websocket-tunnel.ts';
import { laneChoiceOf, type LaneChoice, type LaneChooser } from './passthrough-lane.ts';
import type { UpgradeHandler } from './start-listener.ts';

export interface WebSocketUpgradeOptions {
  readonly choose: LaneChooser;
  /** Open tunnels at most, read per handshake (config `limits.websocketTunnels`); 0 refuses all. */
  readonly maxTunnels: () => number;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
}

const BUSY = JSON.stringify({
  message: 'TOO_MANY_CONNECTIONS',
  detail: 'This server holds as many live connections as it may; retry later.',
});

export function websocketUpgrade(options: WebSocketUpgradeOptions): UpgradeHandler {
  const { logger, metrics } = options;
  const chosen = new WeakMap<IncomingMessage, { choice: LaneChoice; target: string }>();
  let open = 0;
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
      if (open >= options.maxTunnels()) {
        metrics.requestsRefused.inc({ guard: 'websocket', reason: 'too-many-tunnels' });
        logger.warn('websocket refused: tunnel limit reached', { ...fields, open });
        refuseBusy(socket);
        return;
      }
      open += 1;
      metrics.websocketTunnels.inc();
      const started = Date.now();
      let status = 0;
      socket.once('close', () => {
        open -= 1;
        metrics.websocketTunnels.dec();
        const line = { ...fields, status, durationMs: Date.now() - started };
        if (status >= 500) logger.warn('websocket', line);
        else logger.http('websocket', line);
      });
      try {
        choice.passthrough.forwardUpgrade(req, socket, head, target, choice.backendTarget, (s) => {
          status = s;
          metrics.websocketHandshakes.inc({ status_class: `${Math.floor(s / 100)}xx` });
        });
      } catch (error) {
        logger.error('websocket relay failed', { requestId, error });
        socket.destroy();
      }
    },
  };
}

function refuseBusy(socket: Duplex): void {
  socket.on('error', () => undefined);
  socket.end(
    'HTTP/1.1 503 Service Unavailable\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(BUSY)}\r\n` +
      'Retry-After: 30\r\n' +
      'Connection: close\r\n\r\n' +
      BUSY,
  );
}
