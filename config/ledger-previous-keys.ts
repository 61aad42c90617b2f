/**
 * GATEWAY_LEDGER_PREVIOUS_KEYS[_FILE]: the ledger keys GATEWAY_LEDGER_KEY replaced. Records they
 * sealed stay readable (and findable) until `ocm-gateway ledger rewrap` moves them to the current
 * key; then the list can be emptied. The variable separates keys by commas or line breaks, the
 * file by line breaks (a key with a comma belongs in the file). Never echoed back in an error.
 */
import type { ConfigProblem } from './config-error.ts';
import type { ParsedEnv } from './env-schema.ts';
import { readSecretSetting } from './secret-setting.ts';

export function resolvePreviousLedgerKeys(
  env: ParsedEnv,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): readonly string[] {
  const setting = readSecretSetting(
    { variable: 'GATEWAY_LEDGER_PREVIOUS_KEYS', file: 'GATEWAY_LEDGER_PREVIOUS_KEYS_FILE' },
    { variable: env.GATEWAY_LEDGER_PREVIOUS_KEYS, file: env.GATEWAY_LEDGER_PREVIOUS_KEYS_FILE },
    readFile,
    problems,
    'a file with one previous ledger key per line (a Docker/Kubernetes secret)',
  );
  if (setting === undefined) return [];
  const keys = setting.text
    .split(setting.fromFile ? /\r?\n/ : /[,\r\n]/)
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const short = keys.findIndex((key) => key.length < 32);
  if (short >= 0) {
    problems.push({
      where: setting.where,
      problem: `key ${short + 1} is ${keys[short]?.length ?? 0} characters long, at least 32 are needed`,
      fix: 'list the exact keys GATEWAY_LEDGER_KEY had before',
    });
    return [];
  }
  return keys;
}
