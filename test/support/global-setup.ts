/** Test-run setup: make sure a real Redis answers for the integration tests, starting a private one if needed. */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './free-port.ts';

let started: ChildProcess | undefined;

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function globalSetup(): Promise<void> {
  if (process.env.TEST_REDIS_URL !== undefined) return;
  if (await pingRedis(6379)) {
    process.env.TEST_REDIS_URL = 'redis://127.0.0.1:6379';
    return;
  }
  const port = await freePort();
  started = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  started.once('error', () => {
    process.stderr.write('test setup: redis-server not found; Redis tests will fail\n');
  });
  for (let i = 0; i < 50 && !(await pingRedis(port)); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.env.TEST_REDIS_URL = `redis://127.0.0.1:${port}`;
}

export function globalTeardown(): void {
  started?.kill('SIGKILL');
}
