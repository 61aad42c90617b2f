/** Reads the environment (and the optional YAML file) once, validates everything, and returns a frozen config. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { ENV_HELP, envSchema, type EnvName, type ParsedEnv } from './env-schema.ts';
import { fileSchema, type FileConfig } from './file-schema.ts';
import type { GatewayConfig } from './gateway-config.ts';
import { backendProblems, buildBackends } from './backends-config.ts';
import { deepFreeze } from './deep-freeze.ts';
import {
  ledgerDurabilityOf,
  redisConfigured,
  redisConnectionOf,
  redisProblems,
} from './redis-connection-config.ts';
import { resolvePreviousLedgerKeys } from './ledger-previous-keys.ts';
import { readSecretSetting } from './secret-setting.ts';

/** Variables whose values must never be echoed back in an error. */
const SECRET_VARIABLES = new Set<string>([
  'GATEWAY_LEDGER_KEY',
  'GATEWAY_LEDGER_PREVIOUS_KEYS',
  'GATEWAY_REDIS_PASSWORD',
  // May carry user:password@.
  'GATEWAY_REDIS_URL',
]);

export interface LoadConfigOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (path: string) => string;
}

export function loadConfig(options: LoadConfigOptions): GatewayConfig {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const problems: ConfigProblem[] = [];

  const env = parseEachVariable(options.env, problems);
  const { file, listsBackends } = loadFile(env.GATEWAY_CONFIG, readFile, problems);
  const ledgerKey = resolveLedgerKey(env, readFile, problems);
  const ledgerPreviousKeys = resolvePreviousLedgerKeys(env, readFile, problems);
  const multi = listsBackends;
  problems.push(...crossFieldProblems(env, ledgerKey, multi));
  if (file !== undefined && multi) problems.push(...backendProblems(env, file, env.GATEWAY_CONFIG));
  if (problems.length > 0 || file === undefined) throw new ConfigError(problems);

  return deepFreeze(buildConfig(env, file, { current: ledgerKey, previous: ledgerPreviousKeys }));
}

/**
 * Each variable is parsed on its own, so one bad value does not hide the problems of the others
 * (a missing URL is still reported next to a bad port). A bad value falls back to its default
 * only to let the cross-field checks run; the problem list already stops start-up.
 */
function parseEachVariable(source: LoadConfigOptions['env'], problems: ConfigProblem[]): ParsedEnv {
  const picked = pickGatewayVariables(source);
  const parsed = envSchema.safeParse(picked);
  if (parsed.success) return parsed.data;
  problems.push(...envProblems(parsed.error, source));
  const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const good = Object.fromEntries(Object.entries(picked).filter(([name]) => !bad.has(name)));
  return envSchema.parse(good);
}

function pickGatewayVariables(env: LoadConfigOptions['env']): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(ENV_HELP)) {
    const value = env[name];
    if (value !== undefined && value !== '') picked[name] = value;
  }
  return picked;
}

function envProblems(error: z.ZodError, env: LoadConfigOptions['env']): ConfigProblem[] {
  return error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const value = env[name];
    const shown = SECRET_VARIABLES.has(name) || value === undefined ? '' : ` (got "${value}")`;
    return {
      where: name,
      problem: `${issue.message}${shown}`,
      fix: name in ENV_HELP ? ENV_HELP[name as EnvName] : 'remove it',
    };
  });
}

function loadFile(
  path: string | undefined,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): { file: FileConfig | undefined; listsBackends: boolean } {
  let raw: unknown = {};
  if (path !== undefined) {
    try {
      raw = parseYaml(readFile(path)) ?? {};
    } catch (error) {
      problems.push({
        where: `GATEWAY_CONFIG (${path})`,
        problem: `cannot be read as YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        fix: 'point GATEWAY_CONFIG at a readable YAML file; see config/gateway.example.yaml',
      });
      return { file: undefined, listsBackends: false };
    }
  }
  // Known even when the file has other problems: it decides whether GATEWAY_*_URL are required.
  const backends = (raw as { backends?: unknown } | null)?.backends;
  const listsBackends = Array.isArray(backends) && backends.length > 0;
  const parsed = fileSchema.safeParse(raw);
  if (parsed.success) return { file: parsed.data, listsBackends };
  for (const issue of parsed.error.issues) {
    const key = issue.path.join('.') || '(top level)';
    problems.push({
      where: `${path ?? 'config file'}: ${key}`,
      problem: issue.message,
      fix: 'see the documented key in config/gateway.example.yaml',
    });
  }
  return { file: undefined, listsBackends };
}

function resolveLedgerKey(
  env: ParsedEnv,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): string | undefined {
  const setting = readSecretSetting(
    { variable: 'GATEWAY_LEDGER_KEY', file: 'GATEWAY_LEDGER_KEY_FILE' },
    { variable: env.GATEWAY_LEDGER_KEY, file: env.GATEWAY_LEDGER_KEY_FILE },
    readFile,
    problems,
    ENV_HELP.GATEWAY_LEDGER_KEY_FILE,
  );
  if (setting === undefined) return undefined;
  const key = setting.fromFile ? setting.text.trim() : setting.text;
  if (key.length < 32) {
    problems.push({
      where: setting.where,
      problem: `is ${key.length} characters long, at least 32 are needed`,
      fix: 'generate one with: openssl rand -base64 48',
    });
  }
  return key;
}

function crossFieldProblems(
  env: ParsedEnv,
  ledgerKey: string | undefined,
  multiBackend: boolean,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const required = ['GATEWAY_PUBLIC_URL', 'GATEWAY_BACKEND_URL'] as const;
  for (const name of required) {
    if (multiBackend && env[name] !== undefined) {
      problems.push({
        where: name,
        problem: 'is set while the config file lists backends:',
        fix: 'unset it and give every backend its url and publicUrl in backends:',
      });
    } else if (!multiBackend && env[name] === undefined) {
      problems.push({ where: name, problem: 'is required', fix: ENV_HELP[name] });
    }
  }
  problems.push(...redisProblems(env));
  if (redisConfigured(env) && ledgerKey === undefined) {
    problems.push({
      where: 'GATEWAY_LEDGER_KEY',
      problem: 'is required with Redis (every replica must decrypt the same ledger)',
      fix: 'set GATEWAY_LEDGER_KEY or GATEWAY_LEDGER_KEY_FILE to the same secret on every replica',
    });
  }
  if ((env.GATEWAY_EGRESS_CA_CERT === undefined) !== (env.GATEWAY_EGRESS_CA_KEY === undefined)) {
    problems.push({
      where: 'GATEWAY_EGRESS_CA_CERT / GATEWAY_EGRESS_CA_KEY',
      problem: 'only one of the pair is set',
      fix: 'set both (certificate and its private key), or neither to have a CA generated',
    });
  }
  for (const name of required) {
    const url = env[name];
    if (url !== undefined && (url.search !== '' || url.hash !== '' || url.username !== '')) {
      problems.push({
        where: name,
        problem: 'must not carry a query, fragment or credentials',
        fix: ENV_HELP[name],
      });
    }
  }
  return problems;
}

function buildConfig(
  env: ParsedEnv,
  file: FileConfig,
  ledgerKeys: { readonly current: string | undefined; readonly previous: readonly string[] },
): GatewayConfig {
  const withoutTrailingSlash = (url: URL | undefined) => (url?.href ?? '').replace(/\/+$/, '');
  const redis = redisConnectionOf(env);
  const { backends: entries, ...rest } = file;
  const backends = buildBackends(env, file, {
    publicUrl: withoutTrailingSlash(env.GATEWAY_PUBLIC_URL),
    backendUrl: withoutTrailingSlash(env.GATEWAY_BACKEND_URL),
  });
  const first = backends[0];
  return {
    ...rest,
    listeners: {
      host: env.GATEWAY_HOST,
      publicPort: env.GATEWAY_PORT,
      internalPort: env.GATEWAY_INTERNAL_PORT,
      adminPort: env.GATEWAY_ADMIN_PORT,
    },
    publicUrl: first?.publicUrl ?? '',
    backendUrl: first?.url ?? '',
    backendDialect: first?.dialect ?? env.GATEWAY_BACKEND_DIALECT,
    backends,
    multiBackend: entries.length > 0,
    state:
      redis === undefined
        ? { kind: 'embedded', dataDir: env.GATEWAY_DATA_DIR }
        : {
            kind: 'redis',
            connection: redis,
            keyPrefix: env.GATEWAY_REDIS_KEY_PREFIX,
            dataDir: env.GATEWAY_DATA_DIR,
            ledgerDurability: ledgerDurabilityOf(env),
          },
    ledgerKey: ledgerKeys.current,
    ledgerPreviousKeys: ledgerKeys.previous,
    allowPrivatePeers: env.GATEWAY_ALLOW_PRIVATE_PEERS,
    egressCa:
      env.GATEWAY_EGRESS_CA_CERT !== undefined && env.GATEWAY_EGRESS_CA_KEY !== undefined
        ? { certFile: env.GATEWAY_EGRESS_CA_CERT, keyFile: env.GATEWAY_EGRESS_CA_KEY }
        : undefined,
    logLevel: env.GATEWAY_LOG_LEVEL,
    configFile: env.GATEWAY_CONFIG,
  };
}
