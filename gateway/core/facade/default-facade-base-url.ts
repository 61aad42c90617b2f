/**
 * How the backend reaches the internal listener when `facade.baseUrl` is not configured:
 * `http://<bind host>:<internal port>`, with a wildcard bind (0.0.0.0 / ::) replaced by loopback.
 */

export interface FacadeBaseInput {
  /** `facade.baseUrl` from the config file, if set. */
  readonly baseUrl?: string | undefined;
  /** `GATEWAY_HOST`, the address the listeners bind. */
  readonly host: string;
  readonly internalPort: number;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]', '::0', '0:0:0:0:0:0:0:0', '']);

/** The configured base without trailing slash, or `http://127.0.0.1:<port>` style default. */
export function defaultFacadeBaseUrl(input: FacadeBaseInput): string {
  if (input.baseUrl !== undefined && input.baseUrl.trim() !== '') {
    return input.baseUrl.trim().replace(/\/+$/, '');
  }
  const raw = input.host.trim().toLowerCase();
  let host = WILDCARDS.has(raw) ? '127.0.0.1' : raw;
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return `http://${host}:${input.internalPort}`;
}
