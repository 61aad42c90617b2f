/** The GATEWAY_* environment variables of DESIGN §6: names, types, defaults and one line of help each. */
import { z } from 'zod';
import { DIALECT_CHOICES } from './dialect-choices.ts';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .default('0')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .transform((v) => new URL(v));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** Help shown next to a problem: what the variable is for and an example of a good value. */
/** WAIT must answer before the Redis client's 2 s command timeout gives up on it. */
const MAX_WAIT_TIMEOUT_MS = 1_500;

export const ENV_HELP = {
  GATEWAY_PORT: 'public listener port (peers and users), e.g. 9200',
  GATEWAY_INTERNAL_PORT:
    'internal listener port (facade and forward proxy, for the backend only), e.g. 9300',
  GATEWAY_ADMIN_PORT: 'admin listener port (/healthz, /readyz, /metrics), e.g. 9400',
  GATEWAY_HOST: 'bind address of the three listeners, e.g. 127.0.0.1 or 0.0.0.0',
  GATEWAY_PUBLIC_URL: 'the URL peers see for the backend, e.g. https://cloud.example.org',
  GATEWAY_BACKEND_URL: "the backend's base URL, e.g. http://127.0.0.1:8080/nextcloud",
  GATEWAY_BACKEND_DIALECT: `auto (probe the backend) or one of: ${DIALECT_CHOICES.join(', ')}`,
  GATEWAY_REDIS_MODE:
    'standalone (GATEWAY_REDIS_URL), sentinel or cluster (both with GATEWAY_REDIS_NODES)',
  GATEWAY_REDIS_URL:
    'standalone Redis for shared state (redis://, rediss://, user:password@ allowed); leave Redis unset for embedded state in one process',
  GATEWAY_REDIS_NODES:
    'sentinel: the Sentinels, cluster: seed nodes, as host:port,host:port (IPv6 [::1]:7000)',
  GATEWAY_REDIS_SENTINEL_NAME:
    'sentinel: the master group name the Sentinels monitor, e.g. mymaster',
  GATEWAY_REDIS_PASSWORD:
    'password of the Redis data nodes (sentinel/cluster; standalone: in the URL or here)',
  GATEWAY_REDIS_TLS: '1 = TLS to the Sentinels and Redis nodes (standalone: use rediss://)',
  GATEWAY_REDIS_WAIT_REPLICAS:
    'ledger writes count once Redis replicas hold them (WAIT): online (every replica in sync now), or a number; default online with sentinel or cluster, else 0',
  GATEWAY_REDIS_WAIT_TIMEOUT_MS: `how long a ledger write waits for those replicas before it is refused with 503, 1–${MAX_WAIT_TIMEOUT_MS} (below the 2 s Redis command timeout), e.g. 1000`,
  GATEWAY_REDIS_KEY_PREFIX: 'prefix of every Redis key, e.g. ocmgw: (one per gateway fleet)',
  GATEWAY_DATA_DIR: 'directory for the embedded ledger, keys and generated CA, e.g. ./data',
  GATEWAY_LEDGER_KEY:
    'secret (at least 32 characters) that encrypts shared secrets in the ledger; required with Redis',
  GATEWAY_LEDGER_KEY_FILE: 'file holding GATEWAY_LEDGER_KEY (Docker/Kubernetes secret)',
  GATEWAY_LEDGER_PREVIOUS_KEYS:
    'ledger keys GATEWAY_LEDGER_KEY replaced, comma-separated: read until `ocm-gateway ledger rewrap`',
  GATEWAY_LEDGER_PREVIOUS_KEYS_FILE: 'file holding GATEWAY_LEDGER_PREVIOUS_KEYS, one key per line',
  GATEWAY_ALLOW_PRIVATE_PEERS:
    '1 lets peers be plain http and on private/loopback addresses (labs, tests)',
  GATEWAY_EGRESS_CA_CERT: 'PEM file of the organisation CA the forward proxy intercepts TLS with',
  GATEWAY_EGRESS_CA_KEY: 'PEM file of the private key of GATEWAY_EGRESS_CA_CERT',
  GATEWAY_LOG_LEVEL: 'error, warn, info, http, verbose or debug',
  GATEWAY_CONFIG: 'optional YAML file with everything else (policy, timeouts, limits)',
} as const;

export type EnvName = keyof typeof ENV_HELP;

export const envSchema = z.object({
  GATEWAY_PORT: port(9200),
  GATEWAY_INTERNAL_PORT: port(9300),
  GATEWAY_ADMIN_PORT: port(9400),
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PUBLIC_URL: httpUrl.optional(),
  GATEWAY_BACKEND_URL: httpUrl.optional(),
  GATEWAY_BACKEND_DIALECT: z.enum(['auto', ...DIALECT_CHOICES]).default('auto'),
  GATEWAY_REDIS_MODE: z
    .enum(['standalone', 'sentinel', 'cluster'], {
      error: 'must be standalone, sentinel or cluster',
    })
    .default('standalone'),
  GATEWAY_REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional(),
  GATEWAY_REDIS_NODES: optionalText,
  GATEWAY_REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits and . _ - only')
    .optional(),
  GATEWAY_REDIS_PASSWORD: optionalText,
  GATEWAY_REDIS_TLS: flag,
  GATEWAY_REDIS_WAIT_REPLICAS: z
    .union([z.literal('online'), z.coerce.number().int().min(0).max(64)], {
      error: 'must be online or a number of replicas from 0 to 64',
    })
    .optional(),
  GATEWAY_REDIS_WAIT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_WAIT_TIMEOUT_MS)
    .default(1000),
  GATEWAY_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and : _ . - only, at most 64')
    .default('ocmgw:'),
  GATEWAY_DATA_DIR: z.string().min(1).default('./data'),
  GATEWAY_LEDGER_KEY: optionalText,
  GATEWAY_LEDGER_KEY_FILE: optionalText,
  GATEWAY_LEDGER_PREVIOUS_KEYS: optionalText,
  GATEWAY_LEDGER_PREVIOUS_KEYS_FILE: optionalText,
  GATEWAY_ALLOW_PRIVATE_PEERS: flag,
  GATEWAY_EGRESS_CA_CERT: optionalText,
  GATEWAY_EGRESS_CA_KEY: optionalText,
  GATEWAY_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug']).default('info'),
  GATEWAY_CONFIG: optionalText,
} satisfies Record<EnvName, z.ZodType>);

export type ParsedEnv = z.infer<typeof envSchema>;
