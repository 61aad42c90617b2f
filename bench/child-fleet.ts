/** Parent side of the bench's IPC: spawns each role in its own Node process and guarantees none outlives the run. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const STDERR_TAIL = 4_000;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

export interface StartChildOptions {
  /** Script under bench/children/, e.g. 'backend-child.ts'. */
  readonly script: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly execArgv?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** One child process speaking the serve-commands protocol. */
export class BenchChild {
  readonly role: string;
  readonly process: ChildProcess;
  #nextId = 0;
  #stderr = '';
  #exit: string | undefined;
  #announced: Readonly<Record<string, unknown>> = {};
  readonly #pending = new Map<
    number,
    { resolve: (r: Reply) => void; reject: (e: Error) => void }
  >();
  readonly exited: Promise<void>;

  constructor(role: string, child: ChildProcess) {
    this.role = role;
    this.process = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('message', (reply: Reply) => {
      const waiter = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = `exited (${signal ?? String(code)})`;
        for (const waiter of this.#pending.values()) waiter.reject(this.#failure(this.#exit));
        this.#pending.clear();
        resolve();
      });
    });
    child.once('error', (error) => {
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** What the child announced once ready (e.g. its origin). */
  get announced(): Readonly<Record<string, unknown>> {
    return this.#announced;
  }

  /** Waits for the child's first message (id 0), sent once it is listening. */
  async ready(timeoutMs: number): Promise<void> {
    this.#announced = (await this.#await(0, 'ready', timeoutMs)) as Record<string, unknown>;
  }

  /** Sends a command and waits for its answer, at most `timeoutMs`. */
  call<T>(command: string, fields: Record<string, unknown>, timeoutMs: number): Promise<T> {
    if (this.#exit !== undefined) return Promise.reject(this.#failure(this.#exit));
    const id = (this.#nextId += 1);
    const answer = this.#await(id, command, timeoutMs);
    this.process.send({ ...fields, id, command });
    return answer as Promise<T>;
  }

  /** Closes the IPC channel (the child exits on its own), then SIGKILL after `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (this.#exit !== undefined) return;
    if (this.process.connected) this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  #await(id: number, command: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(this.#failure(`${command} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.ok) resolve(reply.result);
          else reject(new Error(`${this.role}: ${command} failed: ${reply.error ?? '?'}`));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  #failure(what: string): Error {
    const tail = this.#stderr.trim();
    return new Error(`${this.role} (pid ${this.pid}) ${what}${tail ? `\n${tail}` : ''}`);
  }
}

/** Every child of the run; stopAll() in a finally, killNow() from the process exit hook. */
export class ChildFleet {
  readonly #children: BenchChild[] = [];
  readonly #started: { role: string; pid: number }[] = [];

  async start(role: string, options: StartChildOptions): Promise<BenchChild> {
    const script = fileURLToPath(new URL(`./children/${options.script}`, import.meta.url));
    const child = spawn(
      process.execPath,
      [...(options.execArgv ?? []), script, ...(options.args ?? [])],
      {
        // stdout is the gateway's log stream: thrown away, as a log shipper would take it off the box.
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        env: { PATH: process.env.PATH ?? '', ...options.env },
      },
    );
    const handle = new BenchChild(role, child);
    this.#children.push(handle);
    this.#started.push({ role, pid: handle.pid });
    try {
      await handle.ready(options.readyTimeoutMs ?? 20_000);
    } catch (error) {
      await handle.stop(500);
      throw error;
    }
    return handle;
  }

  /** Every process started so far, for the results file (the smoke test checks none is left). */
  get started(): readonly { role: string; pid: number }[] {
    return this.#started;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#children.map((child) => child.stop()));
  }

  /** Synchronous last resort, for process 'exit'. */
  killNow(): void {
    for (const child of this.#children) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
      }
    }
  }
}
