/**
 * The floor under any proxy written for node: each client connection piped byte for byte to a
 * connection of its own to the backend, with no HTTP parsing, no headers, no framework. Whatever
 * an HTTP proxy in node does, it cannot move a body faster than this relay does.
 */
import net, { type AddressInfo } from 'node:net';
import { serveCommands } from './serve-commands.ts';

const backend = new URL(process.argv[2] ?? '');
const open = new Set<net.Socket>();

const server = net.createServer((client) => {
  const upstream = net.connect({ host: backend.hostname, port: Number(backend.port) });
  for (const socket of [client, upstream]) {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  }
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
});

const ready = serveCommands({}, () => {
  for (const socket of open) socket.destroy();
  server.close();
});
server.listen(0, '127.0.0.1', () => {
  ready({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
