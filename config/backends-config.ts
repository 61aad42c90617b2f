/** The backends the gateway fronts (issue 8 item 1): one from GATEWAY_* alone, or the file's `backends:` list. */
import type { ConfigProblem } from './config-error.ts';
import type { ParsedEnv } from './env-schema.ts';
import type { FileConfig } from './file-schema.ts';
import type { BackendConfig } from './gateway-config.ts';
import { normaliseHost } from '../gateway/core/routing/backend-routing.ts';

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function buildBackends(
  env: ParsedEnv,
  file: FileConfig,
  single: { readonly publicUrl: string; readonly backendUrl: string },
): BackendConfig[] {
  if (file.backends.length === 0) {
    return [
      {
        id: 'default',
        url: single.backendUrl,
        publicUrl: single.publicUrl,
        dialect: env.GATEWAY_BACKEND_DIALECT,
        modern: false,
        publicHosts: URL.canParse(single.publicUrl)
          ? [normaliseHost(new URL(single.publicUrl).host)]
          : [],
        userDomains: [],
        internalPort: env.GATEWAY_INTERNAL_PORT,
        facadeBaseUrl: file.facade.baseUrl,
      },
    ];
  }
  return file.backends.map((entry, index) => {
    const publicUrl = trimSlash(new URL(entry.publicUrl).href);
    const hosts = [new URL(publicUrl).host, ...entry.publicHosts].map(normaliseHost);
    return {
      id: entry.id,
      url: trimSlash(new URL(entry.url).href),
      publicUrl,
      dialect: entry.dialect === 'ocm' ? 'auto' : entry.dialect,
      modern: entry.modern || entry.dialect === 'ocm',
      publicHosts: [...new Set(hosts)],
      userDomains: entry.userDomains.map(normaliseHost),
      internalPort: entry.internalPort ?? env.GATEWAY_INTERNAL_PORT,
      facadeBaseUrl: entry.facadeBaseUrl ?? (index === 0 ? file.facade.baseUrl : undefined),
    };
  });
}

/** What the schema cannot see: ports against the environment's, hosts across backends. */
export function backendProblems(
  env: ParsedEnv,
  file: FileConfig,
  path: string | undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const where = (index: number, key: string) =>
    `${path ?? 'config file'}: backends.${index}.${key}`;
  const hostOwners = new Map<string, { id: string; modern: boolean }[]>();
  file.backends.forEach((entry, index) => {
    for (const key of ['url', 'publicUrl'] as const) {
      const url = new URL(entry[key]);
      if (url.search !== '' || url.hash !== '' || url.username !== '') {
        problems.push({
          where: where(index, key),
          problem: 'must not carry a query, fragment or credentials',
          fix: 'a plain http(s) URL, e.g. https://cloud.example.org',
        });
      }
    }
    if (entry.modern && entry.dialect !== 'auto' && entry.dialect !== 'ocm') {
      problems.push({
        where: where(index, 'dialect'),
        problem: `modern: true contradicts dialect ${entry.dialect}`,
        fix: 'a modern backend has dialect ocm (or auto); a legacy one has modern: false',
      });
    }
    const modern = entry.modern || entry.dialect === 'ocm';
    const port = entry.internalPort ?? (index === 0 ? env.GATEWAY_INTERNAL_PORT : undefined);
    // A modern backend federates by itself: it has no facade, no forward proxy, no internal port.
    if (port === undefined && !modern) {
      problems.push({
        where: where(index, 'internalPort'),
        problem: 'is required for every backend but the first',
        fix: 'a free port for its own internal listener (its facade and forward proxy), e.g. 9301',
      });
    } else if (
      port !== undefined &&
      !modern &&
      (port === env.GATEWAY_PORT ||
        port === env.GATEWAY_ADMIN_PORT ||
        (index > 0 && port === env.GATEWAY_INTERNAL_PORT))
    ) {
      problems.push({
        where: where(index, 'internalPort'),
        problem: `${port} is already the port of another listener`,
        fix: 'a port no other listener uses',
      });
    }
    const hosts = [new URL(entry.publicUrl).host, ...entry.publicHosts].map(normaliseHost);
    for (const host of new Set(hosts)) {
      const owners = hostOwners.get(host) ?? [];
      owners.push({ id: entry.id, modern });
      hostOwners.set(host, owners);
    }
  });
  for (const [host, owners] of hostOwners) {
    if (owners.length > 1 && owners.some((o) => o.modern)) {
      problems.push({
        where: `${path ?? 'config file'}: backends`,
        problem: `host ${host} is shared by ${owners.map((o) => o.id).join(', ')}, one of them modern`,
        fix: 'give a modern (pass-through) backend a public host of its own',
      });
    }
  }
  return problems;
}
