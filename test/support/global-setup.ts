/**
 * Test-run setup: the read-only reference folder must sit beside the checkout, and a real Redis
 * must answer for the integration tests (a private one is started if none does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { sharedDir } from '../contract/ocm-conformance/shared-reference.ts';
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
  // The codecs are tested against the OCM specs and legacy fixtures of ../shared: without it,
  // one clear message instead of dozens of ENOENTs.
  if (!existsSync(`${sharedDir}/reference/legacy-fixtures`)) {
    throw new Error(
      `the tests read the OCM specs and legacy fixtures from ${sharedDir}: put the shared reference folder beside the checkout`,
    );
  }
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
