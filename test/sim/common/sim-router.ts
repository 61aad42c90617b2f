/** Minimal method + path-pattern router for the simulators (':name' captures one segment,
 * '*name' the rest of the path). First registered match wins. */
import type { SimHandler, SimRequest, SimResponse } from './sim-http-server.ts';

export type RouteHandler = (
  req: SimRequest,
  params: Record<string, string>,
) => Promise<SimResponse | undefined> | SimResponse | undefined;

interface Route {
  methods: string[] | '*';
  segments: string[];
  handler: RouteHandler;
}

export class SimRouter {
  readonly #routes: Route[] = [];

  on(methods: string | string[], pattern: string, handler: RouteHandler): this {
    const list = methods === '*' ? '*' : Array.isArray(methods) ? methods : [methods];
    this.#routes.push({ methods: list, segments: pattern.split('/').slice(1), handler });
    return this;
  }

  /** A SimHandler for startSimHttpServer: routes on the path below the base path. */
  handler(): SimHandler {
    return async (req) => {
      const parts = req.localPath.split('/').slice(1);
      for (const route of this.#routes) {
        if (route.methods !== '*' && !route.methods.includes(req.method)) continue;
        const params = match(route.segments, parts);
        if (params === undefined) continue;
        const out = await route.handler(req, params);
        if (out !== undefined) return out;
      }
      return undefined;
    };
  }
}

function match(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i] ?? '';
    if (seg.startsWith('*')) {
      params[seg.slice(1)] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (seg !== part) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function text(
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): SimResponse {
  return { status, headers: { 'Content-Type': contentType }, body };
}
