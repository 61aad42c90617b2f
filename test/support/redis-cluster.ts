/**
 * A real Redis Cluster for tests: N masters (and optional replicas) of the installed redis-server
 * on free loopback ports, joined by `redis-cli --cluster create`. No persistence; every process
 * this module started is killed by stop() and at the latest when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

export interface RedisCluster {
  /** Every node, masters first. */
  readonly nodes: readonly RedisNode[];
  /** "127.0.0.1:p1,127.0.0.1:p2,..." for GATEWAY_REDIS_NODES. */
  readonly nodesEnv: string;
  /** Kills every node (SIGKILL) and removes the directories. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRedisCluster(
  options: { masters?: number; replicasPerMaster?: number } = {},
): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const children: ChildProcess[] = [];
  const nodes: RedisNode[] = [];
  const stop = async () => {
    await Promise.all(children.splice(0).map((child) => killRedis(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i += 1) {
      const port = await freePort();
      // The bus port defaults to port + 10000, which may not be free (or exist): pick one.
      const busPort = await freePort();
      const nodeDir = join(dir, String(port));
      mkdirSync(nodeDir);
      children.push(
        await spawnRedis([
          '--port',
          String(port),
          '--cluster-port',
          String(busPort),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          nodeDir,
          '--save',
          '',
          '--appendonly',
          'no',
        ]),
      );
      nodes.push({ host: '127.0.0.1', port });
    }
    await runRedisCli([
      '--cluster',
      'create',
      ...nodes.map((node) => `${node.host}:${node.port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    await waitForClusterOk(nodes);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes,
    nodesEnv: nodes.map((node) => `${node.host}:${node.port}`).join(','),
    stop,
  };
}

/** Every node says cluster_state:ok and knows all 16384 slots (the join has spread). */
async function waitForClusterOk(nodes: readonly RedisNode[]): Promise<void> {
  const until = Date.now() + 15_000;
  for (const node of nodes) {
    const client = new Redis({ host: node.host, port: node.port, maxRetriesPerRequest: 1 });
    try {
      for (;;) {
        const info = await client.cluster('INFO');
        if (info.includes('cluster_state:ok') && info.includes('cluster_slots_ok:16384')) break;
        if (Date.now() > until) throw new Error(`cluster not ok on ${node.port}:\n${info}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      client.disconnect();
    }
  }
}

/**
 * Spawns redis-server with `args` and resolves once it logs `readyText`; the process is tracked
 * for the exit-time kill. Exported for the Sentinel set-up.
 */
export function spawnRedis(
  args: readonly string[],
  readyText = 'Ready to accept connections',
): Promise<ChildProcess> {
  const child = spawn('redis-server', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      fail(new Error(`redis-server ${args.join(' ')} not ready within 10 s:\n${output}`));
    }, 10_000);
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
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (!output.includes(readyText)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      child.stdout.removeAllListeners('data');
      child.stderr.removeAllListeners('data');
      child.stdout.resume();
      child.stderr.resume();
      resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

/** SIGKILL (an outage, not a shutdown) of a process this module started. */
export function killRedis(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGKILL');
  });
}

function runRedisCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-cli ${args.join(' ')} timed out:\n${output}`));
    }, 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`redis-cli ${args.join(' ')} exited with ${String(code)}:\n${output}`));
    });
  });
}
