/**
 * `ocm-gateway peers show|refresh|forget|list`: the operator's view of the capability cache
 * (issue 5). Exit 0 done, 1 failed (one line on stderr), 2 bad usage.
 */
import { toGatewayError } from '../core/errors/gateway-error.ts';
import type { PeerStatus } from '../services/peer-status.ts';
import type { PeerCapabilitiesResolver } from '../services/resolve-peer-capabilities.ts';
import { peerListTable, peerStatusJson, peerStatusTable } from './peer-status-format.ts';

export interface CliOutput {
  write(text: string): unknown;
}

/** What the command needs once it runs: the resolver over the gateway's stores. */
export interface PeersBackend {
  readonly resolver: Pick<PeerCapabilitiesResolver, 'show' | 'refresh' | 'forget' | 'list'>;
  /** True when the cache is the fleet's shared one (Redis); false for a throw-away local one. */
  readonly shared: boolean;
  close(): Promise<void>;
}

export interface PeersCommandContext {
  readonly out: CliOutput;
  readonly err: CliOutput;
  /** Builds the backend; called only once the arguments are known to be good. */
  readonly open: () => Promise<PeersBackend>;
  readonly now?: () => number;
}

export const PEERS_USAGE = `usage: ocm-gateway peers <command>
  show <peer> [--fresh] [--json]  what the gateway knows about a peer (discovers it if unknown;
                                  --fresh discovers now)
  refresh <peer>                  discover now and update the shared cache
  forget <peer>                   drop the peer from the shared cache
  list [--json]                   every cached peer
<peer> is an OCM address (bob@host), a federated cloud ID (bob@host/nextcloud), a URL or a host.
`;

interface Parsed {
  readonly command: 'show' | 'refresh' | 'forget' | 'list';
  readonly peer?: string;
  readonly json: boolean;
  readonly fresh: boolean;
}

const FLAGS: Readonly<Record<Parsed['command'], readonly string[]>> = {
  show: ['--json', '--fresh'],
  refresh: ['--json'],
  forget: [],
  list: ['--json'],
};

function parse(args: readonly string[]): Parsed | string {
  const [command, ...rest] = args;
  if (command !== 'show' && command !== 'refresh' && command !== 'forget' && command !== 'list') {
    return command === undefined ? 'a command is needed' : `unknown command "${command}"`;
  }
  const flags = rest.filter((a) => a.startsWith('--'));
  const positional = rest.filter((a) => !a.startsWith('--'));
  const unknown = flags.find((f) => !FLAGS[command].includes(f));
  if (unknown !== undefined) return `${command} does not take ${unknown}`;
  const wantsPeer = command !== 'list';
  if (positional.length !== (wantsPeer ? 1 : 0)) {
    return wantsPeer ? `${command} needs exactly one <peer>` : 'list takes no <peer>';
  }
  return {
    command,
    ...(positional[0] !== undefined && { peer: positional[0] }),
    json: flags.includes('--json'),
    fresh: flags.includes('--fresh'),
  };
}

export async function runPeersCommand(
  args: readonly string[],
  context: PeersCommandContext,
): Promise<number> {
  const { out, err } = context;
  const now = context.now ?? Date.now;
  if (args[0] === 'help' || args[0] === '--help') {
    out.write(PEERS_USAGE);
    return 0;
  }
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    err.write(`error: ${parsed}\n${PEERS_USAGE}`);
    return 2;
  }
  let backend: PeersBackend | undefined;
  try {
    backend = await context.open();
    return await run(parsed, backend, context, now);
  } catch (error) {
    // GatewayError messages name the peer and the reason, never secrets; anything else is generic.
    err.write(`error: ${oneLine(toGatewayError(error).message)}\n`);
    return 1;
  } finally {
    await backend?.close().catch(() => undefined);
  }
}

async function run(
  parsed: Parsed,
  backend: PeersBackend,
  context: PeersCommandContext,
  now: () => number,
): Promise<number> {
  const { out, err } = context;
  const { resolver } = backend;
  const peer = parsed.peer ?? '';
  if (!backend.shared && parsed.command !== 'show') {
    err.write(
      `error: peers ${parsed.command} needs the shared cache (GATEWAY_REDIS_URL); with embedded state the cache lives inside the gateway process\n`,
    );
    return 1;
  }
  switch (parsed.command) {
    case 'show':
    case 'refresh': {
      const before = now();
      const status =
        parsed.command === 'refresh'
          ? await resolver.refresh(peer)
          : await resolver.show(peer, { fresh: parsed.fresh || !backend.shared });
      out.write(
        parsed.json
          ? `${JSON.stringify(peerStatusJson(status), null, 2)}\n`
          : peerStatusTable(status, now()),
      );
      const failed = failure(
        status,
        parsed.command === 'refresh' || parsed.fresh ? before : undefined,
      );
      if (failed !== undefined) err.write(`error: ${oneLine(failed)}\n`);
      return failed === undefined ? 0 : 1;
    }
    case 'forget':
      out.write(`Forgot ${await resolver.forget(peer)}.\n`);
      return 0;
    case 'list': {
      const statuses = await resolver.list();
      out.write(
        parsed.json
          ? `${JSON.stringify(statuses.map(peerStatusJson), null, 2)}\n`
          : peerListTable(statuses, now()),
      );
      return 0;
    }
  }
}

/** Why the status is a failure: no capabilities at all, or a discovery asked for now failed. */
function failure(status: PeerStatus, askedAt: number | undefined): string | undefined {
  const error = status.lastError;
  if (status.capabilities === undefined) return error?.message ?? `${status.peer} is unknown`;
  if (askedAt !== undefined && error !== undefined && error.at >= askedAt) {
    return `refresh failed, the cached capabilities are kept: ${error.message}`;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
