/**
 * Plain node:http/https client for calls to the backend. The backend is trusted and usually on
 * loopback or a private network, so the peer client's SSRF guard does not apply here; what does:
 * a connect deadline, a total deadline, a body cap, keep-alive, and errors that never name the
 * backend's address (UPSTREAM_UNREACHABLE 502, UPSTREAM_TIMEOUT 504; the cause goes to logs).
 */
import http from 'node:http';
import https from 'node:https';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';

export interface BackendHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface BackendHttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  readonly url: string;
}

export interface BackendTransport {
  request(request: BackendHttpRequest): Promise<BackendHttpResponse>;
  /** Drops pooled connections; in-flight requests finish. */
  close(): void;
}

export interface BackendTransportOptions {
  readonly connectTimeoutMs: number;
  /** Deadline for the whole exchange, answer body included. */
  readonly totalTimeoutMs: number;
  /** Default 1 MiB: federation answers are small. */
  readonly maxBodyBytes?: number;
  readonly maxSockets?: number;
}

const CONNECT_TIMEOUT = 'BACKEND_CONNECT_TIMEOUT';
const TOTAL_TIMEOUT = 'BACKEND_TOTAL_TIMEOUT';
const TOO_LARGE = 'BACKEND_RESPONSE_TOO_LARGE';

class TransportFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function toGatewayError(error: unknown): GatewayError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === TOTAL_TIMEOUT) {
    return new GatewayError('UPSTREAM_TIMEOUT', 'The backend did not answer in time.', {
      cause: error,
    });
  }
  const message =
    code === TOO_LARGE
      ? 'The backend answered with more than the gateway accepts.'
      : 'The backend could not be reached.';
  return new GatewayError('UPSTREAM_UNREACHABLE', message, { cause: error });
}

export function createBackendTransport(options: BackendTransportOptions): BackendTransport {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16, timeout: 4_000 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  const request = (input: BackendHttpRequest): Promise<BackendHttpResponse> =>
    new Promise<BackendHttpResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(input.url);
      } catch (error) {
        reject(toGatewayError(error));
        return;
      }
      const secure = url.protocol === 'https:';
      const body = input.body === undefined ? undefined : Buffer.from(input.body, 'utf8');
      const req = (secure ? https : http).request(url, {
        method: input.method,
        agent: secure ? agents.https : agents.http,
        headers: {
          accept: 'application/json, text/xml;q=0.9, */*;q=0.1',
          ...input.headers,
          ...(body === undefined ? {} : { 'content-length': String(body.length) }),
        },
      });
      let settled = false;
      let connect: NodeJS.Timeout | undefined;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        clearTimeout(connect);
        outcome();
      };
      const fail = (code: string, message: string) => {
        const failure = new TransportFailure(code, message);
        settle(() => {
          reject(toGatewayError(failure));
        });
        req.destroy();
      };
      const total = setTimeout(() => {
        fail(TOTAL_TIMEOUT, `no complete answer within ${options.totalTimeoutMs} ms`);
      }, options.totalTimeoutMs);
      req.on('socket', (socket) => {
        if (!socket.connecting) return;
        connect = setTimeout(() => {
          fail(CONNECT_TIMEOUT, `no connection within ${options.connectTimeoutMs} ms`);
        }, options.connectTimeoutMs);
        socket.once(secure ? 'secureConnect' : 'connect', () => {
          clearTimeout(connect);
        });
      });
      req.on('error', (error) => {
        settle(() => {
          reject(toGatewayError(error));
        });
      });
      req.on('response', (res) => {
        clearTimeout(connect);
        res.on('error', (error) => {
          settle(() => {
            reject(toGatewayError(error));
          });
        });
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBody) fail(TOO_LARGE, `answer larger than ${maxBody} bytes`);
          else chunks.push(chunk);
        });
        res.on('end', () => {
          settle(() => {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
              url: url.href,
            });
          });
        });
      });
      req.end(body);
    });

  return {
    request,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** A numeric Retry-After (seconds); HTTP dates are not worth parsing for a backend. */
export function retryAfterSeconds(headers: BackendHttpResponse['headers']): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
