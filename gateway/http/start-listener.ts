/** Starts one HTTP listener and stops it gracefully: stop accepting, let in-flight requests finish (bounded), then cut. */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** Handles an HTTP `CONNECT` (the forward proxy); the socket is the listener's to close at stop. */
/** How long an idle keep-alive connection is kept (above the 60 s of common balancers). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export type ConnectListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Takes `Upgrade` requests over (WebSocket tunnels); the socket is the listener's to close at stop. */
export interface UpgradeHandler {
  /** Whether this upgrade is taken over; declined ones are served as ordinary requests. */
  accepts(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface ListenerOptions {
  readonly onConnect?: ConnectListener;
  /** Bytes of request line + headers; over it node answers 431. Default 16 KiB. */
  readonly maxHeaderSize?: number;
  /** Header lines; over it node answers 431. Default 2000 (node's). */
  readonly maxHeadersCount?: number;
  /**
   * Without `onConnect`, answer `CONNECT` with 405 and close (node would drop the connection
   * without a word). For the public listener: only the internal one tunnels.
   */
  readonly refuseConnect?: boolean;
  /** Without it every `Upgrade` request is served as an ordinary one (the header dropped). */
  readonly upgrade?: UpgradeHandler;
}

export interface RunningListener {
  readonly name: string;
  readonly server: Server;
  readonly port: number;
  /** http://host:port, with IPv6 hosts bracketed. */
  readonly url: string;
  inFlight(): number;
  /** Resolves once every connection is closed; requests still running after drainMs are cut. */
  stop(drainMs: number): Promise<{ cut: number }>;
}

export async function startListener(
  name: string,
  handler: RequestListener,
  host: string,
  port: number,
  options: ListenerOptions = {},
): Promise<RunningListener> {
  const server = createServer(
    {
      requestTimeout: 0,
      // Idle keep-alive connections stay open longer than clients and balancers keep theirs
      // (curl/Guzzle, ALB 60 s): with node's 5 s a client reusing an idle socket met the close
      // halfway and got ECONNRESET. A request's headers get as long as before.
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      headersTimeout: 60_000,
      maxHeaderSize: options.maxHeaderSize ?? 16 * 1024,
      // Pinned: a lenient parser (--insecure-http-parser) would reopen request smuggling.
      insecureHTTPParser: false,
      // Node ≥ 24.9: an upgrade the handler declines is an ordinary 'request', not a dropped socket.
      shouldUpgradeCallback: (req: IncomingMessage) => options.upgrade?.accepts(req) ?? false,
    },
    handler,
  );
  if (options.maxHeadersCount !== undefined) server.maxHeadersCount = options.maxHeadersCount;
  let active = 0;
  let stopping = false;
  // CONNECT and upgraded sockets leave the server's bookkeeping (closeAllConnections does not see them).
  const tunnels = new Set<Duplex>();
  /** Hands a socket that leaves HTTP to `take`, and keeps it for stop(). */
  const adopt =
    (take: (req: IncomingMessage, socket: Duplex, head: Buffer) => void) =>
    (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (stopping) {
        socket.destroy();
        return;
      }
      tunnels.add(socket);
      socket.once('close', () => tunnels.delete(socket));
      take(req, socket, head);
    };
  const { onConnect, upgrade } = options;
  if (onConnect !== undefined) {
    server.on('connect', adopt(onConnect));
  } else if (options.refuseConnect === true) {
    server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      refuseConnect(socket);
    });
  }
  if (upgrade !== undefined) {
    server.on(
      'upgrade',
      adopt((req, socket, head) => {
        upgrade.handle(req, socket, head);
      }),
    );
  }
  server.on('request', (_req, res) => {
    active += 1;
    if (stopping) res.setHeader('Connection', 'close');
    res.once('close', () => {
      active -= 1;
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    name,
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}`,
    inFlight: () => active,
    stop: async (drainMs) => {
      stopping = true;
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      const deadline = Date.now() + drainMs;
      while (active > 0 && Date.now() < deadline) {
        server.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const cut = active;
      server.closeAllConnections();
      // Tunnels (CONNECT, WebSocket) are long-lived pipes: they get the drain time above, not more.
      for (const socket of tunnels) socket.destroy();
      await closed;
      return { cut };
    },
  };
}

const CONNECT_REFUSAL = JSON.stringify({
  message: 'METHOD_NOT_ALLOWED',
  detail: 'CONNECT is not allowed on this server.',
});

function refuseConnect(socket: Duplex): void {
  socket.on('error', () => undefined);
  socket.end(
    'HTTP/1.1 405 Method Not Allowed\r\n' +
      'Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(CONNECT_REFUSAL)}\r\n` +
      'Connection: close\r\n\r\n' +
      CONNECT_REFUSAL,
  );
}
