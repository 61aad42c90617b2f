/**
 * A TCP relay in front of a server that holds back each connection's first reply bytes for
 * `delayMs()` ms: a slow backend or a slow peer, without touching the server itself.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

export interface DelayDoor {
  readonly port: number;
  close(): Promise<void>;
}

export async function startDelayDoor(
  targetPort: () => number,
  delayMs: () => number,
): Promise<DelayDoor> {
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(targetPort(), '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.once('close', () => outbound.destroy());
    inbound.pipe(outbound);
    const held: Buffer[] = [];
    let released = false;
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    outbound.on('data', (chunk: Buffer) => {
      if (released) {
        inbound.write(chunk);
        return;
      }
      held.push(chunk);
      timer ??= setTimeout(() => {
        released = true;
        for (const c of held.splice(0)) inbound.write(c);
        if (ended) inbound.end();
      }, delayMs());
    });
    outbound.once('end', () => {
      ended = true;
      if (released || timer === undefined) inbound.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
