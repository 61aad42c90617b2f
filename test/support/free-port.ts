/**
 * A loopback port for a process that must be told its port (the gateway's config takes 1–65535,
 * Redis cannot pick its own). Ports are drawn at random from below the kernel's ephemeral range
 * (32768–60999 on Linux): a port the kernel handed out for `listen(0)` was found taken by another
 * test's `listen(0)` or outgoing connection before the child bound it (EADDRINUSE in CI). Below
 * that range only another explicit pick can collide, and each pick is checked free by binding it.
 */
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';

const LOW = 20_000;
const HIGH = 32_767;
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = randomInt(LOW, HIGH + 1);
    if (handedOut.has(port)) continue;
    if (await bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port in ${LOW}–${HIGH} after 200 tries`);
}
