/**
 * One simulated server of the compose demo mesh (deploy/compose.yaml), in its own container.
 * The simulators (test/sim) bind 127.0.0.1 on a random port; this relays a fixed port on every
 * interface to it, and gives the simulator the name the other containers reach it by.
 *
 *   node deploy/demo/start-sim.ts legacy --flavour nextcloud13 --port 8080 --base-path /nextcloud \
 *     --public-url http://gateway:9200 --proxy http://gateway:9300 --user bob
 *   node deploy/demo/start-sim.ts ocm --version 1.3 --port 8082 --public-url http://peer-ocm:8082 --user carol
 *
 * Not gateway code: it only starts a simulator and relays TCP. Stops on SIGTERM/SIGINT.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { parseArgs } from 'node:util';
import { startLegacyServer, startOcmPeer } from '../../test/sim/index.ts';
import type { LegacyFlavour, OcmVersion } from '../../test/sim/index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '0.0.0.0' },
    flavour: { type: 'string', default: 'nextcloud13' },
    version: { type: 'string', default: '1.3' },
    'base-path': { type: 'string' },
    'public-url': { type: 'string' },
    proxy: { type: 'string' },
    user: { type: 'string', multiple: true, default: [] },
  },
});

const kind = positionals[0];
const port = Number(values.port);
if ((kind !== 'legacy' && kind !== 'ocm') || !Number.isInteger(port) || port < 1) {
  process.stderr.write('usage: start-sim.ts legacy|ocm --port <n> [options]\n');
  process.exit(2);
}
const users = Object.fromEntries(values.user.map((uid) => [uid, uid]));
const publicUrl = values['public-url'];

const sim =
  kind === 'legacy'
    ? await startLegacyServer({
        flavour: values.flavour as LegacyFlavour,
        users,
        schemes: ['http'],
        ...(values['base-path'] === undefined ? {} : { basePath: values['base-path'] }),
        ...(publicUrl === undefined ? {} : { publicUrl }),
        ...(values.proxy === undefined ? {} : { proxy: values.proxy }),
      })
    : await startOcmPeer({
        version: values.version as OcmVersion,
        users,
        schemes: ['http'],
        ...(publicUrl === undefined ? {} : { publicUrl }),
      });

const target = Number(new URL(sim.url).port);
const relay: Server = createServer((client) => {
  const upstream = createConnection({ host: '127.0.0.1', port: target });
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
});
relay.listen(port, values.host, () => {
  process.stdout.write(
    `${kind} simulator ${kind === 'legacy' ? values.flavour : `OCM ${values.version}`} on ${values.host}:${port} (as ${publicUrl ?? sim.url})\n`,
  );
});

const stop = () => {
  relay.close();
  void sim.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
