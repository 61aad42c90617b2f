/**
 * A dedicated redis-server for tests that must stop and restart Redis (outage tests). Loopback
 * only, a free ephemeral port, no persistence; killed at the latest when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface RedisProcess {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /**
   * Kills the server at once (SIGKILL: an outage, not a shutdown) and removes its directory.
   * Safe to call twice; restart() may follow.
   */
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop(), or kills and restarts a running one). */
  restart(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts redis-server on a free loopback port and resolves once it accepts connections. */
export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  let child: ChildProcess | undefined = await launch(port, dir);
  const stop = async (): Promise<void> => {
    const current = child;
    child = undefined;
    if (current !== undefined) await kill(current);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      child = await launch(port, dir);
    },
  };
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'notice',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      fail(new Error(`redis-server did not start on port ${port} within 5 s:\n${output}`));
    }, 5_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      running.delete(child);
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => {
      fail(new Error(`redis-server exited with ${String(code)} before it was ready:\n${output}`));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.removeAllListeners('error');
        child.stdout.removeAllListeners('data');
        child.stderr.removeAllListeners('data');
        child.stdout.resume();
        child.stderr.resume();
        resolve(child);
      }
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}
