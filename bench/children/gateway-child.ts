/** The whole gateway (config → stores → three listeners) in its own process, as `npm start` runs it, plus memory probes. */
import { loadConfig } from '../../config/load-config.ts';
import { createLogger } from '../../gateway/observability/create-logger.ts';
import { startGateway } from '../../gateway/start-gateway.ts';
import { MemoryWatch } from './memory-watch.ts';
import { serveCommands } from './serve-commands.ts';

// The GATEWAY_* variables come as one JSON argument: the config is given explicitly, never read
// from this process's environment.
const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const config = loadConfig({ env });
const gateway = await startGateway(config, { logger: createLogger({ level: config.logLevel }) });
const watch = new MemoryWatch();

const ready = serveCommands(
  {
    'memory-start': (m) =>
      Promise.resolve(watch.start(typeof m.gcEveryMs === 'number' ? m.gcEveryMs : 0)),
    'memory-stop': () => Promise.resolve(watch.stop()),
  },
  async () => {
    watch.stop();
    await gateway.stop();
  },
);
ready({ origin: gateway.publicUrl, internalUrl: gateway.internalUrl });
