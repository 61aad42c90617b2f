/**
 * Fetches the backend's `/ocm-provider/`, `/ocs-provider/` and `/status.php` in parallel for
 * detection (legacy-protocols §2); each failure is recorded, never thrown.
 */
import {
  BACKEND_PROBE_PATHS,
  type BackendProbeOutcome,
  type BackendProbeResults,
} from '../../gateway/core/backend/index.ts';
import { GatewayError } from '../../gateway/core/errors/gateway-error.ts';
import type { BackendProber } from '../../gateway/ports/backend-client.ts';
import type { BackendTransport } from './backend-transport.ts';

/** Redirects followed per probe (http → https, `/ocs-provider` → `/ocs-provider/`). */
const MAX_REDIRECTS = 3;

async function probeOne(transport: BackendTransport, start: string): Promise<BackendProbeOutcome> {
  let url = start;
  for (let hop = 0; ; hop++) {
    try {
      const res = await transport.request({ method: 'GET', url });
      const location = res.headers.location;
      if (
        res.status >= 300 &&
        res.status < 400 &&
        typeof location === 'string' &&
        hop < MAX_REDIRECTS
      ) {
        url = new URL(location, url).href;
        continue;
      }
      const type = res.headers['content-type'];
      return {
        kind: 'answer',
        url,
        status: res.status,
        contentType: typeof type === 'string' ? type : undefined,
        body: res.text,
      };
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : undefined;
      return {
        kind: 'failed',
        url,
        failure:
          code === 'UPSTREAM_TIMEOUT'
            ? 'timeout'
            : code === 'UPSTREAM_UNREACHABLE'
              ? 'unreachable'
              : 'invalid-response',
      };
    }
  }
}

export function createHttpBackendProber(options: {
  readonly backendUrl: string;
  readonly transport: BackendTransport;
}): BackendProber {
  const base = options.backendUrl.replace(/\/+$/, '');
  return {
    probe: async () => {
      const probe = (path: string) => probeOne(options.transport, `${base}${path}`);
      const [ocmProvider, ocsProvider, statusPhp] = await Promise.all([
        probe(BACKEND_PROBE_PATHS.ocmProvider),
        probe(BACKEND_PROBE_PATHS.ocsProvider),
        probe(BACKEND_PROBE_PATHS.statusPhp),
      ]);
      const results: BackendProbeResults = { ocmProvider, ocsProvider, statusPhp };
      return results;
    },
  };
}
