/**
 * A TCP door in front of a simulator on a port that stays the same: closing it makes the peer
 * "down" (connections refused), opening it again brings the same address back.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../../support/free-port.ts';

export interface SwitchablePort {
  readonly port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startSwitchablePort(targetPort: () => number): Promise<SwitchablePort> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(targetPort(), '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  // Not listen(0): while down, a port from the kernel's ephemeral range can be handed to anyone.
  const port = await freePort();
  await listen(port);
  const down = async (): Promise<void> => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  return { port, down, up: () => listen(port), close: down };
}
