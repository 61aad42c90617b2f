/**
 * What a configuration reload changes (issue 8 item 2): the names of the settings that differ
 * between the running config and the newly read one, split into those applied live (read per
 * request: peer policy, per-peer dialect/signature/rate overrides, federation body limits, the
 * WebSocket tunnel limits, applied to new tunnels) and
 * those that need a restart (ports, backends, data dir, Redis, timeouts, …). Names only, never
 * values: some settings are secrets.
 */
import type { GatewayConfig } from './gateway-config.ts';

export interface ConfigDiff {
  /** Changed settings the running gateway applies at once. */
  readonly live: readonly string[];
  /** Changed settings that only take effect after a restart. */
  readonly restart: readonly string[];
}

const LIVE: readonly RegExp[] = [
  /^policy\./,
  /^peers\[[^\]]+\]\.(host|dialect|signatures|rateLimit)(\.|$)/,
  /^limits\.(sharesBodyBytes|notificationsBodyBytes|websocket\w+)$/,
];

export function diffConfig(running: GatewayConfig, next: GatewayConfig): ConfigDiff {
  const before = flatten(running);
  const after = flatten(next);
  const names = new Set([...before.keys(), ...after.keys()]);
  const live: string[] = [];
  const restart: string[] = [];
  for (const name of [...names].sort()) {
    if (before.get(name) === after.get(name)) continue;
    if (LIVE.some((pattern) => pattern.test(name))) live.push(name);
    else restart.push(name);
  }
  return { live, restart };
}

/** Leaf settings by dotted name; arrays are one value, `peers` is keyed by host. */
function flatten(config: GatewayConfig): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, name: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value))
        walk(child, name === '' ? key : `${name}.${key}`);
      return;
    }
    if (value !== undefined) out.set(name, JSON.stringify(value));
  };
  const { peers, backends, ...rest } = config;
  walk(rest, '');
  for (const peer of peers) {
    // allowHttp: false is the default: a peer added or removed without it changes nothing static.
    const { allowHttp, ...fields } = peer;
    walk(allowHttp ? peer : fields, `peers[${peer.host}]`);
  }
  for (const backend of backends) walk(backend, `backends[${backend.id}]`);
  if (backends.length > 0) out.set('backends', JSON.stringify(backends.map((b) => b.id)));
  return out;
}
