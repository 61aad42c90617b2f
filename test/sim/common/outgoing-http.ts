/** The simulators' own outgoing HTTP, like ownCloud/Nextcloud's HTTP client with the `proxy` config:
 * direct, or through an HTTP forward proxy (absolute-form for http://, CONNECT + TLS for https://).
 * Every attempt (including failed ones) is recorded so tests can assert discovery order. */
import { request as httpRequest, type IncomingMessage, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { Duplex } from 'node:stream';

export interface OutgoingRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface OutgoingResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export interface OutgoingAttempt {
  method: string;
  url: string;
  /** The forward proxy used, if any. */
  proxy?: string;
  status?: number;
  error?: string;
}

export interface OutgoingOptions {
  /** Forward proxy URL (http://host:port), as ownCloud/Nextcloud's `proxy` system config. */
  proxy?: string;
  /** Extra CA certificates (PEM) trusted for https targets, e.g. an intercepting proxy's CA. */
  ca?: string | string[];
  timeoutMs?: number;
}

function headerRecord(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function collect(req: ClientRequest, body: string | Buffer | undefined, timeoutMs: number) {
  return new Promise<OutgoingResponse>((resolve, reject) => {
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: headerRecord(res),
          body: buf,
          text: buf.toString('utf8'),
        });
      });
    });
    req.end(body);
  });
}

function connectTunnel(proxy: URL, target: URL, timeoutMs: number): Promise<Duplex> {
  const authority = `${target.hostname}:${target.port === '' ? '443' : target.port}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: proxy.hostname,
      port: proxy.port === '' ? 80 : Number(proxy.port),
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      agent: false,
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('proxy CONNECT timed out')));
    req.once('error', reject);
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy CONNECT answered ${res.statusCode ?? 0}`));
      }
    });
    req.end();
  });
}

export class OutgoingClient {
  readonly attempts: OutgoingAttempt[] = [];
  /** Mutable so a test can point an already running simulator at a proxy started later. */
  proxy: string | undefined;
  ca: string | string[] | undefined;
  timeoutMs: number;

  constructor(options: OutgoingOptions = {}) {
    this.proxy = options.proxy;
    this.ca = options.ca;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Sends one request; rejects on network/TLS errors (HTTP error statuses resolve). */
  async request(r: OutgoingRequest): Promise<OutgoingResponse> {
    const attempt: OutgoingAttempt = { method: r.method, url: r.url };
    if (this.proxy !== undefined) attempt.proxy = this.proxy;
    this.attempts.push(attempt);
    try {
      const res = await this.#send(r);
      attempt.status = res.status;
      return res;
    } catch (e) {
      attempt.error = e instanceof Error ? e.message : String(e);
      throw e;
    }
  }

  async #send(r: OutgoingRequest): Promise<OutgoingResponse> {
    const target = new URL(r.url);
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const https = target.protocol === 'https:';
    const path = target.pathname + target.search;
    const tls = {
      ca: this.ca,
      servername: /^[\d.]+$|:/.test(target.hostname) ? undefined : target.hostname,
    };
    if (this.proxy === undefined) {
      const req = https
        ? httpsRequest(target, { method: r.method, headers, agent: false, ...tls })
        : httpRequest(target, { method: r.method, headers, agent: false });
      return collect(req, r.body, this.timeoutMs);
    }
    const proxy = new URL(this.proxy);
    if (!https) {
      const req = httpRequest({
        host: proxy.hostname,
        port: proxy.port === '' ? 80 : Number(proxy.port),
        method: r.method,
        path: target.href,
        headers: { host: target.host, ...headers },
        agent: false,
      });
      return collect(req, r.body, this.timeoutMs);
    }
    const tunnel = await connectTunnel(proxy, target, this.timeoutMs);
    const req = httpRequest({
      host: target.hostname,
      method: r.method,
      path,
      headers: { host: target.host, ...headers },
      createConnection: () => tlsConnect({ socket: tunnel, ...tls }),
    });
    return collect(req, r.body, this.timeoutMs);
  }
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function jsonBody(res: OutgoingResponse): unknown {
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return undefined;
  }
}
