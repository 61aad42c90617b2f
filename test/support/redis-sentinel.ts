/**
 * A real Sentinel set-up for tests: one master, two replicas and one Sentinel (quorum 1) of the
 * installed redis-server on free loopback ports, with min-replicas-to-write 1 (so the promoted
 * master still has a replica while Sentinel turns the old master into one). failover() asks the
 * Sentinel to promote a replica and waits until it reports the new master. Every process is
 * killed by stop() and at the latest when the test process exits.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';
import { killRedis, spawnRedis, type RedisNode } from './redis-cluster.ts';

export interface RedisSentinelSetup {
  readonly masterName: string;
  readonly sentinels: readonly RedisNode[];
  /** "127.0.0.1:<sentinel port>" for GATEWAY_REDIS_NODES. */
  readonly nodesEnv: string;
  /** Where the Sentinel says the master is now. */
  master(): Promise<RedisNode>;
  /** SENTINEL FAILOVER, then waits (up to 20 s) until the Sentinel names another master. */
  failover(): Promise<RedisNode>;
  stop(): Promise<void>;
}

const MASTER_NAME = 'gwmaster';

export async function startRedisSentinel(): Promise<RedisSentinelSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.splice(0).map((child) => killRedis(child)));
    rmSync(dir, { recursive: true, force: true });
  };
  const dataNode = async (port: number, extra: string[]) => {
    const nodeDir = join(dir, String(port));
    mkdirSync(nodeDir);
    children.push(
      await spawnRedis([
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        nodeDir,
        '--save',
        '',
        '--appendonly',
        'no',
        // As recommended for Sentinel: a master cut off from its replica (a demoted master,
        // before Sentinel reconfigures it) refuses writes (NOREPLICAS) instead of acknowledging
        // writes the failover will throw away.
        '--min-replicas-to-write',
        '1',
        '--min-replicas-max-lag',
        '2',
        ...extra,
      ]),
    );
  };
  let sentinel: Redis | undefined;
  try {
    const [masterPort, replicaPort, secondReplicaPort, sentinelPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    await dataNode(masterPort, []);
    await dataNode(replicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]);
    await dataNode(secondReplicaPort, ['--replicaof', '127.0.0.1', String(masterPort)]);
    await waitForReplicas(masterPort, 2);
    // Sentinel rewrites its config file: it must be its own, writable.
    const config = join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
        `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
        `sentinel failover-timeout ${MASTER_NAME} 5000`,
        `sentinel parallel-syncs ${MASTER_NAME} 1`,
        '',
      ].join('\n'),
    );
    children.push(await spawnRedis([config, '--sentinel'], '+monitor master'));
    sentinel = new Redis({ host: '127.0.0.1', port: sentinelPort, maxRetriesPerRequest: 1 });
    const client = sentinel;
    const master = async (): Promise<RedisNode> => {
      const reply = (await client.call(
        'SENTINEL',
        'GET-MASTER-ADDR-BY-NAME',
        MASTER_NAME,
      )) as string[];
      return { host: reply[0] ?? '', port: Number(reply[1]) };
    };
    // The Sentinel must know the replicas before it can fail over to one.
    await until(async () => {
      const replicas = (await client.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
      return (
        replicas.filter((fields) => {
          const at = (name: string) => fields[fields.indexOf(name) + 1];
          return at('flags') === 'slave' && at('master-link-status') === 'ok';
        }).length === 2
      );
    }, 'the Sentinel never saw both replicas');
    return {
      masterName: MASTER_NAME,
      sentinels: [{ host: '127.0.0.1', port: sentinelPort }],
      nodesEnv: `127.0.0.1:${sentinelPort}`,
      master,
      failover: async () => {
        const before = await master();
        // NOGOODSLAVE while the Sentinel's view of the replica is still being refreshed.
        await until(
          () =>
            client.call('SENTINEL', 'FAILOVER', MASTER_NAME).then(
              () => true,
              (error: unknown) => {
                if (String(error).includes('NOGOODSLAVE')) return false;
                throw error;
              },
            ),
          'the Sentinel found no replica to promote',
        );
        await until(async () => (await master()).port !== before.port, 'no failover in 20 s');
        return master();
      },
      stop: async () => {
        client.disconnect();
        await stop();
      },
    };
  } catch (error) {
    sentinel?.disconnect();
    await stop();
    throw error;
  }
}

async function waitForReplicas(masterPort: number, count: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port: masterPort, maxRetriesPerRequest: 1 });
  try {
    await until(
      async () => (await client.info('replication')).split('state=online').length - 1 >= count,
      'the replicas never came online',
    );
  } finally {
    client.disconnect();
  }
}

async function until(check: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
