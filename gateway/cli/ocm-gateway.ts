#!/usr/bin/env node
/**
 * The `ocm-gateway` operator CLI: loads the gateway's own configuration (same environment and
 * GATEWAY_CONFIG file) and dispatches to `peers …`, `keys …` and `ledger …`. Never prints a stack trace.
 */
import { ConfigError } from '../../config/config-error.ts';
import { GatewayError } from '../core/errors/gateway-error.ts';
import type { GatewayConfig } from '../../config/gateway-config.ts';
import { loadConfigFromProcess } from '../../config/load-config-from-process.ts';
import { createStores } from '../../adapters/create-stores.ts';
import { MemoryCapabilityCache } from '../../adapters/memory/memory-capability-cache.ts';
import { MemoryShortLivedStore } from '../../adapters/memory/memory-short-lived-store.ts';
import { createPeerResolver } from '../bootstrap/create-peer-resolver.ts';
import { readGeneratedLedgerKey } from '../bootstrap/ensure-ledger-key.ts';
import { stateStoreOptions } from '../bootstrap/state-store-options.ts';
import { runKeysCommand } from './keys-command.ts';
import { runLedgerCommand } from './ledger-command.ts';
import { runPeersCommand, type CliOutput, type PeersBackend } from './peers-command.ts';

export interface CliIo {
  readonly out: CliOutput;
  readonly err: CliOutput;
}

export interface CliDependencies {
  /** Default: the process environment, exactly as the gateway reads it. */
  readonly loadConfig?: () => GatewayConfig;
}

const USAGE = `usage: ocm-gateway <peers|keys|ledger> <command> [options]
  peers show|refresh|forget|list   the per-peer capability cache (ocm-gateway peers help)
  keys generate|rotate|prune|list  the signing keys (ocm-gateway keys help)
  ledger rewrap                    move ledger records to the current ledger key (ocm-gateway ledger help)
The configuration is read like the gateway's: GATEWAY_* variables and GATEWAY_CONFIG.
`;

/** Exit code: 0 done, 1 failed, 2 bad usage or bad configuration. */
export async function runOcmGateway(
  args: readonly string[],
  io: CliIo,
  dependencies: CliDependencies = {},
): Promise<number> {
  const [area, ...rest] = args;
  if (area === undefined || area === 'help' || area === '--help' || area === '-h') {
    (area === undefined ? io.err : io.out).write(USAGE);
    return area === undefined ? 2 : 0;
  }
  if (area !== 'peers' && area !== 'keys' && area !== 'ledger') {
    io.err.write(`error: unknown command "${area}"\n${USAGE}`);
    return 2;
  }
  let config: GatewayConfig;
  try {
    config = (dependencies.loadConfig ?? loadConfigFromProcess)();
  } catch (error) {
    io.err.write(`error: ${configProblem(error)}\n`);
    return 2;
  }
  if (area === 'keys') {
    return runKeysCommand(rest, {
      dataDir: config.state.dataDir,
      publicUrl: config.publicUrl,
      out: io.out,
      err: io.err,
    });
  }
  if (area === 'ledger') {
    return runLedgerCommand(rest, {
      previousKeys: config.ledgerPreviousKeys.length,
      out: io.out,
      err: io.err,
      open: () => openLedger(config),
    });
  }
  return runPeersCommand(rest, { out: io.out, err: io.err, open: () => openPeers(config, io) });
}

/** One line: the first problem, and how many more there are. */
function configProblem(error: unknown): string {
  if (!(error instanceof ConfigError)) return 'the configuration could not be loaded';
  const [first] = error.problems;
  if (first === undefined) return 'the configuration is invalid';
  const more = error.problems.length - 1;
  return `configuration: ${first.where} ${first.problem} (fix: ${first.fix})${more > 0 ? `; ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
}

/**
 * The ledger the gateway uses, with its keys: Redis for shared state, the SQLite file in the data
 * dir for embedded state (WAL: it can be open in the gateway too; a busy file fails the run, which
 * can simply be repeated). The key generated in the data dir is used, never created here.
 */
async function openLedger(config: GatewayConfig) {
  const key = config.ledgerKey ?? readGeneratedLedgerKey(config.state.dataDir);
  if (key === undefined) {
    throw new GatewayError(
      'INTERNAL',
      'no ledger key: set GATEWAY_LEDGER_KEY, or GATEWAY_DATA_DIR to the directory holding ledger.key',
    );
  }
  const stores = await createStores({
    ...stateStoreOptions(config),
    secretKey: key,
    capabilityCacheL1Ms: 0,
  });
  return { ledger: stores.ledger, close: () => stores.close() };
}

/**
 * Shared state: the fleet's Redis through createStores, so the CLI sees and changes what every
 * replica sees. Embedded state lives inside the gateway process, so the CLI can only discover
 * live; it builds in-memory stores instead of opening (or creating) the gateway's ledger.
 */
async function openPeers(config: GatewayConfig, io: CliIo): Promise<PeersBackend> {
  if (config.state.kind === 'embedded') {
    const stores = {
      capabilityCache: new MemoryCapabilityCache(),
      shortLived: new MemoryShortLivedStore(),
    };
    const handle = createPeerResolver({ config, stores });
    return {
      resolver: handle.resolver,
      shared: false,
      close: async () => {
        await handle.close();
        await Promise.all([stores.capabilityCache.close(), stores.shortLived.close()]);
      },
    };
  }
  let warned = false;
  const stores = await createStores({
    redis: config.state.connection,
    keyPrefix: config.state.keyPrefix,
    dataDir: config.state.dataDir,
    secretKey: config.ledgerKey ?? '',
    // A one-shot process: read Redis every time rather than a private copy.
    capabilityCacheL1Ms: 0,
    onError: (store) => {
      if (warned) return;
      warned = true;
      io.err.write(
        `warning: the shared state store failed (${store}); results may not be cached\n`,
      );
    },
  });
  const handle = createPeerResolver({ config, stores });
  return {
    resolver: handle.resolver,
    shared: true,
    close: async () => {
      await handle.close();
      await stores.close();
    },
  };
}

if (import.meta.main) {
  process.exitCode = await runOcmGateway(process.argv.slice(2), {
    out: process.stdout,
    err: process.stderr,
  });
}
