/**
 * TLS interception for CONNECT: the proxy answers 200, completes the handshake itself with a leaf
 * minted for the requested host, and reads the HTTP/1.1 requests inside with a server of its
 * own. Each request is tagged with the tunnel's authority and handed to the internal app.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../ports/logger.ts';
import type { ConnectAuthority } from './proxy-target.ts';
import type { LocalEndpoint } from './self-targets.ts';

/** What an intercepted request inherits from its CONNECT. */
export interface InterceptedTunnel {
  readonly authority: ConnectAuthority;
  /** Where the CONNECT arrived: the internal listener as the backend reached it. */
  readonly local: LocalEndpoint;
}

export interface SecureContextSource {
  secureContextFor(host: string): Promise<SecureContext>;
}

export interface InterceptedConnectionsOptions {
  readonly contexts: SecureContextSource;
  readonly logger: Logger;
  /** Where the egress CA's certificate is, named in the hint when the backend refuses a leaf. */
  readonly caCertificatePath: string;
}

const tunnelOf = new WeakMap<IncomingMessage, InterceptedTunnel>();

/** The tunnel a request was read from, when it came through an intercepted CONNECT. */
export function interceptedTunnel(req: IncomingMessage): InterceptedTunnel | undefined {
  return tunnelOf.get(req);
}

// OpenSSL's names for the alerts a client sends when it does not trust the certificate.
const DISTRUST = /unknown.ca|bad.certificate|certificate.unknown|alert number 4[268]/i;

export class InterceptedConnections {
  readonly #options: InterceptedConnectionsOptions;
  readonly #server: Server;
  readonly #tunnels = new WeakMap<object, InterceptedTunnel>();
  readonly #sockets = new Set<TLSSocket>();

  constructor(options: InterceptedConnectionsOptions, dispatch: RequestListener) {
    this.#options = options;
    this.#server = createServer(
      { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 },
      (req, res) => {
        const tunnel = this.#tunnels.get(req.socket);
        if (tunnel === undefined) {
          req.socket.destroy();
          return;
        }
        tunnelOf.set(req, tunnel);
        dispatch(req, res);
      },
    );
  }

  /** Called after the CONNECT was allowed; answers 200 and takes the socket over. */
  async accept(client: Duplex, head: Buffer, tunnel: InterceptedTunnel): Promise<void> {
    const { authority } = tunnel;
    const context = await this.#options.contexts.secureContextFor(authority.hostname);
    if (client.destroyed) return;
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) client.unshift(head);
    const tls = new TLSSocket(client, {
      isServer: true,
      secureContext: context,
      ALPNProtocols: ['http/1.1'],
    });
    this.#sockets.add(tls);
    this.#tunnels.set(tls, tunnel);
    tls.once('close', () => {
      this.#sockets.delete(tls);
      client.destroy();
    });
    tls.once('error', (error: Error & { code?: string }) => {
      const distrust = DISTRUST.test(`${error.code ?? ''} ${error.message}`);
      const fields = { host: authority.hostname, port: authority.port, error: error.message };
      if (distrust) {
        this.#options.logger.warn(
          'forward proxy: the client refused the intercepting certificate; make the backend trust the egress CA',
          { ...fields, caCertificate: this.#options.caCertificatePath },
        );
      } else {
        this.#options.logger.debug('forward proxy: intercepted connection failed', fields);
      }
      tls.destroy();
    });
    this.#server.emit('connection', tls);
  }

  /** Open intercepted connections (each may carry several requests). */
  get size(): number {
    return this.#sockets.size;
  }

  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }
}
