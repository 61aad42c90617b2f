/**
 * `ocm-gateway ledger rewrap`: after a ledger key rotation (GATEWAY_LEDGER_KEY set to the new key,
 * the old one in GATEWAY_LEDGER_PREVIOUS_KEYS), moves every record the old keys sealed to the new
 * key, so the old keys can be removed. Prints counts only, never a secret.
 */
import { toGatewayError } from '../core/errors/gateway-error.ts';
import type { Ledger } from '../ports/ledger.ts';

export interface LedgerCommandContext {
  /** Opens the fleet's ledger with the configured keys; `close` is called when done. */
  readonly open: () => Promise<{ readonly ledger: Ledger; close(): Promise<void> }>;
  /** How many previous keys are configured: a rewrap with none has nothing to read. */
  readonly previousKeys: number;
  readonly out: { write(text: string): unknown };
  readonly err: { write(text: string): unknown };
}

const USAGE = `usage: ocm-gateway ledger <command>
  rewrap    re-seal and re-index every ledger record a previous key (GATEWAY_LEDGER_PREVIOUS_KEYS)
            wrote with the current GATEWAY_LEDGER_KEY; run it once after a rotation, then remove
            the previous keys. Safe while gateways run (they must hold both keys); a second run
            moves nothing
`;

/** Exit code: 0 done, 1 failed (message printed), 2 bad usage. */
export async function runLedgerCommand(
  args: readonly string[],
  context: LedgerCommandContext,
): Promise<number> {
  const [command, ...extra] = args;
  if (command === 'help' || command === '--help' || command === '-h') {
    context.out.write(USAGE);
    return 0;
  }
  if (command !== 'rewrap' || extra.length > 0) {
    context.err.write(
      command === undefined ? USAGE : `error: unknown ledger command "${args.join(' ')}"\n${USAGE}`,
    );
    return 2;
  }
  if (context.previousKeys === 0) {
    context.err.write(
      'note: GATEWAY_LEDGER_PREVIOUS_KEYS is empty: only records already on the current key can be read\n',
    );
  }
  let opened: Awaited<ReturnType<LedgerCommandContext['open']>> | undefined;
  try {
    opened = await context.open();
    const report = await opened.ledger.rewrap();
    context.out.write(
      `rewrapped ${report.shares} share(s), ${report.invites} invite(s), ${report.outbox} outbox item(s)\n`,
    );
    return 0;
  } catch (error) {
    context.err.write(`error: ${toGatewayError(error).message}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}
