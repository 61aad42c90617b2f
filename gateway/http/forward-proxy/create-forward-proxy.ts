/**
 * The HTTP forward proxy on the internal listener (DESIGN §3): absolute-form requests and CONNECT
 * from the backend's own outgoing calls. Calls to the gateway itself are served in-process,
 * federation calls go to the same handler as the facade, the rest is forwarded, tunnelled or
 * refused by policy. Only allowed client addresses may use it.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RequestListener } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewayError, toGatewayError } from '../../core/errors/gateway-error.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ConnectListener } from '../start-listener.ts';
import { ClientAllowlist } from './client-allowlist.ts';
import { writeConnectRefusal } from './connect-reply.ts';
import type { FederationHandler } from './federation-handler.ts';
import { isFederationPath } from './federation-path.ts';
import {
  InterceptedConnections,
  interceptedTunnel,
  type SecureContextSource,
} from './intercepted-connections.ts';
import { openTunnel } from './open-tunnel.ts';
import {
  isAbsoluteForm,
  parseAbsoluteForm,
  parseConnectAuthority,
  tunnelTarget,
  type ConnectAuthority,
  type ProxyTarget,
} from './proxy-target.ts';
import { SelfTargets, type LocalEndpoint, type SelfTargetOptions } from './self-targets.ts';
import type { TunnelGuard } from './tunnel-guard.ts';

export interface ForwardProxyOptions {
  readonly logger: Logger;
  /** CIDRs of the backend (forwardProxy.allowedClients). */
  readonly allowedClients: readonly string[];
  /** What happens to traffic that is not a federation call: forwarded/tunnelled, or 403. */
  readonly tunnelPolicy: 'allow' | 'deny';
  /** Present = CONNECT is intercepted with leaves from `contexts`. */
  readonly interception?: {
    readonly contexts: SecureContextSource;
    readonly caCertificatePath: string;
  };
  readonly self: SelfTargetOptions;
  /** Serves requests aimed at GATEWAY_PUBLIC_URL (the public app), in-process. */
  readonly publicHandler?: RequestListener;
  /** The facade's handler; default: `forwarder` (the call goes out unchanged). */
  readonly federationHandler?: FederationHandler;
  /** Forwards a request unchanged to the real target (createPeerForwarder). */
  readonly forwarder: FederationHandler;
  readonly tunnelGuard: TunnelGuard;
  readonly connectTimeoutMs: number;
  /** More path prefixes to treat as federation calls (a peer's unusual OCM endPoint). */
  readonly federationPathPrefixes?: readonly string[];
}

export interface ForwardProxy {
  /** Internal-app middleware, before the facade routes: takes proxy requests, passes the rest. */
  readonly middleware: RequestHandler;
  /** The internal listener's CONNECT handler; `dispatch` is the internal app (for inner requests). */
  connectListener(dispatch: RequestListener): ConnectListener;
  /** Closes intercepted connections (tunnels belong to the listener, which closes them). */
  close(): void;
}

export function createForwardProxy(options: ForwardProxyOptions): ForwardProxy {
  const { logger } = options;
  const clients = new ClientAllowlist(options.allowedClients);
  const self = new SelfTargets(options.self);
  const federation = options.federationHandler ?? options.forwarder;
  const intercepted: InterceptedConnections[] = [];

  async function serve(req: Request, res: Response, next: NextFunction): Promise<void> {
    const tunnel = interceptedTunnel(req);
    let target: ProxyTarget;
    let local: LocalEndpoint;
    if (tunnel !== undefined) {
      target = tunnelTarget(tunnel.authority, 'https', req.url);
      local = tunnel.local;
    } else if (isAbsoluteForm(req.url)) {
      const remoteAddress = req.socket.remoteAddress;
      if (!clients.allows(remoteAddress)) {
        logger.warn('forward proxy: refused a client outside forwardProxy.allowedClients', {
          remoteAddress,
          method: req.method,
        });
        throw new GatewayError('FORBIDDEN', 'forward proxy: this client may not use the proxy');
      }
      target = parseAbsoluteForm(req.url);
      local = { address: req.socket.localAddress, port: req.socket.localPort };
    } else {
      next();
      return;
    }
    // From here on the request looks as it would to a server: origin-form path + query.
    const originForm = `${target.pathname}${target.search}`;
    req.url = originForm;
    const selfKind = self.classify(target, local);
    if (selfKind === 'internal') {
      req.originalUrl = originForm;
      next();
      return;
    }
    if (selfKind === 'public' && options.publicHandler !== undefined) {
      req.originalUrl = originForm;
      options.publicHandler(req, res);
      return;
    }
    const peer = { peerHost: target.authority, scheme: target.scheme, path: target.pathname };
    if (isFederationPath(target.pathname, options.federationPathPrefixes)) {
      // The facade's code sees exactly what it sees under /peers/<host>/ (it may read originalUrl).
      req.originalUrl = originForm;
      res.locals.route = 'forward-proxy:federation';
      await federation(req, res, peer);
      return;
    }
    // Other traffic keeps the absolute URL in originalUrl, so the request log names the host.
    res.locals.route = 'forward-proxy:other';
    if (options.tunnelPolicy === 'deny') {
      throw new GatewayError(
        'FORBIDDEN',
        'forward proxy: only federation calls pass (forwardProxy.tunnelPolicy is deny)',
      );
    }
    await options.forwarder(req, res, peer);
  }

  const middleware: RequestHandler = (req, res, next) => {
    serve(req, res, next).catch((error: unknown) => {
      if (res.headersSent) {
        logger.warn('forward proxy: response failed after its head was sent', {
          error: toGatewayError(error).message,
        });
        res.destroy();
        return;
      }
      next(error);
    });
  };

  async function handleConnect(
    socket: Duplex & Partial<Pick<Socket, 'remoteAddress' | 'localAddress' | 'localPort'>>,
    head: Buffer,
    requestTarget: string | undefined,
    interceptor: InterceptedConnections | undefined,
  ): Promise<void> {
    const client = socket.remoteAddress;
    if (!clients.allows(client)) {
      logger.warn('forward proxy: refused a CONNECT from outside forwardProxy.allowedClients', {
        remoteAddress: client,
      });
      writeConnectRefusal(socket, 403, 'this client may not use the proxy');
      return;
    }
    const authority: ConnectAuthority = parseConnectAuthority(requestTarget);
    const local = { address: socket.localAddress, port: socket.localPort };
    const probe = tunnelTarget(authority, 'https', '/');
    const selfKind = self.classify(probe, local);
    const fields = { authority: probe.authority, remoteAddress: client };
    if (interceptor !== undefined) {
      // The gateway itself needs no guard: its requests are served in-process.
      if (selfKind === undefined) await options.tunnelGuard(authority);
      logger.info('forward proxy: CONNECT intercepted', fields);
      await interceptor.accept(socket, head, { authority, local });
      return;
    }
    if (selfKind === 'internal') {
      throw new GatewayError(
        'INVALID_REQUEST',
        'forward proxy: the internal listener speaks plain HTTP; send absolute-form requests',
      );
    }
    if (options.tunnelPolicy === 'deny') {
      logger.info('forward proxy: CONNECT refused by policy', fields);
      throw new GatewayError(
        'FORBIDDEN',
        'forward proxy: tunnels are refused (forwardProxy.tunnelPolicy is deny, intercept is off)',
      );
    }
    const addresses = await options.tunnelGuard(authority);
    const opened = await openTunnel({
      client: socket,
      head,
      addresses,
      port: authority.port,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    logger.info(opened ? 'forward proxy: CONNECT tunnelled' : 'forward proxy: tunnel failed', {
      ...fields,
    });
  }

  return {
    middleware,
    connectListener(dispatch) {
      const interceptor =
        options.interception === undefined
          ? undefined
          : new InterceptedConnections({ ...options.interception, logger }, dispatch);
      if (interceptor !== undefined) intercepted.push(interceptor);
      return (req, socket, head) => {
        socket.on('error', () => socket.destroy());
        handleConnect(socket, head, req.url, interceptor).catch((raw: unknown) => {
          const error = toGatewayError(raw);
          if (error.status >= 500) logger.warn(`forward proxy: ${error.message}`, {});
          else logger.info(`forward proxy refused a CONNECT: ${error.message}`, {});
          writeConnectRefusal(socket, error.status, error.message);
        });
      };
    },
    close() {
      for (const interceptor of intercepted) interceptor.close();
    },
  };
}
