/**
 * GATEWAY_LEDGER_PREVIOUS_KEYS[_FILE]: the ledger keys GATEWAY_LEDGER_KEY replaced. Records they
 * sealed stay readable (and findable) until `ocm-gateway ledger rewrap` moves them to the current
 * key; then the list can be emptied. The variable separates keys by commas or line breaks, the
 * file by line breaks (a key with a comma belongs in the file). Never echoed back in an error.
 */
import type { ConfigProblem } from './config-error.ts';
import type { ParsedEnv } from './env-schema.ts';

export function resolvePreviousLedgerKeys(
  env: ParsedEnv,
  readFile: (path: string) => string,
  problems: ConfigProblem[],
): readonly string[] {
  const inline = env.GATEWAY_LEDGER_PREVIOUS_KEYS;
  const file = env.GATEWAY_LEDGER_PREVIOUS_KEYS_FILE;
  if (inline !== undefined && file !== undefined) {
    problems.push({
      where: 'GATEWAY_LEDGER_PREVIOUS_KEYS_FILE',
      problem: 'set together with GATEWAY_LEDGER_PREVIOUS_KEYS',
      fix: 'set only one of the two',
    });
    return [];
  }
  let text: string;
  let separator: RegExp;
  if (file !== undefined) {
    try {
      text = readFile(file);
    } catch {
      problems.push({
        where: 'GATEWAY_LEDGER_PREVIOUS_KEYS_FILE',
        problem: `cannot read ${file}`,
        fix: 'a file with one previous ledger key per line (a Docker/Kubernetes secret)',
      });
      return [];
    }
    separator = /\r?\n/;
  } else {
    text = inline ?? '';
    separator = /[,\r\n]/;
  }
  const keys = text
    .split(separator)
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const short = keys.findIndex((key) => key.length < 32);
  if (short >= 0) {
    problems.push({
      where:
        file === undefined ? 'GATEWAY_LEDGER_PREVIOUS_KEYS' : 'GATEWAY_LEDGER_PREVIOUS_KEYS_FILE',
      problem: `key ${short + 1} is ${keys[short]?.length ?? 0} characters long, at least 32 are needed`,
      fix: 'list the exact keys GATEWAY_LEDGER_KEY had before',
    });
    return [];
  }
  return keys;
}
