/** Composition root: load config → start the gateway → SIGHUP reloads the config; SIGTERM/SIGINT drain and exit 0. */
import { unwatchFile, watchFile } from 'node:fs';
import { ConfigError } from '../config/config-error.ts';
import { loadConfigFromProcess } from '../config/load-config-from-process.ts';
import type { GatewayConfig } from '../config/gateway-config.ts';
import { createLogger } from './observability/create-logger.ts';
import { startGateway } from './start-gateway.ts';

function readConfig(): GatewayConfig | undefined {
  try {
    return loadConfigFromProcess();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`ocm-gateway: not started.\n${error.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  if (config === undefined) return;
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled promise rejection', { error: reason });
  });

  const gateway = await startGateway(config, { logger });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal while draining: exiting now', { signal });
      process.exit(1);
    }
    stopping = true;
    if (watched !== undefined) unwatchFile(watched);
    logger.info('shutting down: no new connections, draining in-flight requests', { signal });
    gateway.stop().then(
      (summary) => {
        logger.info('stopped', { ...summary });
        process.exitCode = 0;
        // Anything still holding the event loop open must not keep a stopped gateway alive.
        setTimeout(() => process.exit(0), 2_000).unref();
      },
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  // Re-reads GATEWAY_CONFIG and applies what can change live; a bad file keeps the running config.
  const reload = (trigger: string) => {
    if (stopping) return;
    logger.info(`${trigger}: reloading the configuration`, { configFile: config.configFile });
    gateway.reload(loadConfigFromProcess);
  };
  process.on('SIGHUP', () => {
    reload('SIGHUP');
  });
  const watched = config.reload.watch ? config.configFile : undefined;
  if (watched !== undefined) {
    watchFile(
      watched,
      { interval: config.reload.watchIntervalMs, persistent: false },
      (now, before) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size)
          reload('config file changed');
      },
    );
    logger.info('watching the config file: a change reloads it', {
      configFile: watched,
      intervalMs: config.reload.watchIntervalMs,
    });
  }
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ocm-gateway: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
