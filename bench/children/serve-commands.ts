/** Child side of the bench's IPC: announce readiness, answer numbered commands, exit when the parent goes away. */

export interface CommandMessage {
  readonly id: number;
  readonly command: string;
  readonly [field: string]: unknown;
}

export type CommandHandler = (message: CommandMessage) => Promise<unknown>;

/**
 * Answers `{ id, command, … }` with `{ id, ok, result | error }`. The child exits when the IPC
 * channel closes, so a parent that dies (even by SIGKILL) leaves no process behind.
 */
export function serveCommands(
  handlers: Readonly<Record<string, CommandHandler>>,
  onExit: () => void | Promise<void> = () => undefined,
): (ready: Record<string, unknown>) => void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('bench child: must be spawned with an IPC channel');
  let exiting = false;
  const exit = (): void => {
    if (exiting) return;
    exiting = true;
    // A stuck close must not keep a child alive past its parent.
    setTimeout(() => process.exit(0), 2_000).unref();
    void Promise.resolve()
      .then(onExit)
      .finally(() => process.exit(0));
  };
  process.on('disconnect', exit);
  process.on('SIGTERM', exit);
  process.on('message', (raw: CommandMessage) => {
    const handler = handlers[raw.command];
    const run =
      handler === undefined
        ? Promise.reject(new Error(`unknown command ${raw.command}`))
        : handler(raw);
    run.then(
      (result) => {
        if (process.connected) send({ id: raw.id, ok: true, result });
      },
      (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        if (process.connected) send({ id: raw.id, ok: false, error: text });
      },
    );
  });
  return (ready) => {
    send({ id: 0, ok: true, result: ready });
  };
}

/** Reads a number field of a command, failing loudly on a wrong type (a bench bug, not input). */
export function numberField(message: CommandMessage, name: string): number {
  const value = message[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`command ${message.command}: ${name} must be a finite number`);
  }
  return value;
}

export function stringField(message: CommandMessage, name: string): string {
  const value = message[name];
  if (typeof value !== 'string') {
    throw new TypeError(`command ${message.command}: ${name} must be a string`);
  }
  return value;
}
