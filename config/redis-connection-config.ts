/** GATEWAY_REDIS_* → how to reach Redis (standalone, Sentinel or Cluster), and what is wrong with them. */
import { parseRedisNodes, type RedisConnection } from '../adapters/redis/redis-connection.ts';
import type { LedgerDurability } from '../adapters/redis/ledger-write.ts';
import type { ConfigProblem } from './config-error.ts';
import { ENV_HELP } from './env-schema.ts';
import type { ParsedEnv } from './env-schema.ts';

/** Whether any Redis is configured (shared state), even a badly configured one. */
export function redisConfigured(env: ParsedEnv): boolean {
  return env.GATEWAY_REDIS_MODE === 'standalone'
    ? env.GATEWAY_REDIS_URL !== undefined
    : env.GATEWAY_REDIS_NODES !== undefined;
}

/** Undefined: no Redis configured (embedded state). Assumes redisProblems(env) found nothing. */
export function redisConnectionOf(env: ParsedEnv): RedisConnection | undefined {
  const password = env.GATEWAY_REDIS_PASSWORD;
  switch (env.GATEWAY_REDIS_MODE) {
    case 'standalone':
      if (env.GATEWAY_REDIS_URL === undefined) return undefined;
      return {
        mode: 'standalone',
        url: env.GATEWAY_REDIS_URL,
        ...(password !== undefined && { password }),
      };
    case 'sentinel':
      if (env.GATEWAY_REDIS_NODES === undefined) return undefined;
      return {
        mode: 'sentinel',
        nodes: parseRedisNodes(env.GATEWAY_REDIS_NODES),
        sentinelName: env.GATEWAY_REDIS_SENTINEL_NAME ?? '',
        ...(password !== undefined && { password }),
        tls: env.GATEWAY_REDIS_TLS,
      };
    case 'cluster':
      if (env.GATEWAY_REDIS_NODES === undefined) return undefined;
      return {
        mode: 'cluster',
        nodes: parseRedisNodes(env.GATEWAY_REDIS_NODES),
        ...(password !== undefined && { password }),
        tls: env.GATEWAY_REDIS_TLS,
      };
  }
}

/**
 * Sentinel and Cluster (where a failover promotes a replica): wait for the replicas in sync unless
 * told otherwise; one standalone server: no wait.
 */
export function ledgerDurabilityOf(env: ParsedEnv): LedgerDurability {
  return {
    replicas:
      env.GATEWAY_REDIS_WAIT_REPLICAS ?? (env.GATEWAY_REDIS_MODE === 'standalone' ? 0 : 'online'),
    timeoutMs: env.GATEWAY_REDIS_WAIT_TIMEOUT_MS,
  };
}

export function redisProblems(env: ParsedEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const mode = env.GATEWAY_REDIS_MODE;
  const problem = (where: EnvNameOfRedis, text: string, fix: string = ENV_HELP[where]) => {
    problems.push({ where, problem: text, fix });
  };
  if (mode === 'standalone') {
    if (env.GATEWAY_REDIS_NODES !== undefined) {
      problem(
        'GATEWAY_REDIS_NODES',
        'is only read with GATEWAY_REDIS_MODE=sentinel or cluster',
        'set GATEWAY_REDIS_MODE=sentinel or cluster, or use GATEWAY_REDIS_URL for one server',
      );
    }
    if (env.GATEWAY_REDIS_URL === undefined && env.GATEWAY_REDIS_PASSWORD !== undefined) {
      problem(
        'GATEWAY_REDIS_PASSWORD',
        'is set but no Redis is configured',
        ENV_HELP.GATEWAY_REDIS_URL,
      );
    }
    if (env.GATEWAY_REDIS_URL !== undefined && env.GATEWAY_REDIS_PASSWORD !== undefined) {
      if (new URL(env.GATEWAY_REDIS_URL).password !== '') {
        problem(
          'GATEWAY_REDIS_PASSWORD',
          'is set and GATEWAY_REDIS_URL carries a password too',
          'keep the password in one place only',
        );
      }
    }
  } else {
    if (env.GATEWAY_REDIS_NODES === undefined) {
      problem('GATEWAY_REDIS_NODES', `is required with GATEWAY_REDIS_MODE=${mode}`);
    } else {
      try {
        parseRedisNodes(env.GATEWAY_REDIS_NODES);
      } catch (error) {
        problem('GATEWAY_REDIS_NODES', error instanceof Error ? error.message : 'is malformed');
      }
    }
    if (env.GATEWAY_REDIS_URL !== undefined) {
      problem(
        'GATEWAY_REDIS_URL',
        `is only read with GATEWAY_REDIS_MODE=standalone (got mode ${mode})`,
        'list the nodes in GATEWAY_REDIS_NODES and the password in GATEWAY_REDIS_PASSWORD',
      );
    }
  }
  if (mode === 'sentinel' && env.GATEWAY_REDIS_SENTINEL_NAME === undefined) {
    problem('GATEWAY_REDIS_SENTINEL_NAME', 'is required with GATEWAY_REDIS_MODE=sentinel');
  }
  if (mode !== 'sentinel' && env.GATEWAY_REDIS_SENTINEL_NAME !== undefined) {
    problem(
      'GATEWAY_REDIS_SENTINEL_NAME',
      'is only read with GATEWAY_REDIS_MODE=sentinel',
      'set GATEWAY_REDIS_MODE=sentinel or remove it',
    );
  }
  if (mode === 'standalone' && env.GATEWAY_REDIS_TLS) {
    problem(
      'GATEWAY_REDIS_TLS',
      'is only read with GATEWAY_REDIS_MODE=sentinel or cluster',
      'for one server use a rediss:// URL',
    );
  }
  return problems;
}

type EnvNameOfRedis = Extract<keyof typeof ENV_HELP, `GATEWAY_REDIS_${string}`>;
