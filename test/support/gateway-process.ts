/** Runs gateway/main.ts as a real child process on ephemeral loopback ports, reading its JSON log lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'gateway', 'main.ts');

export interface GatewayProcess {
  readonly child: ChildProcess;
  readonly publicUrl: string;
  readonly internalUrl: string;
  readonly adminUrl: string;
  readonly dataDir: string;
  /** Every stdout line parsed as JSON so far. */
  readonly logs: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has exited and its output is read. */
  exited: Promise<number | null>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const port = async (name: string) => Number(env[name] ?? (await freePort()));
  const publicPort = await port('GATEWAY_PORT');
  const internalPort = await port('GATEWAY_INTERNAL_PORT');
  const adminPort = await port('GATEWAY_ADMIN_PORT');
  const dataDir = mkdtempSync(join(tmpdir(), 'gw-test-'));
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      GATEWAY_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(internalPort),
      GATEWAY_ADMIN_PORT: String(adminPort),
      GATEWAY_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let pending = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ unparsed: line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const waitForLog: GatewayProcess['waitForLog'] = (predicate, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = logs.find(predicate);
        if (found === undefined) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`log line not seen in ${timeoutMs} ms; stderr: ${stderr}`));
      }, timeoutMs);
      const onExit = () => {
        if (!check()) {
          cleanup();
          reject(new Error(`gateway exited; stderr: ${stderr}`));
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        child.off('exit', onExit);
      };
      const wake = () => void check();
      waiters.add(wake);
      child.once('exit', onExit);
      check();
    });

  const processHandle: GatewayProcess = {
    child,
    publicUrl: `http://127.0.0.1:${publicPort}`,
    internalUrl: `http://127.0.0.1:${internalPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    dataDir,
    logs,
    stderr: () => stderr,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    waitForLog,
  };
  return processHandle;
}
