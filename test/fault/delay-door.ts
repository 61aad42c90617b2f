/**
 * A TCP relay in front of a server that holds back reply bytes for `delayMs()` ms: a slow
 * backend or a slow peer, without touching the server itself.
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
  const timers = new Set<NodeJS.Timeout>();
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
    // Each reply chunk leaves `delayMs()` after it came, never before the chunk ahead of it: a
    // reused keep-alive connection is slowed down as well as a new one.
    let releaseAt = 0;
    let pending = 0;
    let ended = false;
    outbound.on('data', (chunk: Buffer) => {
      releaseAt = Math.max(releaseAt, Date.now() + delayMs());
      pending += 1;
      const timer = setTimeout(() => {
        timers.delete(timer);
        pending -= 1;
        if (!inbound.destroyed) inbound.write(chunk);
        if (ended && pending === 0) inbound.end();
      }, releaseAt - Date.now());
      timers.add(timer);
    });
    outbound.once('end', () => {
      ended = true;
      if (pending === 0) inbound.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
