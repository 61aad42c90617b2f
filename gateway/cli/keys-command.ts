/**
 * `ocm-gateway keys generate|rotate|prune|list`: operator commands over the signing key set.
 * Prints ids, states and dates only; private key material never reaches the output.
 */
import { FileKeyStore, defaultKeyDir } from '../../adapters/keys/file-key-store.ts';
import { toGatewayError } from '../core/errors/gateway-error.ts';
import { cavageKeyId, rfc9421KeyId } from '../core/signatures/key-publication.ts';
import { KEY_FAMILIES, type KeySet } from '../core/signatures/key-set.ts';
import type { KeyFamily } from '../core/signatures/signing-key.ts';

export interface KeysCommandContext {
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly out: { write(text: string): unknown };
  /** Where problems go; defaults to `out`. */
  readonly err?: { write(text: string): unknown };
  /** A key directory other than `<dataDir>/keys`, e.g. a mounted secret. */
  readonly keyDir?: string;
  readonly readOnly?: boolean;
  /** Epoch milliseconds; defaults to the wall clock. */
  readonly now?: () => number;
}

export const DEFAULT_OVERLAP_MS = 7 * 86_400_000;

const USAGE = `usage: ocm-gateway keys <command>
  generate                      create the key set if there is none (Ed25519 + RSA-2048)
  rotate [--overlap 7d] [--alg ed25519|rsa]
                                next key starts signing, the active one stays published
                                for the overlap (s, m, h or d), a new next key is made
  prune                         drop retired keys whose overlap is over
  list [--json]                 kid, alg, state, created, retired-until, published key id
`;

/** Exit code: 0 done, 1 failed (message printed), 2 bad usage. */
export async function runKeysCommand(
  args: readonly string[],
  context: KeysCommandContext,
): Promise<number> {
  const err = context.err ?? context.out;
  const now = (context.now ?? Date.now)();
  const dir = context.keyDir ?? defaultKeyDir(context.dataDir);
  const store = new FileKeyStore({ dir, readOnly: context.readOnly ?? false });
  const [command, ...rest] = args;
  const options = parseOptions(rest);
  if (typeof options === 'string') return usage(err, options);
  try {
    switch (command) {
      case 'generate': {
        if (!noOptions(options) || rest.length > 0) return usage(err, 'generate takes no options');
        if (await store.exists()) {
          context.out.write(`A key set already exists in ${dir}; nothing generated.\n`);
          return 0;
        }
        const set = await store.load(now);
        context.out.write(`Generated a key set in ${dir}:\n${table(set, context.publicUrl)}`);
        return 0;
      }
      case 'rotate': {
        if (options.json) return usage(err, 'rotate takes --overlap and --alg only');
        const set = await store.rotate(now, options.overlapMs, options.families);
        context.out.write(
          `Rotated ${options.families.join(', ')}:\n${table(set, context.publicUrl)}`,
        );
        return 0;
      }
      case 'prune': {
        if (!noOptions(options) || rest.length > 0) return usage(err, 'prune takes no options');
        context.out.write(table(await store.prune(now), context.publicUrl));
        return 0;
      }
      case 'list': {
        if (rest.some((arg) => arg !== '--json')) return usage(err, 'list takes --json only');
        if (!(await store.exists())) {
          err.write(`No key set in ${dir}; create one with \`ocm-gateway keys generate\`.\n`);
          return 1;
        }
        const set = await store.load(now);
        context.out.write(
          options.json
            ? `${JSON.stringify(rows(set, context.publicUrl), null, 2)}\n`
            : table(set, context.publicUrl),
        );
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
        context.out.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        return usage(err, `unknown command "${command}"`);
    }
  } catch (error) {
    // GatewayError messages name files and problems, never key material.
    err.write(`error: ${toGatewayError(error).message}\n`);
    return 1;
  }
}

interface Options {
  readonly overlapMs: number;
  readonly families: readonly KeyFamily[];
  readonly json: boolean;
  readonly given: number;
}

function parseOptions(args: readonly string[]): Options | string {
  let overlapMs = DEFAULT_OVERLAP_MS;
  let families: readonly KeyFamily[] = KEY_FAMILIES;
  let json = false;
  let given = 0;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    given += 1;
    if (arg === '--json') json = true;
    else if (arg === '--overlap') {
      const parsed = parseDuration(args[(i += 1)] ?? '');
      if (parsed === undefined) return '--overlap needs a duration such as 7d, 48h or 3600s';
      overlapMs = parsed;
    } else if (arg === '--alg') {
      const value = args[(i += 1)];
      if (value !== 'ed25519' && value !== 'rsa') return '--alg needs ed25519 or rsa';
      families = [value];
    } else return `unknown option "${String(arg)}"`;
  }
  return { overlapMs, families, json, given };
}

function noOptions(options: Options): boolean {
  return options.given === 0;
}

function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text);
  if (match === null) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    match[2] as 's' | 'm' | 'h' | 'd'
  ];
  return Number(match[1]) * unit;
}

function rows(set: KeySet, publicUrl: string) {
  return set.keys.map((key) => ({
    kid: key.kid,
    alg: key.family === 'ed25519' ? 'ed25519' : 'rsa-2048',
    state: key.state,
    created: new Date(key.createdAt).toISOString(),
    retiredUntil: key.retiredUntil === undefined ? null : new Date(key.retiredUntil).toISOString(),
    keyId:
      key.family === 'ed25519'
        ? rfc9421KeyId(publicUrl, key.kid)
        : key.state === 'active'
          ? cavageKeyId(publicUrl)
          : null,
  }));
}

function table(set: KeySet, publicUrl: string): string {
  const header = ['KID', 'ALG', 'STATE', 'CREATED', 'RETIRED-UNTIL', 'KEY-ID'];
  const lines = [
    header,
    ...rows(set, publicUrl).map((row) => [
      row.kid,
      row.alg,
      row.state,
      row.created,
      row.retiredUntil ?? '-',
      row.keyId ?? '-',
    ]),
  ];
  const widths = header.map((_, column) =>
    Math.max(...lines.map((line) => line[column]?.length ?? 0)),
  );
  return lines
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

function usage(err: { write(text: string): unknown }, problem: string): number {
  err.write(`error: ${problem}\n${USAGE}`);
  return 2;
}
