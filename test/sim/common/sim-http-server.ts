/** Loopback node:http server shared by every simulator: binds 127.0.0.1:0, serves under an optional
 * sub-path (e.g. /nextcloud), parses bodies the way PHP would see them and logs every request. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseForm } from './form-body.ts';

export type BodyKind = 'form' | 'json' | 'text' | 'none';

/** One request as the simulator saw it (also the shape of every `received` log entry). */
export interface SimRequest {
  method: string;
  /** Path exactly as received, without the query string. */
  path: string;
  /** Path below the base path, always starting with '/'. */
  localPath: string;
  query: Record<string, string>;
  /** Lower-case header names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** Form fields (form), parsed JSON (json), text (text) or undefined (none / unparsable JSON). */
  body: unknown;
  bodyKind: BodyKind;
  /** The raw request target (path + query) as sent on the wire. */
  target: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export type SimHandler = (req: SimRequest) => Promise<SimResponse | undefined>;

export interface SimHttpServer {
  /** Base URL incl. the sub-path, without trailing slash (e.g. http://127.0.0.1:4711/nextcloud). */
  url: string;
  origin: string;
  port: number;
  received: SimRequest[];
  /** Handler exceptions (a simulator bug, answered with 500): kept so tests can assert there are none. */
  errors: Error[];
  close(): Promise<void>;
}

const MAX_BODY = 8 * 1024 * 1024;

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): { body: unknown; kind: BodyKind } {
  if (raw.length === 0) return { body: undefined, kind: 'none' };
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return { body: parseForm(text), kind: 'form' };
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return { body: JSON.parse(text) as unknown, kind: 'json' };
    } catch {
      return { body: undefined, kind: 'json' };
    }
  }
  return { body: text, kind: 'text' };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new Error('request body too large for the simulator');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function normaliseBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === '/') return '';
  const withSlash = basePath.startsWith('/') ? basePath : `/${basePath}`;
  return withSlash.replace(/\/+$/, '');
}

function send(res: ServerResponse, method: string, out: SimResponse): void {
  const body = out.body ?? '';
  const headers: Record<string, string | number> = { ...(out.headers ?? {}) };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  res.writeHead(out.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

/** Starts the server; `handler` answers undefined for "no such route" (plain 404). */
export async function startSimHttpServer(options: {
  basePath?: string;
  handler: SimHandler;
}): Promise<SimHttpServer> {
  const basePath = normaliseBasePath(options.basePath);
  const received: SimRequest[] = [];
  const errors: Error[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const target = req.url ?? '/';
      const url = new URL(target, 'http://sim.invalid');
      const raw = await readBody(req);
      const headers = headerRecord(req);
      const parsed = parseBody(raw, headers['content-type']);
      const inBase = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
      const simReq: SimRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        localPath: inBase ? url.pathname.slice(basePath.length) || '/' : '',
        query: Object.fromEntries(url.searchParams),
        headers,
        rawBody: raw,
        body: parsed.body,
        bodyKind: parsed.kind,
        target,
      };
      received.push(simReq);
      const out = inBase ? await options.handler(simReq) : undefined;
      send(res, simReq.method, out ?? { status: 404, body: 'Not Found' });
    })().catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      errors.push(err);
      if (!res.headersSent)
        send(res, 'GET', { status: 500, body: `simulator error: ${err.message}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin + basePath,
    origin,
    port,
    received,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
